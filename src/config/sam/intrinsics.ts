// CloudFormation's intrinsic functions, resolved the way CloudFormation resolves them at stack
// creation, for the values a local gateway needs. Resources answer `Ref`/`Fn::GetAtt` through the
// `resources` hook, so this file knows nothing of SAM.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
import { isObject, text } from '../source/values.js';
import type { Path } from '../source/located-yaml.js';

/** `Ref: AWS::NoValue`: the property is removed. */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface IntrinsicContext {
  region: string;
  accountId: string;
  stackName: string;
  /** Parameter values after defaults and overrides. */
  parameters: ReadonlyMap<string, string | string[]>;
  mappings: Record<string, unknown>;
  /** A template condition's value (evaluated once, on demand). */
  condition(name: string, path: Path): boolean;
  /** `Ref` of a resource; undefined when no such resource. */
  ref(logicalId: string, path: Path): unknown;
  /** `Fn::GetAtt`; undefined when no such resource. */
  getAtt(logicalId: string, attribute: string, path: Path): unknown;
  /** Throws one error naming the place. */
  fail(path: Path, message: string): never;
}

type Fn = (arg: unknown, ctx: IntrinsicContext, path: Path) => unknown;

/** The one key of `{Ref: …}` / `{'Fn::X': …}`, when `value` is an intrinsic function call. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
}

/** Resolves every intrinsic function inside `value`; `NO_VALUE` entries are dropped. */
export function resolveValue(value: unknown, ctx: IntrinsicContext, path: Path): unknown {
  const name = intrinsicName(value);
  if (name !== undefined) {
    const fn = FUNCTIONS[name];
    if (!fn) ctx.fail(path, `${name} is not a CloudFormation intrinsic function Sallyport knows`);
    return fn((value as Record<string, unknown>)[name], ctx, [...path, name]);
  }
  if (Array.isArray(value)) {
    return value
      .map((item, i) => resolveValue(item, ctx, [...path, i]))
      .filter((item) => item !== NO_VALUE);
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = resolveValue(item, ctx, [...path, key]);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }
  return value;
}

function resolveString(value: unknown, ctx: IntrinsicContext, path: Path, what: string): string {
  const resolved = resolveValue(value, ctx, path);
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  if (typeof resolved !== 'string') ctx.fail(path, `${what} must be a string`);
  return resolved;
}

function resolveList(value: unknown, ctx: IntrinsicContext, path: Path, what: string): unknown[] {
  const resolved = resolveValue(value, ctx, path);
  if (!Array.isArray(resolved)) ctx.fail(path, `${what} must be a list`);
  return resolved;
}

function args(arg: unknown, ctx: IntrinsicContext, path: Path, fn: string, n: number): unknown[] {
  if (!Array.isArray(arg) || arg.length !== n) ctx.fail(path, `${fn} takes a list of ${n} values`);
  return arg;
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
function pseudoParameter(name: string, ctx: IntrinsicContext): unknown {
  switch (name) {
    case 'AWS::Region':
      return ctx.region;
    case 'AWS::AccountId':
      return ctx.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return ctx.stackName;
    case 'AWS::StackId':
      return `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${ctx.stackName}/00000000-0000-0000-0000-000000000000`;
    case 'AWS::NotificationARNs':
      return [];
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

function ref(name: string, ctx: IntrinsicContext, path: Path): unknown {
  const pseudo = pseudoParameter(name, ctx);
  if (pseudo !== undefined) return pseudo;
  const parameter = ctx.parameters.get(name);
  if (parameter !== undefined) return parameter;
  const resource = ctx.ref(name, path);
  if (resource !== undefined) return resource;
  return ctx.fail(path, `Ref to "${name}": no such parameter, resource or pseudo parameter`);
}

function getAtt(arg: unknown, ctx: IntrinsicContext, path: Path): unknown {
  const parts = resolveValue(arg, ctx, path);
  if (!Array.isArray(parts) || parts.length !== 2 || parts.some((p) => typeof p !== 'string'))
    ctx.fail(path, 'Fn::GetAtt takes [LogicalId, Attribute] or "LogicalId.Attribute"');
  const [id, attribute] = parts as [string, string];
  const value = ctx.getAtt(id, attribute, path);
  if (value === undefined) ctx.fail(path, `Fn::GetAtt ${id}.${attribute}: no resource "${id}"`);
  return value;
}

// `${Name}` is a Ref, `${Res.Attr}` a GetAtt, `${!Literal}` the text `${Literal}`.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
function sub(arg: unknown, ctx: IntrinsicContext, path: Path): string {
  let template: unknown = arg;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    if (arg.length !== 2 || !isObject(arg[1]))
      ctx.fail(path, 'Fn::Sub takes a string, or [string, {Name: value, …}]');
    template = arg[0];
    variables = arg[1];
  }
  if (typeof template !== 'string') ctx.fail(path, 'Fn::Sub: the template must be a string');
  return template.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (name in variables)
      return resolveString(variables[name], ctx, [...path, 1, name], `Fn::Sub variable ${name}`);
    const value =
      name.includes('.') && !name.startsWith('AWS::')
        ? ctx.getAtt(name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1), path)
        : ref(name, ctx, path);
    if (value === undefined) ctx.fail(path, `Fn::Sub: \${${name}} names no resource`);
    if (typeof value !== 'string' && typeof value !== 'number')
      ctx.fail(path, `Fn::Sub: \${${name}} is not a string`);
    return String(value);
  });
}

function condition(arg: unknown, ctx: IntrinsicContext, path: Path): boolean {
  const value = resolveValue(arg, ctx, path);
  if (typeof value !== 'boolean') ctx.fail(path, 'expected a condition (true or false)');
  return value;
}

