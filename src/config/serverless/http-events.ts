// `functions[].events[].http` → the REST API the Serverless Framework deploys: one method per
// event with a Lambda proxy integration, its authorizer a security scheme of the document.
// https://www.serverless.com/framework/docs/providers/aws/events/apigateway
import { isObject, text, type Json } from '../source/values.js';
import type { Path } from '../source/located-yaml.js';
import { BUILT_IN_SCHEMES, customScheme, lambdaUri } from '../sam/authorizers.js';
import { preflightOperation, quoted, type PreflightLiterals } from '../../cors/console-cors.js';

export interface HttpEventContext {
  region: string;
  /** The deployed Lambda function name of a `functions` key, or undefined. */
  functionName(key: string): string | undefined;
  functionArn(name: string): string;
  fail(path: Path, message: string): never;
}

const EVENT_KEYS = new Set([
  'path',
  'method',
  'authorizer',
  'private',
  'request',
  'integration',
  'cors',
  'async',
  'operationId',
  'response',
]);

export function addHttpEvent(
  document: Json,
  ctx: HttpEventContext,
  functionName: string,
  event: unknown,
  at: Path,
): void {
  const http = typeof event === 'string' ? shorthand(event, ctx, at) : event;
  if (!isObject(http)) ctx.fail(at, 'expected "METHOD path" or a mapping with path and method');
  for (const key of Object.keys(http))
    if (!EVENT_KEYS.has(key)) ctx.fail([...at, key], 'unknown property of an http event');
  const integration = text(http.integration ?? 'lambda-proxy').toLowerCase();
  if (integration !== 'lambda-proxy' && integration !== 'aws_proxy' && integration !== 'aws-proxy')
    ctx.fail(
      [...at, 'integration'],
      `integration ${integration} is not converted (lambda-proxy is): use sallyport.yaml with an OpenAPI file`,
    );
  if (http.async === true)
    ctx.fail([...at, 'async'], 'asynchronous invocation (async: true) is not emulated');
  if (http.response !== undefined)
    ctx.fail(
      [...at, 'response'],
      'response templates are not converted (lambda-proxy answers as the function returns)',
    );
  if (typeof http.path !== 'string' || typeof http.method !== 'string')
    ctx.fail(at, 'path and method are required');
  const path = `/${http.path.replace(/^\/+/, '')}`;
  const method = http.method.toLowerCase();
  const paths = (document.paths ??= {}) as Json;
  const item = (paths[path] ??= {}) as Json;
  const key = method === 'any' ? 'x-amazon-apigateway-any-method' : method;
  if (item[key] !== undefined)
    ctx.fail(
      [...at, 'method'],
      `${method.toUpperCase()} ${path} is already an event of another function`,
    );
  const operation: Json = {
    responses: {},
    'x-amazon-apigateway-integration': {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: lambdaUri(ctx.region, ctx.functionArn(functionName)),
    },
  };
  item[key] = operation;
  const security: Json = {};
  if (http.authorizer !== undefined) {
    const name = addAuthorizer(document, ctx, http.authorizer, [...at, 'authorizer']);
    security[name] = [];
  }
  if (http.private === true) {
    schemes(document).api_key = BUILT_IN_SCHEMES.api_key;
    security.api_key = [];
  }
  if (Object.keys(security).length > 0) operation.security = [security];
  if (http.request !== undefined)
    operation.parameters = requestParameters(ctx, http.request, [...at, 'request']);
  if (http.cors !== undefined && http.cors !== false)
    addPreflight(
      ctx,
      [...at, 'cors'],
      item,
      key === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase(),
      corsOf(ctx, http.cors, [...at, 'cors']),
    );
}

// The Framework's `cors: true`: origin '*', its default header list, no credentials.
// https://www.serverless.com/framework/docs/providers/aws/events/apigateway#enabling-cors
const FRAMEWORK_CORS_HEADERS = [
  'Content-Type',
  'X-Amz-Date',
  'Authorization',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
  'X-Amzn-Trace-Id',
];

function corsOf(ctx: HttpEventContext, raw: unknown, at: Path): PreflightLiterals {
  const spec: Json =
    raw === true ? {} : isObject(raw) ? raw : ctx.fail(at, 'expected true or a mapping');
  for (const key of Object.keys(spec))
    if (!['origin', 'origins', 'headers', 'allowCredentials', 'maxAge'].includes(key))
      ctx.fail(
        [...at, key],
        key === 'cacheControl'
          ? 'cacheControl is not converted: a preflight here carries the Access-Control-* headers only'
          : 'unknown property of cors',
      );
  const origins = spec.origins ?? (spec.origin === undefined ? ['*'] : [spec.origin]);
  if (!Array.isArray(origins) || origins.length !== 1 || typeof origins[0] !== 'string')
    ctx.fail(
      [...at, spec.origins === undefined ? 'origin' : 'origins'],
      "one origin (or *) is converted: several origins need the Framework's origin-matching template",
    );
  const headers = spec.headers ?? FRAMEWORK_CORS_HEADERS;
  if (!Array.isArray(headers) || !headers.every((h) => typeof h === 'string'))
    ctx.fail([...at, 'headers'], 'expected a list of header names');
  const cors: PreflightLiterals = {
    origin: quoted(origins[0]),
    headers: quoted(headers.join(',')),
    credentials: spec.allowCredentials === true,
  };
  if (spec.maxAge !== undefined) {
    if (typeof spec.maxAge !== 'number' || !Number.isInteger(spec.maxAge) || spec.maxAge < 0)
      ctx.fail([...at, 'maxAge'], 'expected whole seconds');
    cors.maxAge = quoted(String(spec.maxAge));
  }
  return cors;
}

