// Security schemes → API Gateway authorizers, and an operation's `security` → the method's
// authorizationType, authorizerId and apiKeyRequired.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html
import { z } from 'zod';
import { stableId } from '../support/stable-id.js';
import { parseLambdaInvocationUri } from '../model/arn.js';
import {
  checkAuthorizer,
  DEFAULT_AUTHORIZER_TTL_SECONDS,
  InvalidAuthorizerError,
} from '../model/authorizer-rules.js';
import type { AuthorizationType, Authorizer, Method } from '../model/types.js';
import { isObject, type ImportContext, type JsonObject, type JsonPath } from './context.js';

const AUTHORIZER = 'x-amazon-apigateway-authorizer';
const AUTHTYPE = 'x-amazon-apigateway-authtype';
/** Sallyport's extension beside x-amazon-apigateway-authorizer; AWS ignores unknown `x-` keys. */
const SALLYPORT_JWT = 'x-sallyport-jwt';
// Asymmetric algorithms only: a built-in authorizer has no shared secret, so HS* could only ever
// be "verified" with a public key — the classic alg-confusion hole.
const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

const lowerEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(values));

const wholeNumberText = z
  .string()
  .regex(/^-?\d+$/)
  .transform(Number);

const authorizerSchema = z.looseObject({
  type: lowerEnum(['token', 'request', 'cognito_user_pools']),
  authorizerUri: z.string().optional(),
  authorizerCredentials: z.string().optional(),
  identitySource: z.string().optional(),
  identityValidationExpression: z.string().optional(),
  // The extension's page types it as a string; its examples write a number. Both import; the
  // range is the model's rule (checkAuthorizer).
  authorizerResultTtlInSeconds: z
    .union([z.number(), wholeNumberText], { error: 'expected a number of seconds' })
    .optional(),
  providerARNs: z.array(z.string()).optional(),
});

const absoluteUrl = z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' });

const sallyportJwtSchema = z.strictObject({
  issuer: absoluteUrl.optional(),
  audience: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  audiences: z.array(z.string()).min(1).optional(),
  jwksUri: absoluteUrl.optional(),
  clockSkewSeconds: z
    .number()
    .int()
    .min(0, { error: 'must be between 0 and 300 seconds' })
    .max(300, { error: 'must be between 0 and 300 seconds' })
    .optional(),
  algorithms: z.array(z.enum(JWT_ALGORITHMS)).min(1).optional(),
  jwksCacheSeconds: z.number().int().min(1).max(86_400).optional(),
  jwksCooldownSeconds: z.number().int().min(0).max(3_600).optional(),
  jwksTimeoutMs: z.number().int().min(100).max(29_000).optional(),
});

/** What naming a security scheme in an operation's `security` does to the method. */
export type SchemeEffect =
  | { kind: 'authorizer'; authorizer: Authorizer }
  | { kind: 'apiKey' }
  | { kind: 'iam' }
  | { kind: 'unsupported'; reason: string };

export interface SecurityOptions {
  apiId: string;
  functionExists: (name: string) => boolean;
}

/** Reads `components.securitySchemes` (OpenAPI 3) or `securityDefinitions` (Swagger 2). */
export function readSecuritySchemes(
  ctx: ImportContext,
  version: 2 | 3,
  options: SecurityOptions,
): Map<string, SchemeEffect> {
  const at: JsonPath = version === 3 ? ['components', 'securitySchemes'] : ['securityDefinitions'];
  const container = version === 3 ? ctx.root.components : ctx.root;
  const raw = isObject(container) ? container[at[at.length - 1] as string] : undefined;
  const effects = new Map<string, SchemeEffect>();
  if (raw === undefined || raw === null) return effects;
  const schemes = ctx.object(raw, at);
  for (const [name, value] of Object.entries(schemes.value)) {
    const scheme = ctx.object(value, [...schemes.path, name]);
    effects.set(name, schemeEffect(ctx, name, scheme.value, scheme.path, options));
  }
  return effects;
}

