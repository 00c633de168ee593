// serverless.yml variables as the Serverless Framework resolves them.
// https://www.serverless.com/framework/docs/providers/aws/guide/variables
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  resolveVariables,
  type VariableSources,
} from '../../../src/config/serverless/variables.js';

const self = {
  service: 'svc',
  custom: { greeting: 'Hello', dev: { size: 256 }, list: [1, 2] },
  provider: { stage: 'dev' },
};

function sources(overrides: Partial<VariableSources> = {}): VariableSources {
  return {
    self,
    env: { HOME_TOWN: 'Lyon' },
    options: { stage: 'prod' },
    stage: () => 'prod',
    region: () => 'eu-west-1',
    accountId: '123456789012',
    fail: (path, message) => {
      throw new Error(`${path.join('.')}: ${message}`);
    },
    ...overrides,
  };
}

const resolve = (value: unknown, s = sources()) => resolveVariables(value, s, ['x']);

describe('serverless.yml variables', () => {
  const cases: [unknown, unknown][] = [
    ['${self:custom.greeting}', 'Hello'],
    ['${self:custom.greeting} world', 'Hello world'],
    ['${env:HOME_TOWN}', 'Lyon'],
    ['${env:MISSING, "fallback"}', 'fallback'],
    ["${env:MISSING, 'fallback'}", 'fallback'],
    ['${env:MISSING, self:custom.greeting}', 'Hello'],
    ['${opt:stage}', 'prod'],
    ["${opt:region, 'us-east-1'}", 'us-east-1'],
    ['${sls:stage}', 'prod'],
    ['${aws:region}-${aws:accountId}', 'eu-west-1-123456789012'],
    // Whole-value variables keep their type; nested ones resolve from the inside out.
    ['${self:custom.dev.size}', 256],
    ['${self:custom.list}', [1, 2]],
    ['${self:custom.${self:provider.stage}.size}', 256],
    ['${env:MISSING, 5}', 5],
    // CloudFormation's own ${AWS::Region} (Fn::Sub) and stage variables are left alone.
    ['arn:${AWS::Region}:${self:service}', 'arn:${AWS::Region}:svc'],
    ['${stageVariables.color}', '${stageVariables.color}'],
    [{ a: ['${self:service}'] }, { a: ['svc'] }],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(resolve(input), expected);
    });
  }

  it('a variable with no value and no fallback is an error that suggests one', () => {
    assert.throws(
      () => resolve('${env:MISSING}'),
      /x: \$\{env:MISSING\} has no value \(add a fallback/,
    );
  });

  it('an unknown source is an error naming it', () => {
    assert.throws(() => resolve('${vault:secret}'), /unknown variable source "vault"/);
  });

  it('a remote source (ssm) uses its fallback, and without one says why it cannot be read', () => {
    assert.equal(resolve("${ssm:/app/key, 'local'}"), 'local');
    assert.throws(() => resolve('${ssm:/app/key}'), /read from AWS/);
  });

  it('a ${self:…} that refers to itself is an error, not a hang', () => {
    const loop = { a: '${self:a}' };
    assert.throws(() => resolveVariables(loop, sources({ self: loop }), []), /nest too deeply/);
  });

  it('property: text with no ${ is unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('${')),
        (text) => {
          assert.equal(resolve(text), text);
        },
      ),
    );
  });

  it('property: a quoted fallback comes back as written', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 ._\-/]*$/), (text) => {
        assert.equal(resolve(`\${env:NOT_SET_ANYWHERE, '${text}'}`), text);
      }),
    );
  });

  it('property: an env value is spliced into the text around it', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('$')),
        fc.string().filter((s) => !s.includes('$') && !s.includes('{')),
        fc.string().filter((s) => !s.includes('$')),
        (before, value, afterText) => {
          const s = sources({ env: { V: value } });
          assert.equal(
            resolve(`${before}\${env:V}${afterText}`, s),
            `${before}${value}${afterText}`,
          );
        },
      ),
    );
  });
});
