// The IAM policy a Lambda authorizer returns, compiled once and evaluated against the method ARN
// `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}` of every request that
// reuses it: API Gateway caches the policy, not the decision, and evaluates the cached policy
// against each new method ARN.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
import { InvalidPolicyError } from './errors.js';

export { InvalidPolicyError };

export type PolicyDecision = 'Allow' | 'Deny' | 'NoMatch';

export interface CompiledPolicy {
  evaluate(methodArn: string): PolicyDecision;
  /** Each statement and whether it matched `methodArn`: for the logs, never on the hot path. */
  explain(methodArn: string): StatementCheck[];
}

export interface StatementCheck {
  /** Its place in `Statement`. */
  index: number;
  effect: 'Allow' | 'Deny';
  /** As the policy wrote them; `NotResource` values prefixed with `Not:`. */
  resources: string[];
  /** False when the statement cannot apply to execute-api:Invoke (Action, Condition). */
  applies: boolean;
  matched: boolean;
}

/** The only action API Gateway asks about when it evaluates an authorizer's policy. */
export const INVOKE_ACTION = 'execute-api:Invoke';

/**
 * "the Resource ARN, as shown in the policy statement output by the authorizer, is currently
 * limited to 512 characters long".
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */
export const MAX_RESOURCE_LENGTH = 512;

type ArnMatcher = (methodArn: string) => boolean;

const STAR = 42; // '*'
const QUESTION = 63; // '?'

/**
 * IAM wildcard matching: `*` is any run of characters (including `/` and `:`, as a trailing `*`
 * in an ARN segment "can expand to match beyond the colon boundaries"), `?` is exactly one
 * character. Iterative with one backtrack point: linear-ish, no allocation, no regex backtracking
 * blow-up on patterns such as `*a*a*a*b`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const pl = pattern.length;
  const tl = text.length;
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < tl) {
    if (p < pl) {
      const c = pattern.charCodeAt(p);
      if (c === STAR) {
        starP = p++;
        starT = t;
        continue;
      }
      if (c === QUESTION || c === text.charCodeAt(t)) {
        p++;
        t++;
        continue;
      }
    }
    if (starP === -1) return false;
    p = starP + 1;
    t = ++starT;
  }
  while (p < pl && pattern.charCodeAt(p) === STAR) p++;
  return p === pl;
}

/**
 * A `*`-only pattern split into its literal chunks: the first must be a prefix, the last a suffix,
 * and the ones between appear in order (taking each at its leftmost position is always optimal).
 * Native startsWith/indexOf/endsWith make this several times faster than a character loop.
 */
function starOnlyMatcher(pattern: string): ArnMatcher {
  const chunks = pattern.split('*');
  const first = chunks[0]!;
  const last = chunks[chunks.length - 1]!;
  const middle = chunks.slice(1, -1).filter((c) => c !== '');
  const minLength = first.length + last.length;
  return (arn) => {
    if (arn.length < minLength || !arn.startsWith(first) || !arn.endsWith(last)) return false;
    let from = first.length;
    const end = arn.length - last.length;
    for (let i = 0; i < middle.length; i++) {
      const at = arn.indexOf(middle[i]!, from);
      if (at === -1 || at + middle[i]!.length > end) return false;
      from = at + middle[i]!.length;
    }
    return true;
  };
}

/** Picks the cheapest matcher for a resource pattern once, at compile time. */
function compileResource(pattern: string): ArnMatcher {
  if (pattern === '*') return () => true;
  const hasStar = pattern.includes('*');
  if (pattern.includes('?')) return (arn) => wildcardMatch(pattern, arn);
  if (!hasStar) return (arn) => arn === pattern;
  return starOnlyMatcher(pattern);
}

function anyOf(matchers: readonly ArnMatcher[]): ArnMatcher {
  if (matchers.length === 1) return matchers[0]!;
  return (arn) => {
    for (let i = 0; i < matchers.length; i++) if (matchers[i]!(arn)) return true;
    return false;
  };
}

/** IAM action names are case-insensitive; `*` and `?` wildcards apply. */
function actionCoversInvoke(patterns: readonly string[]): boolean {
  const invoke = INVOKE_ACTION.toLowerCase();
  return patterns.some((p) => wildcardMatch(p.toLowerCase(), invoke));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');
}

/** IAM's `"*" | [string, …]` blocks: a string or a non-empty array of strings. */
function stringList(statement: Record<string, unknown>, key: string, index: number): string[] {
  const value = statement[key];
  if (typeof value === 'string') return [value];
  if (isNonEmptyStringArray(value)) return value;
  throw new InvalidPolicyError(
    `Statement[${index}].${key} must be a string or a non-empty array of strings`,
  );
}

