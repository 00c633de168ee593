// parseBody words every zod issue as Smithy's validation does, so an operation states its members
// once as a schema and AWS's error texts follow from it.
// https://docs.aws.amazon.com/apigateway/latest/api/CommonErrors.html
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import {
  booleanMap,
  enumOf,
  integerBetween,
  parseBody,
  presentMembers,
  stringMap,
} from '../../../src/control/apigateway/fields.js';
import { BadRequestError, ValidationError } from '../../../src/control/errors.js';

const input = z.object({
  name: z.string().min(1),
  size: integerBetween(0, 10).optional(),
  atLeast: z.int().min(5).optional(),
  atMost: z.int().max(7).optional(),
  kind: enumOf(['A', 'B'] as const).optional(),
  flag: z.boolean().optional(),
  tags: stringMap.optional(),
  params: booleanMap.optional(),
  list: z.array(z.string()).optional(),
  nested: z.record(z.string(), z.array(z.string())).optional(),
});

function refusal(body: Record<string, unknown>): string {
  try {
    parseBody(input, { name: 'n', ...body }, 'op');
  } catch (error) {
    // Smithy's constraints are ValidationException, the model's own rules BadRequestException.
    const expected = /^\d+ validation errors? detected/.test((error as Error).message)
      ? ValidationError
      : BadRequestError;
    assert.ok(error instanceof expected, String(error));
    return error.message;
  }
  assert.fail('accepted');
}
const at = (field: string, value: string, constraint: string) =>
  `1 validation error detected: Value ${value} at 'opInput.${field}' failed to satisfy constraint: ${constraint}`;

describe('parseBody: Smithy wording of zod issues', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a missing member', { name: null }, at('name', 'null', 'Member must not be null')],
    [
      'an empty string',
      { name: '' },
      at('name', "''", 'Member must have length greater than or equal to 1'),
    ],
    ['a number for a string', { name: 7 }, at('name', "'7'", 'Member must be a string')],
    ['a fraction', { size: 1.5 }, at('size', "'1.5'", 'Member must be an integer')],
    ['text for an integer', { size: '3' }, at('size', "'3'", 'Member must be an integer')],
    [
      'below a @range',
      { size: -1 },
      at('size', "'-1'", 'Member must have value between 0 and 10 inclusive'),
    ],
    [
      'above a @range',
      { size: 11 },
      at('size', "'11'", 'Member must have value between 0 and 10 inclusive'),
    ],
    [
      'below a lower bound alone',
      { atLeast: 4 },
      at('atLeast', "'4'", 'Member must have value greater than or equal to 5'),
    ],
    [
      'above an upper bound alone',
      { atMost: 8 },
      at('atMost', "'8'", 'Member must have value less than or equal to 7'),
    ],
    [
      'a value outside an enum',
      { kind: 'C' },
      at('kind', "'C'", 'Member must satisfy enum value set: [A, B]'),
    ],
    ['text for a boolean', { flag: 'yes' }, at('flag', "'yes'", 'Member must be a boolean')],
    ['a number in a map', { tags: { a: 1 } }, at('tags', "'…'", 'Member must be a map of strings')],
    ['text for a map', { tags: 'a=b' }, at('tags', "'…'", 'Member must be a map of strings')],
    ['a list for a map', { tags: ['a'] }, at('tags', "'…'", 'Member must be a map of strings')],
    [
      'text in a boolean map',
      { params: { a: 'true' } },
      at('params', "'…'", 'Member must be a map of booleans'),
    ],
    [
      'a number in a list',
      { list: ['a', 1] },
      at('list', "'…'", 'Member must be a list of strings'),
    ],
    ['text for a list', { list: 'a' }, at('list', "'…'", 'Member must be a list of strings')],
    [
      'text for a map of lists',
      { nested: 'x' },
      at('nested', "'…'", 'Member must be a map of lists of strings'),
    ],
    [
      'a number deep in a map of lists',
      { nested: { a: ['x', 2] } },
      at('nested', "'…'", 'Member must be a map of lists of strings'),
    ],
    [
      'an over-long string (limits.ts, before the schema)',
      { name: 'x'.repeat(1025) },
      "1 validation error detected: Value at 'opInput.name' failed to satisfy constraint: Member must have length less than or equal to 1024",
    ],
  ];
  for (const [name, body, message] of cases) it(name, () => assert.equal(refusal(body), message));

  it('reads nulls as absent members and ignores unknown ones', () => {
    assert.deepEqual(parseBody(input, { name: 'n', size: null, other: 1 }, 'op'), { name: 'n' });
  });

  it("passes a model rule's own message through unchanged", () => {
    const ruled = z.object({ a: z.string() }).superRefine((v, ctx) => {
      if (v.a === 'no') ctx.addIssue({ code: 'custom', path: ['a'], message: 'Invalid a' });
    });
    assert.throws(() => parseBody(ruled, { a: 'no' }, 'op'), { message: 'Invalid a' });
  });

  it('accepts every integer in a @range and words every one outside it the same way', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (size) => {
        if (size >= 0 && size <= 10)
          assert.equal(parseBody(input, { name: 'n', size }, 'op').size, size);
        else
          assert.equal(
            refusal({ size }),
            at('size', `'${size}'`, 'Member must have value between 0 and 10 inclusive'),
          );
      }),
    );
  });
});

describe('presentMembers', () => {
  it('drops absent members and keeps the others in order', () => {
    assert.deepEqual(Object.entries(presentMembers({ a: 1, b: undefined, c: '' })), [
      ['a', 1],
      ['c', ''],
    ]);
  });
});