function schemeEffect(
  ctx: ImportContext,
  name: string,
  scheme: JsonObject,
  at: JsonPath,
  options: SecurityOptions,
): SchemeEffect {
  const authtype =
    typeof scheme[AUTHTYPE] === 'string' ? scheme[AUTHTYPE].toLowerCase() : undefined;
  if (scheme[AUTHORIZER] !== undefined) {
    return { kind: 'authorizer', authorizer: readAuthorizer(ctx, name, scheme, at, options) };
  }
  // `awsSigv4` (and any `aws…` term) is reserved for IAM authorization.
  if (authtype === 'awssigv4') return { kind: 'iam' };
  if (authtype === 'custom') {
    // API Gateway: "Unable to create authorizer from security definition … Extension
    // x-amazon-apigateway-authorizer is required."
    ctx.fail(at, `x-amazon-apigateway-authtype is "custom" but ${AUTHORIZER} is missing`);
  }
  if (
    scheme.type === 'apiKey' &&
    scheme.in === 'header' &&
    typeof scheme.name === 'string' &&
    scheme.name.toLowerCase() === 'x-api-key'
  ) {
    return { kind: 'apiKey' };
  }
  return {
    kind: 'unsupported',
    reason:
      `security scheme "${name}" is neither an API key (type: apiKey, name: x-api-key, in: header) ` +
      `nor an authorizer (${AUTHORIZER}), so API Gateway cannot enforce it`,
  };
}

function readAuthorizer(
  ctx: ImportContext,
  name: string,
  scheme: JsonObject,
  at: JsonPath,
  options: SecurityOptions,
): Authorizer {
  const ext = ctx.object(scheme[AUTHORIZER], [...at, AUTHORIZER]);
  const raw = ctx.parse(authorizerSchema, ext.value, ext.path);
  const type =
    raw.type === 'token' ? 'TOKEN' : raw.type === 'request' ? 'REQUEST' : 'COGNITO_USER_POOLS';
  const authorizer: Authorizer = {
    id: stableId(`authorizer:${options.apiId}:${name}`, 6),
    name,
    type,
    authorizerResultTtlInSeconds:
      raw.authorizerResultTtlInSeconds ?? DEFAULT_AUTHORIZER_TTL_SECONDS,
  };
  if (type === 'COGNITO_USER_POOLS') {
    const jwt = readSallyportJwt(ctx, scheme, at);
    if (jwt) authorizer.jwtConfiguration = jwt;
    if (raw.providerARNs) authorizer.providerARNs = raw.providerARNs;
  } else {
    if (scheme[SALLYPORT_JWT] !== undefined)
      ctx.fail([...at, SALLYPORT_JWT], 'only applies to a cognito_user_pools authorizer');
    if (raw.authorizerUri !== undefined) authorizer.authorizerUri = raw.authorizerUri;
  }
  if (raw.authorizerCredentials !== undefined)
    authorizer.authorizerCredentials = raw.authorizerCredentials;
  const identitySource = identitySourceFor(ctx, type, raw, scheme, ext.path);
  if (identitySource !== undefined) authorizer.identitySource = identitySource;
  if (raw.identityValidationExpression !== undefined)
    authorizer.identityValidationExpression = raw.identityValidationExpression;
  // The rules every door applies (model/authorizer-rules.ts), pointed at the member they are about.
  try {
    checkAuthorizer(authorizer);
  } catch (error) {
    if (error instanceof InvalidAuthorizerError)
      ctx.fail([...ext.path, error.field], error.message);
    throw error;
  }
  if (authorizer.authorizerUri !== undefined)
    checkFunctionExists(ctx, authorizer.authorizerUri, [...ext.path, 'authorizerUri'], options);
  return authorizer;
}

/**
 * `x-sallyport-jwt` on a cognito_user_pools scheme: verify tokens of any OIDC issuer, or point a
 * user pool at a local JWKS. The same file still imports on AWS, which ignores the extension.
 */
function readSallyportJwt(
  ctx: ImportContext,
  scheme: JsonObject,
  at: JsonPath,
): Authorizer['jwtConfiguration'] {
  if (scheme[SALLYPORT_JWT] === undefined) return undefined;
  const ext = ctx.object(scheme[SALLYPORT_JWT], [...at, SALLYPORT_JWT]);
  const raw = ctx.parse(sallyportJwtSchema, ext.value, ext.path);
  if (raw.audience !== undefined && raw.audiences !== undefined)
    ctx.fail(ext.path, 'give audience or audiences, not both');
  const audience =
    raw.audiences ?? (typeof raw.audience === 'string' ? [raw.audience] : raw.audience);
  const config: NonNullable<Authorizer['jwtConfiguration']> = {};
  if (raw.issuer !== undefined) config.issuer = raw.issuer;
  if (audience !== undefined) config.audience = audience;
  if (raw.jwksUri !== undefined) config.jwksUri = raw.jwksUri;
  if (raw.clockSkewSeconds !== undefined) config.clockSkewSeconds = raw.clockSkewSeconds;
  if (raw.algorithms !== undefined) config.algorithms = raw.algorithms;
  if (raw.jwksCacheSeconds !== undefined) config.jwksCacheSeconds = raw.jwksCacheSeconds;
  if (raw.jwksCooldownSeconds !== undefined) config.jwksCooldownSeconds = raw.jwksCooldownSeconds;
  if (raw.jwksTimeoutMs !== undefined) config.jwksTimeoutMs = raw.jwksTimeoutMs;
  return config;
}