const FUNCTIONS: Record<string, Fn> = {
  Ref: (arg: unknown, ctx: IntrinsicContext, path: Path) => {
    if (typeof arg !== 'string') ctx.fail(path, 'Ref takes a name');
    return ref(arg, ctx, path);
  },
  Condition: (arg: unknown, ctx: IntrinsicContext, path: Path) => {
    if (typeof arg !== 'string') ctx.fail(path, 'Condition takes a condition name');
    return ctx.condition(arg, path);
  },
  'Fn::GetAtt': getAtt,
  'Fn::Sub': sub,
  'Fn::Join': (arg: unknown, ctx: IntrinsicContext, path: Path) => {
    const [delimiter, list] = args(arg, ctx, path, 'Fn::Join', 2);
    if (typeof delimiter !== 'string') ctx.fail(path, 'Fn::Join: the delimiter must be a string');
    return resolveList(list, ctx, [...path, 1], 'Fn::Join: the values')
      .map((v, i) => resolveString(v, ctx, [...path, 1, i], 'each Fn::Join value'))
      .join(delimiter);
  },
  'Fn::Select': (arg: unknown, ctx: IntrinsicContext, path: Path) => {
    const [index, list] = args(arg, ctx, path, 'Fn::Select', 2);
    const i = Number(resolveValue(index, ctx, [...path, 0]));
    const items = resolveList(list, ctx, [...path, 1], 'Fn::Select: the values');
    if (!Number.isInteger(i) || i < 0 || i >= items.length)
      ctx.fail(path, `Fn::Select: index ${text(index)} is outside the list of ${items.length}`);
    return items[i];
  },
  'Fn::Split': (arg: unknown, ctx: IntrinsicContext, path: Path) => {
    const [delimiter, source] = args(arg, ctx, path, 'Fn::Split', 2);
    if (typeof delimiter !== 'string' || delimiter === '')
      ctx.fail(path, 'Fn::Split: the delimiter must be a non-empty string');
    return resolveString(source, ctx, [...path, 1], 'Fn::Split: the source').split(delimiter);
  },
  'Fn::FindInMap': (arg: unknown, ctx: IntrinsicContext, path: Path) => {
    const [map, top, second] = args(arg, ctx, path, 'Fn::FindInMap', 3).map((v, i) =>
      resolveString(v, ctx, [...path, i], 'Fn::FindInMap keys'),
    ) as [string, string, string];
    const found = (ctx.mappings[map] as Record<string, Record<string, unknown>> | undefined)?.[
      top
    ]?.[second];
    if (found === undefined)
      ctx.fail(path, `Fn::FindInMap: Mappings.${map}.${top}.${second} not found`);
    return found;
  },
  'Fn::If': (arg: unknown, ctx: IntrinsicContext, path: Path) => {
    const [name, whenTrue, whenFalse] = args(arg, ctx, path, 'Fn::If', 3);
    if (typeof name !== 'string') ctx.fail(path, 'Fn::If: the first value names a condition');
    return ctx.condition(name, path)
      ? resolveValue(whenTrue, ctx, [...path, 1])
      : resolveValue(whenFalse, ctx, [...path, 2]);
  },
  'Fn::Equals': (arg: unknown, ctx: IntrinsicContext, path: Path) => {
    const [a, b] = args(arg, ctx, path, 'Fn::Equals', 2).map((v, i) =>
      JSON.stringify(resolveValue(v, ctx, [...path, i])),
    );
    return a === b;
  },
  'Fn::Not': (arg: unknown, ctx: IntrinsicContext, path: Path) =>
    !condition(args(arg, ctx, path, 'Fn::Not', 1)[0], ctx, path),
  'Fn::And': (arg: unknown, ctx: IntrinsicContext, path: Path) =>
    manyConditions(arg, ctx, path, 'Fn::And').every((c, i) => condition(c, ctx, [...path, i])),
  'Fn::Or': (arg: unknown, ctx: IntrinsicContext, path: Path) =>
    manyConditions(arg, ctx, path, 'Fn::Or').some((c, i) => condition(c, ctx, [...path, i])),
  'Fn::Base64': (arg: unknown, ctx: IntrinsicContext, path: Path) =>
    Buffer.from(resolveString(arg, ctx, path, 'Fn::Base64')).toString('base64'),
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getavailabilityzones.html
  'Fn::GetAZs': (_arg: unknown, ctx: IntrinsicContext) =>
    ['a', 'b', 'c'].map((zone) => `${ctx.region}${zone}`),
  'Fn::Length': (arg: unknown, ctx: IntrinsicContext, path: Path) =>
    resolveList(arg, ctx, path, 'Fn::Length').length,
  'Fn::ToJsonString': (arg: unknown, ctx: IntrinsicContext, path: Path) =>
    JSON.stringify(resolveValue(arg, ctx, path)),
  'Fn::ImportValue': (_arg: unknown, ctx: IntrinsicContext, path: Path) =>
    ctx.fail(
      path,
      "Fn::ImportValue reads another stack's export, which a local gateway cannot see: pass the value as a parameter (--parameter-overrides)",
    ),
  'Fn::Transform': (_arg: unknown, ctx: IntrinsicContext, path: Path) =>
    ctx.fail(path, 'Fn::Transform (macros, AWS::Include) is not run locally: inline the content'),
  'Fn::Cidr': (_arg: unknown, ctx: IntrinsicContext, path: Path) =>
    ctx.fail(path, 'Fn::Cidr is not supported by Sallyport'),
};

function manyConditions(arg: unknown, ctx: IntrinsicContext, path: Path, fn: string): unknown[] {
  if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10)
    ctx.fail(path, `${fn} takes a list of 2 to 10 conditions`);
  return arg;
}
