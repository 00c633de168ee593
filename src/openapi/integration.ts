// x-amazon-apigateway-integration → the method's Integration.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration-responses.html
import { z } from 'zod';
import { parseLambdaInvocationUri } from '../model/arn.js';
import type { Integration, IntegrationResponse, IntegrationType } from '../model/types.js';
import type { ImportContext, JsonPath } from './context.js';

export const INTEGRATION = 'x-amazon-apigateway-integration';
const SUPPORTED = ['aws', 'aws_proxy', 'http', 'http_proxy', 'mock'] as const;
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
const DEFAULT_TIMEOUT_MS = 29000;
const MIN_TIMEOUT_MS = 50;

const upperEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(values));

const stringMap = z.record(z.string(), z.string());

// YAML writers often leave status codes unquoted; API Gateway's are strings.
export const statusCodeSchema = z
  .union([z.string(), z.number()], { error: 'expected an HTTP status code' })
  .transform(String)
  .pipe(z.string().regex(/^[1-5]\d\d$/, { error: 'expected an HTTP status code' }));

const responseSchema = z.looseObject({
  statusCode: statusCodeSchema,
  responseParameters: stringMap.optional(),
  responseTemplates: stringMap.optional(),
  contentHandling: upperEnum(['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT']).optional(),
});

const integrationSchema = z.looseObject({
  type: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(['aws', 'aws_proxy', 'http', 'http_proxy', 'mock'])),
  uri: z.string().optional(),
  httpMethod: z
    .string()
    .transform((s) => s.toUpperCase())
    .optional(),
  connectionType: upperEnum(['INTERNET', 'VPC_LINK']).optional(),
  requestParameters: stringMap.optional(),
  requestTemplates: stringMap.optional(),
  passthroughBehavior: upperEnum(['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER']).optional(),
  contentHandling: upperEnum(['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT']).optional(),
  timeoutInMillis: z
    .number()
    .int()
    .min(MIN_TIMEOUT_MS, { error: 'must be between 50 and 29000' })
    .max(DEFAULT_TIMEOUT_MS, { error: 'must be between 50 and 29000' })
    .optional(),
  cacheKeyParameters: z.array(z.string()).optional(),
  responses: z.record(z.string(), responseSchema).optional(),
});

export interface IntegrationOptions {
  functionExists: (name: string) => boolean;
}

/** `methodAt` is the operation's path (`paths./pets.get`): unsupported types are reported there. */
export function readIntegration(
  ctx: ImportContext,
  value: unknown,
  methodAt: JsonPath,
  options: IntegrationOptions,
): Integration {
  const ext = ctx.object(value, [...methodAt, INTEGRATION]);
  const raw = ctx.parse(integrationSchema, ext.value, ext.path);
  if (!(SUPPORTED as readonly string[]).includes(raw.type)) {
    ctx.fail(
      methodAt,
      `${INTEGRATION} type "${raw.type}" is not supported yet (supported: ${SUPPORTED.join(', ')})`,
      'ERR_OPENAPI_UNSUPPORTED',
    );
  }
  if (raw.connectionType === 'VPC_LINK') {
    ctx.fail(
      [...ext.path, 'connectionType'],
      'VPC_LINK (private integrations) is not supported',
      'ERR_OPENAPI_UNSUPPORTED',
    );
  }
  const type = raw.type.toUpperCase() as IntegrationType;
  const integration: Integration = {
    type,
    timeoutInMillis: raw.timeoutInMillis ?? DEFAULT_TIMEOUT_MS,
  };
  if (type === 'AWS_PROXY' || type === 'AWS')
    checkLambdaTarget(ctx, raw.type, raw.uri, raw.httpMethod, ext.path, options);
  if (type === 'HTTP_PROXY' || type === 'HTTP')
    checkHttpTarget(ctx, raw.type, raw.uri, raw.httpMethod, ext.path);
  if (type !== 'MOCK' || raw.uri !== undefined) setIf(integration, 'uri', raw.uri);
  setIf(integration, 'httpMethod', raw.httpMethod);
  setIf(integration, 'requestParameters', raw.requestParameters);
  setIf(integration, 'requestTemplates', raw.requestTemplates);
  setIf(integration, 'passthroughBehavior', raw.passthroughBehavior);
  setIf(integration, 'contentHandling', raw.contentHandling);
  setIf(integration, 'cacheKeyParameters', raw.cacheKeyParameters);
  if (raw.responses !== undefined) {
    integration.integrationResponses = integrationResponses(ctx, raw.responses, [
      ...ext.path,
      'responses',
    ]);
  }
  return integration;
}