/** Exactly one of `key` / `Not{key}`, as the IAM grammar requires. */
function pickBlock(
  statement: Record<string, unknown>,
  key: 'Action' | 'Resource',
  index: number,
): { negated: boolean; values: string[] } {
  const hasPlain = statement[key] !== undefined;
  const hasNot = statement[`Not${key}`] !== undefined;
  if (hasPlain === hasNot) {
    throw new InvalidPolicyError(
      `Statement[${index}] must have exactly one of ${key} or Not${key}`,
    );
  }
  return hasPlain
    ? { negated: false, values: stringList(statement, key, index) }
    : { negated: true, values: stringList(statement, `Not${key}`, index) };
}

interface CompiledStatement {
  effect: 'Allow' | 'Deny';
  /** undefined: the statement never applies to `execute-api:Invoke`. */
  matcher: ArnMatcher | undefined;
  resources: string[];
}

function compileStatement(raw: unknown, index: number): CompiledStatement {
  if (!isObject(raw)) throw new InvalidPolicyError(`Statement[${index}] must be an object`);
  // IAM's grammar spells the effect exactly `Allow` or `Deny`; anything else is refused.
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new InvalidPolicyError(`Statement[${index}].Effect must be "Allow" or "Deny"`);
  }
  const action = pickBlock(raw, 'Action', index);
  const resource = pickBlock(raw, 'Resource', index);
  const resources = resource.negated ? resource.values.map((r) => `Not:${r}`) : resource.values;
  for (const r of resource.values) {
    if (r.length > MAX_RESOURCE_LENGTH) {
      throw new InvalidPolicyError(
        `Statement[${index}] has a Resource longer than ${MAX_RESOURCE_LENGTH} characters`,
      );
    }
  }
  // A `"Condition": null` makes API Gateway answer AuthorizerConfigurationException (recorded in
  // https://github.com/aws/aws-lambda-rust-runtime/issues/863, fixed by not serializing it).
  const condition = raw.Condition;
  if (condition !== undefined && !isObject(condition)) {
    throw new InvalidPolicyError(`Statement[${index}].Condition must be an object`);
  }

  const covers = actionCoversInvoke(action.values);
  const appliesToInvoke = action.negated ? !covers : covers;
  // No request context keys are supplied to the evaluation, and in IAM a condition on a key
  // that is absent does not match: a statement with conditions therefore never applies.
  const conditional = condition !== undefined && Object.keys(condition).length > 0;
  if (!appliesToInvoke || conditional) return { effect, matcher: undefined, resources };

  const any = anyOf(resource.values.map(compileResource));
  return { effect, matcher: resource.negated ? (arn) => !any(arn) : any, resources };
}

class StatementPolicy implements CompiledPolicy {
  constructor(
    private readonly deny: readonly ArnMatcher[],
    private readonly allow: readonly ArnMatcher[],
    private readonly statements: readonly CompiledStatement[],
  ) {}

  explain(methodArn: string): StatementCheck[] {
    return this.statements.map((s, index) => ({
      index,
      effect: s.effect,
      resources: s.resources,
      applies: s.matcher !== undefined,
      matched: s.matcher?.(methodArn) ?? false,
    }));
  }

  evaluate(methodArn: string): PolicyDecision {
    // An explicit Deny overrides any Allow.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
    const deny = this.deny;
    for (let i = 0; i < deny.length; i++) if (deny[i]!(methodArn)) return 'Deny';
    const allow = this.allow;
    for (let i = 0; i < allow.length; i++) if (allow[i]!(methodArn)) return 'Allow';
    return 'NoMatch';
  }
}

/**
 * Compiles a policy document once; `evaluate` is then a few string comparisons per statement.
 * `Statement` (exact key: a lowercase `statement` is "Unable to parse given policy",
 * https://github.com/aws/aws-lambda-java-libs/issues/184) may be one statement or an array.
 * `Version`, `Sid` and other keys are not checked.
 */
export function compilePolicy(policyDocument: unknown): CompiledPolicy {
  if (!isObject(policyDocument)) throw new InvalidPolicyError('policyDocument must be an object');
  const raw = policyDocument.Statement;
  if (raw === undefined || raw === null) {
    throw new InvalidPolicyError('policyDocument has no Statement');
  }
  const statements = Array.isArray(raw) ? raw : [raw];
  const deny: ArnMatcher[] = [];
  const allow: ArnMatcher[] = [];
  const compiled = statements.map((s, i) => compileStatement(s, i));
  for (const { effect, matcher } of compiled) {
    if (matcher !== undefined) (effect === 'Deny' ? deny : allow).push(matcher);
  }
  return new StatementPolicy(deny, allow, compiled);
}