function checkFunctionExists(
  ctx: ImportContext,
  uri: string,
  at: JsonPath,
  options: SecurityOptions,
): void {
  const functionName = parseLambdaInvocationUri(uri)?.functionName;
  if (functionName !== undefined && !options.functionExists(functionName)) {
    ctx.fail(
      at,
      `Lambda function "${functionName}" is not defined`,
      'ERR_OPENAPI_UNKNOWN_FUNCTION',
    );
  }
}

/**
 * TOKEN and Cognito authorizers read one header. Without `identitySource`, API Gateway takes it
 * from the security scheme's `name` (the "Token Source"), which must be `in: header`; REQUEST
 * authorizers take a single header or query parameter from `name`/`in` the same way, unless the
 * name is "Unused". What the source may be is the model's rule, checked with the rest.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html#apigw-CreateAuthorizer-request-identitySource
 */
function identitySourceFor(
  ctx: ImportContext,
  type: Authorizer['type'],
  raw: z.output<typeof authorizerSchema>,
  scheme: JsonObject,
  at: JsonPath,
): string | undefined {
  if (raw.identitySource !== undefined) return raw.identitySource;
  const named =
    typeof scheme.name === 'string' && scheme.name !== 'Unused' ? scheme.name : undefined;
  if (type !== 'REQUEST') {
    if (named === undefined || scheme.in !== 'header') {
      ctx.fail(
        at,
        'identitySource is required (or name the token header with in: header, name: …)',
      );
    }
    return `method.request.header.${named}`;
  }
  if (named !== undefined && (scheme.in === 'header' || scheme.in === 'query')) {
    return `method.request.${scheme.in === 'header' ? 'header' : 'querystring'}.${named}`;
  }
  return undefined;
}

export type MethodSecurity = Pick<
  Method,
  'authorizationType' | 'authorizerId' | 'authorizationScopes' | 'apiKeyRequired'
>;

/**
 * An operation's `security`: every scheme named applies (API Gateway has no "either of").
 * `security: []` means none.
 */
export function methodSecurity(
  ctx: ImportContext,
  security: unknown,
  at: JsonPath,
  schemes: Map<string, SchemeEffect>,
): MethodSecurity {
  const result: MethodSecurity = { authorizationType: 'NONE', apiKeyRequired: false };
  if (security === undefined || security === null) return result;
  if (!Array.isArray(security)) ctx.fail(at, 'expected a list of security requirements');
  security.forEach((requirement: unknown, index) => {
    if (!isObject(requirement)) ctx.fail([...at, index], 'expected a mapping');
    for (const [name, scopes] of Object.entries(requirement)) {
      applyScheme(ctx, result, name, scopes, [...at, index, name], schemes);
    }
  });
  return result;
}

function applyScheme(
  ctx: ImportContext,
  result: MethodSecurity,
  name: string,
  scopes: unknown,
  at: JsonPath,
  schemes: Map<string, SchemeEffect>,
): void {
  const effect = schemes.get(name);
  if (!effect) ctx.fail(at, `no security scheme named "${name}"`);
  switch (effect.kind) {
    case 'unsupported':
      return ctx.fail(at, effect.reason, 'ERR_OPENAPI_UNSUPPORTED');
    case 'apiKey':
      result.apiKeyRequired = true;
      return;
    case 'iam':
      return setAuthorization(ctx, result, 'AWS_IAM', undefined, at);
    case 'authorizer': {
      const { authorizer } = effect;
      const type: AuthorizationType =
        authorizer.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
      setAuthorization(ctx, result, type, authorizer.id, at);
      // Scopes only mean something to a Cognito user pool authorizer.
      if (type === 'COGNITO_USER_POOLS' && Array.isArray(scopes) && scopes.length > 0) {
        result.authorizationScopes = scopes.map(String);
      }
    }
  }
}

function setAuthorization(
  ctx: ImportContext,
  result: MethodSecurity,
  type: AuthorizationType,
  authorizerId: string | undefined,
  at: JsonPath,
): void {
  if (
    result.authorizationType !== 'NONE' &&
    (result.authorizationType !== type || result.authorizerId !== authorizerId)
  ) {
    ctx.fail(at, 'a method can use one authorizer (or IAM) only');
  }
  result.authorizationType = type;
  if (authorizerId !== undefined) result.authorizerId = authorizerId;
}
