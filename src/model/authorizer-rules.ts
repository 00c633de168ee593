// What makes an authorizer's configuration valid, written once. The OpenAPI importer, the admin
// API (CreateAuthorizer / UpdateAuthorizer) and the data plane's compile all call
// `checkAuthorizer`, so a bad authorizer is refused at the first door it comes through, with the
// same message at every door; the data plane reads identity sources with `parseIdentitySource`.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
import { SallyportError, type DeployErrorCode } from '../errors.js';
import { parseLambdaInvocationUri } from './arn.js';
import { compileFind, compileFullMatch } from './linear-regex.js';
import type { Authorizer, AuthorizerType } from './types.js';

export const AUTHORIZER_TYPES: readonly AuthorizerType[] = [
  'TOKEN',
  'REQUEST',
  'COGNITO_USER_POOLS',
];

// "If this field is not set, the default value is 300. The maximum value is 3600, or 1 hour."
// 0 turns caching off.
export const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;
export const MAX_AUTHORIZER_TTL_SECONDS = 3600;

/** The console's default, and what a TOKEN authorizer without an identity source reads. */
export const DEFAULT_TOKEN_IDENTITY_SOURCE = 'method.request.header.Authorization';

export type AuthorizerRuleCode = Extract<
  DeployErrorCode,
  | 'ERR_INVALID_IDENTITY_SOURCE'
  | 'ERR_IDENTITY_SOURCE_REQUIRED'
  | 'ERR_INVALID_VALIDATION_EXPRESSION'
  | 'ERR_INVALID_AUTHORIZER_TTL'
  | 'ERR_INVALID_AUTHORIZER_URI'
  | 'ERR_PROVIDER_ARNS_REQUIRED'
>;

/** The member a refusal is about, so a door can point at it (the importer's JSON path). */
export type AuthorizerRuleField =
  | 'identitySource'
  | 'identityValidationExpression'
  | 'authorizerResultTtlInSeconds'
  | 'authorizerUri'
  | 'providerARNs';

