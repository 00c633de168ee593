// mapping/request-body.ts: AWS's passthrough tables, row by row.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnsupportedMediaTypeError } from '../../../src/gateway/errors.js';
import { compileRequestBody } from '../../../src/gateway/mapping/request-body.js';
import type { Integration } from '../../../src/model/types.js';
import { exchangeFor, method, snapshot, stageOf } from '../fixtures.js';

const stage = stageOf(snapshot({ '/m': [method({ httpMethod: 'POST' })] }));
const TEMPLATE = '{"templated": true}';

type Behavior = NonNullable<Integration['passthroughBehavior']>;
const integration = (behavior: Behavior, templates?: Record<string, string>): Integration => ({
  type: 'MOCK',
  timeoutInMillis: 29_000,
  passthroughBehavior: behavior,
  ...(templates ? { requestTemplates: templates } : {}),
});

/** What the backend gets: 'template', 'passthrough', or 415. */
function outcome(behavior: Behavior, templates: Record<string, string> | undefined, type?: string) {
  const map = compileRequestBody(integration(behavior, templates));
  const headers: [string, string][] = type ? [['Content-Type', type]] : [];
  try {
    const body = map(exchangeFor(stage, { method: 'POST', url: '/m', headers, body: '<x/>' }));
    return body === TEMPLATE ? 'template' : body.toString() === '<x/>' ? 'passthrough' : body;
  } catch (error) {
    if (error instanceof UnsupportedMediaTypeError) return 415;
    throw error;
  }
}

describe('Example 1: one template, for application/json', () => {
  const json = { 'application/json': TEMPLATE };
  const rows: [string | undefined, Behavior, unknown][] = [
    [undefined, 'WHEN_NO_MATCH', 'template'],
    [undefined, 'WHEN_NO_TEMPLATES', 'template'],
    [undefined, 'NEVER', 'template'],
    ['application/json', 'WHEN_NO_MATCH', 'template'],
    ['application/json', 'WHEN_NO_TEMPLATES', 'template'],
    ['application/json', 'NEVER', 'template'],
    ['application/xml', 'WHEN_NO_MATCH', 'passthrough'],
    ['application/xml', 'WHEN_NO_TEMPLATES', 415],
    ['application/xml', 'NEVER', 415],
  ];
  for (const [type, behavior, expected] of rows)
    it(`Content-Type ${type ?? '(none)'}, ${behavior}: ${String(expected)}`, () => {
      assert.equal(outcome(behavior, json, type), expected);
    });
});

describe('Example 2: one template, for application/xml', () => {
  const xml = { 'application/xml': TEMPLATE };
  const rows: [string | undefined, Behavior, unknown][] = [
    [undefined, 'WHEN_NO_MATCH', 'passthrough'],
    [undefined, 'WHEN_NO_TEMPLATES', 415],
    [undefined, 'NEVER', 415],
    ['application/xml', 'NEVER', 'template'],
  ];
  for (const [type, behavior, expected] of rows)
    it(`Content-Type ${type ?? '(none)'}, ${behavior}: ${String(expected)}`, () => {
      assert.equal(outcome(behavior, xml, type), expected);
    });
});

describe('No templates at all', () => {
  const rows: [Behavior, unknown][] = [
    ['WHEN_NO_MATCH', 'passthrough'],
    ['WHEN_NO_TEMPLATES', 'passthrough'],
    ['NEVER', 415],
  ];
  for (const [behavior, expected] of rows)
    it(`${behavior}: ${String(expected)}`, () => {
      assert.equal(outcome(behavior, undefined, 'application/json'), expected);
    });
});

it('the Content-Type is matched without its parameters and case-insensitively', () => {
  assert.equal(
    outcome('NEVER', { 'application/json': TEMPLATE }, 'Application/JSON; charset=utf-8'),
    'template',
  );
});