/**
 * `responses` is keyed by selection pattern (`default` for none); API Gateway keys integration
 * responses by status code, as GetIntegration returns them.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html
 */
function integrationResponses(
  ctx: ImportContext,
  responses: Record<string, z.output<typeof responseSchema>>,
  at: JsonPath,
): Record<string, IntegrationResponse> {
  const byStatus: Record<string, IntegrationResponse> = {};
  const patternFor = new Map<string, string>();
  for (const [pattern, raw] of Object.entries(responses)) {
    const previous = patternFor.get(raw.statusCode);
    if (previous !== undefined) {
      ctx.fail(
        [...at, pattern, 'statusCode'],
        `statusCode ${raw.statusCode} is already used by responses.${previous}; API Gateway keeps one integration response per status code`,
      );
    }
    patternFor.set(raw.statusCode, pattern);
    if (pattern !== 'default') checkRegex(ctx, pattern, [...at, pattern]);
    const response: IntegrationResponse = { statusCode: raw.statusCode };
    if (pattern !== 'default') response.selectionPattern = pattern;
    setIf(response, 'responseParameters', raw.responseParameters);
    setIf(response, 'responseTemplates', raw.responseTemplates);
    setIf(response, 'contentHandling', raw.contentHandling);
    byStatus[raw.statusCode] = response;
  }
  return byStatus;
}

function checkLambdaTarget(
  ctx: ImportContext,
  type: string,
  uri: string | undefined,
  httpMethod: string | undefined,
  at: JsonPath,
  options: IntegrationOptions,
): void {
  if (uri === undefined) ctx.fail([...at, 'uri'], `required for ${type}`);
  // "For Lambda function invocations, the value must be POST."
  if (httpMethod !== 'POST') {
    ctx.fail(
      [...at, 'httpMethod'],
      `must be POST for a Lambda integration (got ${JSON.stringify(httpMethod ?? null)})`,
    );
  }
  // A function chosen per stage can only be checked when a stage calls it.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
  if (uri.includes('${stageVariables.')) return;
  const parsed = parseLambdaInvocationUri(uri);
  if (!parsed) {
    ctx.fail(
      [...at, 'uri'],
      'expected a Lambda invocation URI, arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/' +
        `{functionArn}/invocations (got "${uri}")`,
    );
  }
  if (!options.functionExists(parsed.functionName)) {
    ctx.fail(
      [...at, 'uri'],
      `Lambda function "${parsed.functionName}" is not defined`,
      'ERR_OPENAPI_UNKNOWN_FUNCTION',
    );
  }
}

function checkHttpTarget(
  ctx: ImportContext,
  type: string,
  uri: string | undefined,
  httpMethod: string | undefined,
  at: JsonPath,
): void {
  if (uri === undefined) ctx.fail([...at, 'uri'], `required for ${type}`);
  if (!/^https?:\/\/[^\s/]+/i.test(uri))
    ctx.fail([...at, 'uri'], `expected an http:// or https:// URL (got "${uri}")`);
  if (httpMethod === undefined) ctx.fail([...at, 'httpMethod'], `required for ${type}`);
}

function checkRegex(ctx: ImportContext, pattern: string, at: JsonPath): void {
  try {
    new RegExp(pattern);
  } catch {
    ctx.fail(
      at,
      'not a valid regular expression (the key of an integration response is its selection pattern)',
    );
  }
}

function setIf<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) target[key] = value;
}