/** Each path item's methods with cors, in event order, for its Access-Control-Allow-Methods. */
const corsMethods = new WeakMap<Json, string[]>();

/**
 * The Framework's OPTIONS MOCK method for a path (no authorizer): Allow-Methods is OPTIONS and
 * then each cors event's method, as its compiled template lists them.
 */
function addPreflight(
  ctx: HttpEventContext,
  at: Path,
  item: Json,
  method: string,
  cors: PreflightLiterals,
): void {
  if (item.options !== undefined && !corsMethods.has(item))
    ctx.fail(
      at,
      'cors on a path whose OPTIONS is an event of a function: one answers the preflight',
    );
  const methods = corsMethods.get(item) ?? ['OPTIONS'];
  if (!methods.includes(method)) methods.push(method);
  corsMethods.set(item, methods);
  item.options = preflightOperation({ ...cors, methods: quoted(methods.join(',')) }, false);
}

function shorthand(event: string, ctx: HttpEventContext, at: Path): Json {
  const m = /^(\S+)\s+(\S+)$/.exec(event.trim());
  if (!m) ctx.fail(at, 'expected "METHOD path", e.g. "GET hello"');
  return { method: m[1], path: m[2] };
}

function schemes(document: Json): Json {
  return (document.securityDefinitions ??= {}) as Json;
}

// https://www.serverless.com/framework/docs/providers/aws/events/apigateway#http-endpoints-with-custom-authorizers
function addAuthorizer(document: Json, ctx: HttpEventContext, raw: unknown, at: Path): string {
  const spec: Json =
    typeof raw === 'string'
      ? raw.startsWith('arn:')
        ? { arn: raw }
        : { name: raw }
      : isObject(raw)
        ? raw
        : ctx.fail(at, 'expected a function name, an ARN or a mapping');
  for (const key of Object.keys(spec))
    if (
      ![
        'name',
        'arn',
        'type',
        'resultTtlInSeconds',
        'identitySource',
        'identityValidationExpression',
        'managedExternally',
      ].includes(key)
    )
      ctx.fail(
        [...at, key],
        key === 'scopes'
          ? 'scopes belong to Cognito authorizers, which are not converted'
          : 'unknown property of an authorizer',
      );
  const type = text(spec.type ?? 'token').toLowerCase();
  if (type === 'aws_iam') {
    schemes(document).AWS_IAM = BUILT_IN_SCHEMES.AWS_IAM;
    return 'AWS_IAM';
  }
  if (type === 'cognito_user_pools')
    ctx.fail(
      [...at, 'type'],
      'Cognito authorizers are not converted: a local gateway cannot reach the user pool',
    );
  if (type !== 'token' && type !== 'request')
    ctx.fail([...at, 'type'], 'expected token, request or aws_iam');
  let functionName: string;
  let name: string;
  if (typeof spec.arn === 'string') {
    functionName = spec.arn.split(':').at(-1)!;
    name = typeof spec.name === 'string' ? spec.name : functionName;
    if (!ctx.functionName(functionName) && !/^arn:aws:lambda:/.test(spec.arn))
      ctx.fail([...at, 'arn'], 'expected a Lambda function ARN');
  } else {
    if (typeof spec.name !== 'string')
      ctx.fail(at, 'name the authorizer function (a key of functions) or give its arn');
    const deployed = ctx.functionName(spec.name);
    if (!deployed)
      ctx.fail(
        [...at, 'name'],
        `no function "${spec.name}" in functions (an authorizer elsewhere needs arn:)`,
      );
    functionName = deployed;
    name = spec.name;
  }
  const ttl = spec.resultTtlInSeconds ?? 300;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600)
    ctx.fail([...at, 'resultTtlInSeconds'], 'expected whole seconds from 0 to 3600');
  const authorizer: Json = {
    type,
    authorizerUri: lambdaUri(ctx.region, ctx.functionArn(functionName)),
    authorizerResultTtlInSeconds: ttl,
  };
  // The Framework's default token source is the Authorization header, for both types.
  const identitySource =
    spec.identitySource ??
    (type === 'token' || ttl > 0 ? 'method.request.header.Authorization' : undefined);
  if (identitySource !== undefined) authorizer.identitySource = identitySource;
  if (spec.identityValidationExpression !== undefined)
    authorizer.identityValidationExpression = spec.identityValidationExpression;
  const scheme = customScheme(authorizer);
  const existing = schemes(document)[name];
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(scheme))
    ctx.fail(
      at,
      `authorizer "${name}" is configured differently by another event: one authorizer has one configuration`,
    );
  schemes(document)[name] = scheme;
  return name;
}

function requestParameters(ctx: HttpEventContext, raw: unknown, at: Path): Json[] {
  if (!isObject(raw)) ctx.fail(at, 'expected a mapping');
  const out: Json[] = [];
  const places: Record<string, string> = {
    querystrings: 'query',
    headers: 'header',
    paths: 'path',
  };
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'parameters')
      ctx.fail(
        [...at, key],
        key === 'schemas'
          ? 'request schemas are not converted: validate in an OpenAPI file with sallyport.yaml'
          : 'unknown property of request',
      );
    if (!isObject(value)) ctx.fail([...at, key], 'expected querystrings, headers or paths');
    for (const [kind, names] of Object.entries(value)) {
      const place = places[kind];
      if (!place || !isObject(names))
        ctx.fail(
          [...at, key, kind],
          'expected querystrings, headers or paths, each a mapping of name: true|false',
        );
      for (const [name, required] of Object.entries(names))
        out.push({
          name,
          in: place,
          required: required === true || (isObject(required) && required.required === true),
          type: 'string',
        });
    }
  }
  return out;
}
