// AWS::Serverless::Api Auth.Authorizers → the OpenAPI security schemes SAM writes into the API's
// definition (x-amazon-apigateway-authorizer), which the OpenAPI import then reads as any other.
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-lambdatokenauthorizer.html
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-lambdarequestauthorizer.html
import { isObject, text, type Json } from '../source/values.js';
import type { Path } from '../source/located-yaml.js';
import type { Template } from './template.js';

/** Lambda's invocation URI for a function ARN, as API Gateway names integrations and authorizers. */
export function lambdaUri(region: string, functionArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

/**
 * A Lambda authorizer as an OpenAPI security scheme; `name` is the token header (TOKEN) or
 * "Unused" when `identitySource` says it all.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 */
export function customScheme(authorizer: Json, name = 'Unused'): Json {
  return {
    type: 'apiKey',
    name,
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': authorizer,
  };
}

/** The built-in schemes SAM uses for `Authorizer: AWS_IAM` and `ApiKeyRequired: true`. */
export const IAM_SCHEME = 'AWS_IAM';
export const API_KEY_SCHEME = 'api_key';
export const BUILT_IN_SCHEMES: Record<string, Json> = {
  [IAM_SCHEME]: {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'awsSigv4',
  },
  [API_KEY_SCHEME]: { type: 'apiKey', name: 'x-api-key', in: 'header' },
};

const TOKEN_KEYS = new Set([
  'FunctionArn',
  'FunctionPayloadType',
  'FunctionInvokeRole',
  'Identity',
  'DisableFunctionDefaultPermissions',
]);

/** Each Lambda authorizer of `Auth.Authorizers` as a security scheme, by its name. */
export function securitySchemes(
  template: Template,
  authorizers: unknown,
  path: Path,
): Record<string, Json> {
  if (authorizers === undefined) return {};
  if (!isObject(authorizers)) template.fail(path, 'expected a mapping of authorizers by name');
  const schemes: Record<string, Json> = {};
  for (const [name, raw] of Object.entries(authorizers)) {
    const at = [...path, name];
    if (!isObject(raw)) template.fail(at, 'expected a mapping');
    if ('UserPoolArn' in raw)
      template.fail(
        at,
        'Cognito authorizers are not read from templates: a local gateway cannot reach the user pool (use a Lambda authorizer, or sallyport.yaml with an OpenAPI file)',
      );
    for (const key of Object.keys(raw))
      if (!TOKEN_KEYS.has(key))
        template.fail([...at, key], 'unknown property of a Lambda authorizer');
    if (raw.FunctionInvokeRole !== undefined)
      template.accept(
        'IAM (functions run with the permissions of the machine)',
        'FunctionInvokeRole',
      );
    schemes[name] = lambdaScheme(template, raw, at);
  }
  return schemes;
}

function lambdaScheme(template: Template, raw: Json, at: Path): Json {
  const arn = template.resolve(raw.FunctionArn, [...at, 'FunctionArn']);
  if (typeof arn !== 'string')
    template.fail(
      [...at, 'FunctionArn'],
      'expected the function ARN (e.g. !GetAtt AuthFunction.Arn)',
    );
  const payload = raw.FunctionPayloadType ?? 'TOKEN';
  if (payload !== 'TOKEN' && payload !== 'REQUEST')
    template.fail([...at, 'FunctionPayloadType'], 'expected TOKEN or REQUEST');
  const identity =
    raw.Identity === undefined ? {} : template.resolve(raw.Identity, [...at, 'Identity']);
  if (!isObject(identity)) template.fail([...at, 'Identity'], 'expected a mapping');
  const ttl = identity.ReauthorizeEvery ?? 300;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600)
    template.fail([...at, 'Identity', 'ReauthorizeEvery'], 'expected whole seconds from 0 to 3600');
  const authorizer: Json = {
    type: payload === 'TOKEN' ? 'token' : 'request',
    authorizerUri: lambdaUri(template.ctx.region, arn),
    authorizerResultTtlInSeconds: ttl,
  };
  if (payload === 'TOKEN') {
    allowOnly(
      template,
      identity,
      ['Header', 'ValidationExpression', 'ReauthorizeEvery'],
      [...at, 'Identity'],
    );
    const header = identity.Header ?? 'Authorization';
    authorizer.identitySource = `method.request.header.${text(header)}`;
    if (identity.ValidationExpression !== undefined)
      authorizer.identityValidationExpression = text(identity.ValidationExpression);
    return customScheme(authorizer, text(header));
  }
  allowOnly(
    template,
    identity,
    ['Headers', 'QueryStrings', 'StageVariables', 'Context', 'ReauthorizeEvery'],
    [...at, 'Identity'],
  );
  // LambdaRequestAuthorizationIdentity: each list becomes mapping expressions of its kind.
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-lambdarequestauthorizationidentity.html
  const sources = [
    ...list(template, identity.Headers, [...at, 'Identity', 'Headers']).map(
      (n) => `method.request.header.${n}`,
    ),
    ...list(template, identity.QueryStrings, [...at, 'Identity', 'QueryStrings']).map(
      (n) => `method.request.querystring.${n}`,
    ),
    ...list(template, identity.StageVariables, [...at, 'Identity', 'StageVariables']).map(
      (n) => `stageVariables.${n}`,
    ),
    ...list(template, identity.Context, [...at, 'Identity', 'Context']).map((n) => `context.${n}`),
  ];
  if (sources.length > 0) authorizer.identitySource = sources.join(', ');
  return customScheme(authorizer);
}

function allowOnly(template: Template, identity: Json, keys: string[], at: Path): void {
  for (const key of Object.keys(identity))
    if (!keys.includes(key))
      template.fail([...at, key], `unknown Identity property (here: ${keys.join(', ')})`);
}

function list(template: Template, value: unknown, at: Path): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    template.fail(at, 'expected a list of names');
  return value as string[];
}
