// Identity sources of TOKEN and REQUEST authorizers, compiled once when a deployment is loaded.
// A request whose identity sources are missing or empty is answered 401 without invoking the
// authorizer: "verifying all of the identity-related request parameters are present, not null
// and non-empty. Only when this is true does the authorizer invoke the authorizer Lambda
// function, otherwise, it returns a 401 Unauthorized response".
// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
import { InvalidIdentitySourceError, InvalidValidationExpressionError } from './errors.js';
import { compileFullMatch } from './linear-regex.js';

export { InvalidIdentitySourceError, InvalidValidationExpressionError };

export interface IdentityInput {
  headersLower: Map<string, string>;
  query: Record<string, string>;
  stageVariables: Record<string, string>;
  context: Record<string, string>;
}

export interface IdentitySource {
  readonly expressions: readonly string[];
  /** The values in order, or undefined when any is missing or empty (→ 401, no invocation). */
  extract(input: IdentityInput): string[] | undefined;
}

/** The console's default, and the only kind of source a TOKEN authorizer may have. */
export const DEFAULT_TOKEN_IDENTITY_SOURCE = 'method.request.header.Authorization';

type Lookup = (input: IdentityInput) => string | undefined;

const PREFIXES: readonly { prefix: string; lookup: (name: string) => Lookup }[] = [
  {
    // HTTP header names are case-insensitive; the request keeps a lowercased view for this.
    prefix: 'method.request.header.',
    lookup: (name) => {
      const lower = name.toLowerCase();
      return (input) => input.headersLower.get(lower);
    },
  },
  { prefix: 'method.request.querystring.', lookup: (name) => (input) => own(input.query, name) },
  { prefix: 'stageVariables.', lookup: (name) => (input) => own(input.stageVariables, name) },
  { prefix: 'context.', lookup: (name) => (input) => own(input.context, name) },
];

function own(record: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Whitespace and commas cannot be part of a parameter name in a comma-separated list. */
const NAME = /^[^\s,]+$/;

function compileExpression(expression: string, type: 'TOKEN' | 'REQUEST'): Lookup {
  for (const { prefix, lookup } of PREFIXES) {
    if (!expression.startsWith(prefix)) continue;
    const name = expression.slice(prefix.length);
    if (!NAME.test(name)) {
      throw new InvalidIdentitySourceError(
        `Invalid identity source '${expression}': the parameter name is empty or contains whitespace`,
        expression,
      );
    }
    // TOKEN authorizers read the token from one request header only.
    // https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
    if (type === 'TOKEN' && prefix !== 'method.request.header.') {
      throw new InvalidIdentitySourceError(
        `Invalid identity source '${expression}': a TOKEN authorizer's identity source must be a request header (method.request.header.<name>)`,
        expression,
      );
    }
    return lookup(name);
  }
  throw new InvalidIdentitySourceError(
    `Invalid identity source '${expression}': expected method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<name>`,
    expression,
  );
}

function splitExpressions(identitySource: string): string[] {
  const parts = identitySource.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) {
    throw new InvalidIdentitySourceError(
      `Invalid identity source '${identitySource}': empty expression in the comma-separated list`,
      identitySource,
    );
  }
  return parts;
}

/**
 * TOKEN: exactly one header source, `method.request.header.Authorization` when none is given.
 * REQUEST: any number of sources, comma-separated; none is allowed (the authorizer is then always
 * invoked) as long as caching is off — see `assertIdentitySourceAllowsCaching`.
 */
export function compileIdentitySource(
  identitySource: string | undefined,
  type: 'TOKEN' | 'REQUEST',
): IdentitySource {
  const trimmed = identitySource?.trim() ?? '';
  let expressions: string[];
  if (trimmed === '') {
    expressions = type === 'TOKEN' ? [DEFAULT_TOKEN_IDENTITY_SOURCE] : [];
  } else {
    expressions = splitExpressions(trimmed);
  }
  if (type === 'TOKEN' && expressions.length !== 1) {
    throw new InvalidIdentitySourceError(
      `Invalid identity source '${trimmed}': a TOKEN authorizer takes exactly one request header`,
      trimmed,
    );
  }
  const lookups = expressions.map((e) => compileExpression(e, type));
  return {
    expressions: Object.freeze(expressions),
    extract(input) {
      const values = new Array<string>(lookups.length);
      for (let i = 0; i < lookups.length; i++) {
        const value = lookups[i]!(input);
        if (value === undefined || value === '') return undefined;
        values[i] = value;
      }
      return values;
    },
  };
}

/**
 * For a REQUEST authorizer, identitySource "is required when authorization caching is enabled
 * … When the authorization caching is not enabled, this property is optional."
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
 */
export function assertIdentitySourceAllowsCaching(
  source: IdentitySource,
  ttlSeconds: number,
): void {
  if (ttlSeconds > 0 && source.expressions.length === 0) {
    throw new InvalidIdentitySourceError(
      'A REQUEST authorizer with caching enabled (authorizerResultTtlInSeconds > 0) needs at least one identity source',
      undefined,
      'ERR_IDENTITY_SOURCE_REQUIRED',
    );
  }
}

const ALWAYS = (): boolean => true;

/**
 * A TOKEN authorizer's `identityValidationExpression`: the whole token must match, as with Java's
 * `String.matches` (AWS's own example is `Bearer.*`, which only makes sense anchored at both
 * ends). A token that does not match is answered 401 without invoking the authorizer.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-lambdatokenauthorizationidentity.html
 */
export function compileValidationExpression(expr: string | undefined): (token: string) => boolean {
  if (expr === undefined || expr === '') return ALWAYS;
  // Linear-time matching: the token is the client's, and a backtracking engine would let one
  // request stall the whole data plane (see linear-regex.ts).
  try {
    return compileFullMatch(expr);
  } catch (err) {
    throw new InvalidValidationExpressionError(
      `Invalid identityValidationExpression ${(err as Error).message}`,
    );
  }
}