/** An authorizer configuration API Gateway would refuse; the message is the one every door shows. */
export class InvalidAuthorizerError extends SallyportError {
  readonly code: AuthorizerRuleCode;
  readonly field: AuthorizerRuleField;
  constructor(code: AuthorizerRuleCode, field: AuthorizerRuleField, message: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

export type IdentitySourceKind = 'header' | 'querystring' | 'stageVariables' | 'context';

export interface IdentitySourceExpression {
  expression: string;
  kind: IdentitySourceKind;
  name: string;
}

// REST API REQUEST authorizers read headers, query strings, stage variables and context variables
// (the four kinds the console, SAM's `LambdaRequestAuthorizationIdentity` and CDK's
// `IdentitySource` offer). Path parameters and the multi-value maps are not identity sources.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
const FORMS: readonly { prefix: string; kind: IdentitySourceKind }[] = [
  { prefix: 'method.request.header.', kind: 'header' },
  { prefix: 'method.request.querystring.', kind: 'querystring' },
  { prefix: 'stageVariables.', kind: 'stageVariables' },
  { prefix: 'context.', kind: 'context' },
];
// AWS's own pattern for a token source ("matching 'method.request.header.[a-zA-Z0-9._-]+'"); the
// same characters for every kind, as AWS SAM CLI validates REST API identity sources.
const NAME = /^[a-zA-Z0-9._-]+$/;

const TOKEN_SOURCE_RULE =
  "The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'";
const REQUEST_SOURCE_RULE =
  'Each source must be method.request.header.{name}, method.request.querystring.{name}, ' +
  'stageVariables.{name} or context.{name}, the name matching [a-zA-Z0-9._-]+';

function readExpression(expression: string): IdentitySourceExpression | undefined {
  for (const { prefix, kind } of FORMS) {
    if (!expression.startsWith(prefix)) continue;
    const name = expression.slice(prefix.length);
    return NAME.test(name) ? { expression, kind, name } : undefined;
  }
  return undefined;
}

/**
 * An authorizer's `identitySource`, read into its expressions.
 * TOKEN and COGNITO_USER_POOLS: exactly one request header, `method.request.header.Authorization`
 * when none is given. REQUEST: a comma-separated list (spaces around commas allowed), or none.
 */
export function parseIdentitySource(
  identitySource: string | undefined,
  type: AuthorizerType,
): IdentitySourceExpression[] {
  const trimmed = identitySource?.trim() ?? '';
  if (type !== 'REQUEST') {
    const only = readExpression(trimmed === '' ? DEFAULT_TOKEN_IDENTITY_SOURCE : trimmed);
    if (only?.kind !== 'header')
      throw new InvalidAuthorizerError(
        'ERR_INVALID_IDENTITY_SOURCE',
        'identitySource',
        `Invalid token source expression: ${trimmed}. ${TOKEN_SOURCE_RULE}`,
      );
    return [only];
  }
  if (trimmed === '') return [];
  return trimmed.split(',').map((part) => {
    const expression = part.trim();
    const parsed = readExpression(expression);
    if (!parsed)
      throw new InvalidAuthorizerError(
        'ERR_INVALID_IDENTITY_SOURCE',
        'identitySource',
        `Invalid identity source expression: ${expression}. ${REQUEST_SOURCE_RULE}`,
      );
    return parsed;
  });
}

/**
 * `identityValidationExpression` as the data plane runs it, on RE2 (linear time, see
 * linear-regex.ts). TOKEN: the whole token must match, as Java's `String.matches` (AWS's example
 * `Bearer.*` only makes sense anchored). COGNITO_USER_POOLS: matched against the token's `aud`.
 */
export function compileIdentityValidation(
  expression: string,
  mode: 'full' | 'find',
): (input: string) => boolean {
  try {
    return mode === 'full' ? compileFullMatch(expression) : compileFind(expression);
  } catch (error) {
    throw new InvalidAuthorizerError(
      'ERR_INVALID_VALIDATION_EXPRESSION',
      'identityValidationExpression',
      `Invalid identityValidationExpression ${(error as Error).message}`,
    );
  }
}

/** 0 (no caching) to 3600 whole seconds. */
export function checkAuthorizerTtl(ttl: number): void {
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_AUTHORIZER_TTL_SECONDS)
    throw new InvalidAuthorizerError(
      'ERR_INVALID_AUTHORIZER_TTL',
      'authorizerResultTtlInSeconds',
      `Authorizer result TTL must be a whole number of seconds between 0 and ${MAX_AUTHORIZER_TTL_SECONDS} (got ${ttl})`,
    );
}

/** The fields the rules read: an Authorizer without its id and name. */
export type AuthorizerConfig = Omit<Authorizer, 'id' | 'name'>;

/** Throws InvalidAuthorizerError for the first rule the configuration breaks. */
export function checkAuthorizer(authorizer: AuthorizerConfig): void {
  const { type } = authorizer;
  checkAuthorizerTtl(authorizer.authorizerResultTtlInSeconds);
  if (type === 'COGNITO_USER_POOLS') {
    // A Sallyport JWT authorizer with its own issuer (x-sallyport-jwt) needs no user pool.
    if (!authorizer.providerARNs?.length && authorizer.jwtConfiguration?.issuer === undefined)
      throw new InvalidAuthorizerError(
        'ERR_PROVIDER_ARNS_REQUIRED',
        'providerARNs',
        'ProviderARNs need to be specified for COGNITO_USER_POOLS authorizers',
      );
  } else {
    checkAuthorizerUri(authorizer.authorizerUri, type);
  }
  const sources = parseIdentitySource(authorizer.identitySource, type);
  // "For the REQUEST authorizer, this is required when authorization caching is enabled."
  // (Worded as API Gateway words it for HTTP APIs.)
  if (type === 'REQUEST' && sources.length === 0 && authorizer.authorizerResultTtlInSeconds > 0)
    throw new InvalidAuthorizerError(
      'ERR_IDENTITY_SOURCE_REQUIRED',
      'identitySource',
      'Identity source must be set if authorizer caching is enabled (TTL is greater than 0)',
    );
  const expression = authorizer.identityValidationExpression;
  if (expression !== undefined && expression !== '')
    compileIdentityValidation(expression, type === 'TOKEN' ? 'full' : 'find');
}

/**
 * TOKEN and REQUEST authorizers call a Lambda function: the URI must be its invocation URI.
 * Stage variables in the URI are not served yet, so they are refused here rather than at deploy.
 */
function checkAuthorizerUri(uri: string | undefined, type: AuthorizerType): void {
  if (uri === undefined || uri === '')
    throw new InvalidAuthorizerError(
      'ERR_INVALID_AUTHORIZER_URI',
      'authorizerUri',
      `Authorizer URI must be specified for ${type} authorizers`,
    );
  if (!parseLambdaInvocationUri(uri))
    throw new InvalidAuthorizerError(
      'ERR_INVALID_AUTHORIZER_URI',
      'authorizerUri',
      `Invalid Authorizer URI: ${uri}. Expected a Lambda invocation URI, ` +
        'arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations',
    );
}
