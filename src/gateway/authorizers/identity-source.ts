// Identity sources of TOKEN and REQUEST authorizers, compiled once when a deployment is loaded.
// Which expressions are valid is the model's rule (model/authorizer-rules.ts); this file only turns
// them into lookups. A request whose identity sources are missing or empty is answered 401 without
// invoking the authorizer: "verifying all of the identity-related request parameters are present,
// not null and non-empty. Only when this is true does the authorizer invoke the authorizer Lambda
// function, otherwise, it returns a 401 Unauthorized response".
// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
import {
  compileIdentityValidation,
  parseIdentitySource,
  type IdentitySourceKind,
} from '../../model/authorizer-rules.js';
import type { AuthorizerType } from '../../model/types.js';

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

type Lookup = (input: IdentityInput) => string | undefined;

const LOOKUPS: Record<IdentitySourceKind, (name: string) => Lookup> = {
  // HTTP header names are case-insensitive; the request keeps a lowercased view for this.
  header: (name) => {
    const lower = name.toLowerCase();
    return (input) => input.headersLower.get(lower);
  },
  querystring: (name) => (input) => own(input.query, name),
  stageVariables: (name) => (input) => own(input.stageVariables, name),
  context: (name) => (input) => own(input.context, name),
};

function own(record: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * TOKEN (and COGNITO_USER_POOLS): one header, `method.request.header.Authorization` when none is
 * given. REQUEST: any number of sources; none means the authorizer is always invoked. Throws the
 * model's InvalidAuthorizerError for an expression the rules refuse.
 */
export function compileIdentitySource(
  identitySource: string | undefined,
  type: AuthorizerType,
): IdentitySource {
  const parsed = parseIdentitySource(identitySource, type);
  const lookups = parsed.map((p) => LOOKUPS[p.kind](p.name));
  return {
    expressions: Object.freeze(parsed.map((p) => p.expression)),
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

const ALWAYS = (): boolean => true;

/**
 * A TOKEN authorizer's `identityValidationExpression`: the whole token must match. A token that
 * does not match is answered 401 without invoking the authorizer.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-lambdatokenauthorizationidentity.html
 */
export function compileValidationExpression(expr: string | undefined): (token: string) => boolean {
  if (expr === undefined || expr === '') return ALWAYS;
  return compileIdentityValidation(expr, 'full');
}
