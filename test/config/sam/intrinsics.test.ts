// CloudFormation intrinsic functions as CloudFormation resolves them, read from YAML short forms.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseLocatedYaml } from '../../../src/config/source/located-yaml.js';
import { resolveValue, type IntrinsicContext } from '../../../src/config/sam/intrinsics.js';

function context(overrides: Partial<IntrinsicContext> = {}): IntrinsicContext {
  return {
    region: 'eu-west-1',
    accountId: '123456789012',
    stackName: 'stack',
    parameters: new Map<string, string | string[]>([
      ['Stage', 'dev'],
      ['Names', ['a', 'b', 'c']],
    ]),
    mappings: { Sizes: { dev: { Memory: 256 } } },
    condition: (name) => name === 'IsDev',
    ref: (id) => (id === 'Fn' ? 'my-function' : undefined),
    getAtt: (id, attribute) => (id === 'Fn' ? `arn:of:${id}:${attribute}` : undefined),
    fail: (path, message) => {
      throw new Error(`${path.join('.')}: ${message}`);
    },
    ...overrides,
  };
}

function resolveYaml(yaml: string): unknown {
  const parsed = parseLocatedYaml(yaml, 'template.yaml');
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return resolveValue((parsed.yaml.value as { v: unknown }).v, context(), ['v']);
}

describe('intrinsic functions from YAML short forms', () => {
  const cases: [string, unknown][] = [
    ['v: !Ref Stage', 'dev'],
    ['v: !Ref AWS::Region', 'eu-west-1'],
    ['v: !Ref AWS::AccountId', '123456789012'],
    ['v: !Ref Fn', 'my-function'],
    ['v: !GetAtt Fn.Arn', 'arn:of:Fn:Arn'],
    ['v: !GetAtt [Fn, Arn]', 'arn:of:Fn:Arn'],
    ['v: !Sub "${Stage}-${AWS::Region}-${Fn.Arn}"', 'dev-eu-west-1-arn:of:Fn:Arn'],
    ['v: !Sub "${!Literal}-${Stage}"', '${Literal}-dev'],
    ['v: !Sub ["${A}/${Stage}", {A: !Ref Fn}]', 'my-function/dev'],
    ['v: !Join ["-", [a, !Ref Stage, c]]', 'a-dev-c'],
    ['v: !Join [",", !Ref Names]', 'a,b,c'],
    ['v: !Select [1, !Ref Names]', 'b'],
    ['v: !Select [0, !Split ["/", "x/y/z"]]', 'x'],
    ['v: !FindInMap [Sizes, !Ref Stage, Memory]', 256],
    ['v: !If [IsDev, yes-dev, no]', 'yes-dev'],
    ['v: !If [IsProd, yes, no]', 'no'],
    ['v: !Equals [!Ref Stage, dev]', true],
    ['v: !Not [!Equals [!Ref Stage, dev]]', false],
    ['v: !And [!Equals [a, a], !Condition IsDev]', true],
    ['v: !Or [!Equals [a, b], !Condition IsProd]', false],
    ['v: !Base64 abc', 'YWJj'],
    ['v: !GetAZs ""', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
    ['v: {"Fn::Join": ["", ["a", {"Ref": "Stage"}]]}', 'adev'],
    ['v: [a, !Ref AWS::NoValue, b]', ['a', 'b']],
    ['v: {keep: 1, drop: !Ref AWS::NoValue}', { keep: 1 }],
  ];
  for (const [yaml, expected] of cases) {
    it(`${yaml} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(resolveYaml(yaml), expected);
    });
  }

  it('an unknown Ref is an error naming it', () => {
    assert.throws(() => resolveYaml('v: !Ref Nope'), /v\.Ref: Ref to "Nope": no such parameter/);
  });

  it('Fn::ImportValue is refused with the way out', () => {
    assert.throws(
      () => resolveYaml('v: !ImportValue shared'),
      /another stack's export.*--parameter-overrides/,
    );
  });

  it('an unknown Fn:: function is an error naming it', () => {
    assert.throws(
      () => resolveYaml('v: {"Fn::Frobnicate": 1}'),
      /Fn::Frobnicate is not a CloudFormation intrinsic function/,
    );
  });

  it('an unknown !Tag is a YAML error with its line and column', () => {
    const parsed = parseLocatedYaml('a: 1\nb: !Reff x\n', 't.yaml');
    assert.equal(parsed.ok, false);
    assert.ok(!parsed.ok);
    assert.deepEqual([parsed.line, parsed.column], [2, 4]);
    assert.match(parsed.reason, /unknown tag: !Reff/);
  });

  it('positions: where() names file:line:column and the key path', () => {
    const parsed = parseLocatedYaml('Resources:\n  Fn:\n    Type: X\n', 'template.yaml');
    assert.ok(parsed.ok);
    assert.equal(
      parsed.yaml.where(['Resources', 'Fn', 'Type']),
      'template.yaml:3:11: Resources.Fn.Type',
    );
    // A path with no value of its own points at its nearest ancestor.
    assert.equal(
      parsed.yaml.where(['Resources', 'Fn', 'Properties']),
      'template.yaml:3:5: Resources.Fn.Properties',
    );
  });

  it('property: a string with no ${…} comes out of Fn::Sub unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('${')),
        (text) => {
          assert.equal(resolveValue({ 'Fn::Sub': text }, context(), []), text);
        },
      ),
    );
  });

  it('property: Fn::Join of Fn::Split gives the string back', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 3 }), (text, delimiter) => {
        const split = { 'Fn::Split': [delimiter, text] };
        assert.equal(resolveValue({ 'Fn::Join': [delimiter, split] }, context(), []), text);
      }),
    );
  });

  it('property: any scalar YAML value reads back as the same value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.boolean()), (value) => {
        const parsed = parseLocatedYaml(`v: ${JSON.stringify(value)}\n`, 't.yaml');
        assert.ok(parsed.ok);
        assert.deepEqual((parsed.yaml.value as { v: unknown }).v, value);
      }),
    );
  });
});
