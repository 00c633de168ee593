// Every ARN Sallyport builds or reads goes through here.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
import type { Settings } from './types.js';

export function lambdaFunctionArn(settings: Settings, functionName: string): string {
  return `arn:aws:lambda:${settings.region}:${settings.accountId}:function:${functionName}`;
}

/** The URI API Gateway uses to call a Lambda function (integrations and authorizers). */
export function lambdaInvocationUri(settings: Settings, functionName: string): string {
  return `arn:aws:apigateway:${settings.region}:lambda:path/2015-03-31/functions/${lambdaFunctionArn(settings, functionName)}/invocations`;
}

const INVOCATION_URI =
  /^arn:aws:apigateway:([a-z0-9-]+):lambda:path\/2015-03-31\/functions\/(arn:aws:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?)\/invocations$/;

export interface ParsedInvocationUri {
  region: string;
  functionArn: string;
  functionRegion: string;
  accountId: string;
  functionName: string;
  qualifier?: string;
}

/** Parses an integration or authorizer URI that names a Lambda function; undefined if not one. */
export function parseLambdaInvocationUri(uri: string): ParsedInvocationUri | undefined {
  const m = INVOCATION_URI.exec(uri);
  if (!m) return undefined;
  const parsed: ParsedInvocationUri = {
    region: m[1]!,
    functionArn: m[2]!,
    functionRegion: m[3]!,
    accountId: m[4]!,
    functionName: m[5]!,
  };
  if (m[6] !== undefined) parsed.qualifier = m[6];
  return parsed;
}

/**
 * The method ARN an authorizer's policy is evaluated against:
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{resource path without leading /}`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
export function executeApiArn(
  settings: Settings,
  apiId: string,
  stage: string,
  httpMethod: string,
  path: string,
): string {
  const resourcePath = path.startsWith('/') ? path.slice(1) : path;
  return `arn:aws:execute-api:${settings.region}:${settings.accountId}:${apiId}/${stage}/${httpMethod}/${resourcePath}`;
}
