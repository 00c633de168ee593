// TestInvokeMethod and TestInvokeAuthorizer: the console's Test buttons. They run the working
// copy (nothing needs deploying) through the data plane's own integration and authorizer code,
// in a stage named `test-invoke-stage`.
// https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeMethod.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeAuthorizer.html
import type { IncomingMessage } from 'node:http';
import type { InvokeResult } from '../../functions/invoker.js';
import {
  compileIdentitySource,
  compileValidationExpression,
} from '../../gateway/authorizers/identity-source.js';
import { parseAuthorizerOutput } from '../../gateway/authorizers/output.js';
import { compileStage } from '../../gateway/compile.js';
import type { CompiledMethod, CompiledStage, HttpAnswer } from '../../gateway/compiled-api.js';
import { GatewayResponseError } from '../../gateway/errors.js';
import { requestAuthorizerEvent, tokenAuthorizerEvent } from '../../gateway/events/proxy-event.js';
import { headerMaps, queryMaps } from '../../gateway/http/incoming.js';
import type { GatewayRequest } from '../../gateway/request.js';
import { GatewayResponses } from '../../gateway/responses.js';
import { Router } from '../../gateway/router.js';
import { executeApiArn, parseLambdaInvocationUri } from '../../model/arn.js';
import { requestId as newRequestId } from '../../model/ids.js';
import type { ApiSnapshot, Resource } from '../../model/types.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { compileDeps } from './deployments.js';
import type { ApiGatewayDeps } from './deps.js';
import { getAuthorizer, getMethod, readWorkingCopy } from './entities.js';
import { optionalString, optionalStringMap, type Body } from './fields.js';
import { ExecutionLog } from './execution-log.js';

const TEST_STAGE = 'test-invoke-stage';
/** The stage name in the method ARN API Gateway gives an authorizer under test. */
const AUTHORIZER_TEST_STAGE = 'ESTestInvoke-stage';

interface TestRequest {
  pathWithQueryString: string | undefined;
  body: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  stageVariables: Record<string, string>;
}

function readTestRequest(body: Body, op: string): TestRequest {
  const multi = body.multiValueHeaders;
  if (
    multi !== undefined &&
    multi !== null &&
    (typeof multi !== 'object' ||
      Object.values(multi).some((v) => !Array.isArray(v) || v.some((x) => typeof x !== 'string')))
  )
    throw new BadRequestError('multiValueHeaders must be a map of string lists');
  return {
    pathWithQueryString: optionalString(body, 'pathWithQueryString', op),
    body: optionalString(body, 'body', op) ?? '',
    headers: optionalStringMap(body, 'headers', op) ?? {},
    multiValueHeaders: (multi ?? {}) as Record<string, string[]>,
    stageVariables: optionalStringMap(body, 'stageVariables', op) ?? {},
  };
}

/** A GatewayRequest as the data plane would build it, from the test's fields. */
function gatewayRequest(
  test: TestRequest,
  httpMethod: string,
  defaultPath: string,
  now: number,
): GatewayRequest {
  const full = test.pathWithQueryString ?? defaultPath;
  const q = full.indexOf('?');
  const path = q === -1 ? full : full.slice(0, q);
  const rawQuery = q === -1 ? '' : full.slice(q + 1);
  const raw: string[] = [];
  for (const [name, values] of Object.entries(test.multiValueHeaders))
    for (const value of values) raw.push(name, value);
  for (const [name, value] of Object.entries(test.headers)) raw.push(name, value);
  const { headers, lower } = headerMaps(raw);
  const fakeRaw = { headers: Object.fromEntries(lower), socket: {} } as unknown as IncomingMessage;
  return {
    requestId: newRequestId(),
    requestTimeEpoch: now,
    raw: fakeRaw,
    httpMethod,
    path: path.startsWith('/') ? path : `/${path}`,
    rawQuery,
    sourceIp: 'test-invoke-source-ip',
    domainName: 'testPrefix.testDomainName',
    protocol: 'HTTP/1.1',
    headers,
    headersLower: lower,
    query: queryMaps(rawQuery),
    body: Buffer.from(test.body),
  };
}

/** The one method under test, with authorization off: the console's Test skips authorizers. */
function methodOnlySnapshot(
  snapshot: ApiSnapshot,
  resource: Resource,
  httpMethod: string,
): ApiSnapshot {
  const method = { ...getMethod(resource, httpMethod), authorizationType: 'NONE' as const };
  delete method.authorizerId;
  return {
    ...snapshot,
    resources: [{ ...resource, resourceMethods: { [httpMethod]: method } }],
    authorizers: [],
  };
}

export async function testInvokeMethod(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  body: Body,
) {
  const test = readTestRequest(body, 'testInvokeMethod');
  const snapshot = await readWorkingCopy(deps.store, apiId, deps.settings.accountId);
  const resource = snapshot.resources.find((r) => r.id === resourceId);
  if (!resource) throw new NotFoundError('Invalid Resource identifier specified');
  if (!getMethod(resource, httpMethod).methodIntegration)
    throw new BadRequestError('No integration defined for method');
  let stage: CompiledStage;
  try {
    stage = compileStage(
      methodOnlySnapshot(snapshot, resource, httpMethod),
      {
        stageName: TEST_STAGE,
        deploymentId: 'test-invoke-deployment-id',
        variables: test.stageVariables,
      },
      compileDeps(deps.settings, invokerFor(deps)),
    );
  } catch (error) {
    throw new BadRequestError((error as Error).message);
  }
  const started = deps.now();
  const request = gatewayRequest(test, httpMethod, resource.path, started);
  const log = new ExecutionLog(deps.now);
  log.line(`Starting execution for request: ${request.requestId}`);
  log.line(`HTTP Method: ${httpMethod}, Resource Path: ${resource.path}`);
  // A path that does not reach this resource falls back to the resource's own path.
  const match = stage.router.match(request.path) ?? stage.router.match(resource.path);
  const target = match?.target.methods.get(httpMethod);
  if (!match || !target) throw new BadRequestError('Invalid Method identifier specified');
  const pathParameters = match.pathParameters;
  log.line(`Method request path: ${JSON.stringify(pathParameters ?? {})}`);
  log.line(`Method request query string: ${JSON.stringify(request.query.single)}`);
  log.line(`Method request headers: ${JSON.stringify(request.headers.single)}`);
  log.line(`Method request body before transformations: ${test.body}`);
  const answer = await answerFor(stage, target, request, pathParameters, log);
  const latency = deps.now() - started;
  log.line(`Method response body after transformations: ${answer.body.toString()}`);
  const { headers, multiValueHeaders } = responseHeaders(answer);
  log.line(`Method response headers: ${JSON.stringify(headers)}`);
  log.line('Successfully completed execution');
  log.line(`Method completed with status: ${answer.statusCode}`);
  return {
    status: answer.statusCode,
    body: answer.body.toString(),
    headers,
    multiValueHeaders,
    log: log.text(request.requestId),
    latency,
  };
}

async function answerFor(
  stage: CompiledStage,
  method: CompiledMethod,
  request: GatewayRequest,
  pathParameters: Record<string, string> | null,
  log: ExecutionLog,
): Promise<HttpAnswer> {
  try {
    return await method.integrate({
      request,
      stage,
      method,
      pathParameters,
      authorizer: undefined,
      caller: undefined,
    });
  } catch (error) {
    if (!(error instanceof GatewayResponseError)) throw error;
    if ('reason' in error)
      log.line(`Execution failed due to configuration error: ${String(error.reason)}`);
    const rendered = stage.responses.render(error, {
      requestId: request.requestId,
      stage: stage.stageName,
      apiId: stage.apiId,
      stageVariables: stage.variables,
    });
    return {
      statusCode: rendered.statusCode,
      headers: Object.entries(rendered.headers),
      body: rendered.body,
    };
  }
}

function responseHeaders(answer: HttpAnswer) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of answer.headers) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

/** Function existence follows the control plane (functions created through the Lambda API too). */
function invokerFor(deps: ApiGatewayDeps) {
  return {
    has: deps.functionExists,
    invoke: deps.invoker.invoke.bind(deps.invoker),
    close: () => Promise.resolve(),
  };
}

export async function testInvokeAuthorizer(
  deps: ApiGatewayDeps,
  apiId: string,
  authorizerId: string,
  body: Body,
) {
  const test = readTestRequest(body, 'testInvokeAuthorizer');
  const snapshot = await readWorkingCopy(deps.store, apiId, deps.settings.accountId);
  const authorizer = await getAuthorizer(deps.store, apiId, authorizerId);
  if (authorizer.type === 'COGNITO_USER_POOLS')
    throw new BadRequestError(
      'TestInvokeAuthorizer is not supported for COGNITO_USER_POOLS authorizers',
    );
  const target = parseLambdaInvocationUri(authorizer.authorizerUri ?? '');
  const functionName = target?.functionName;
  if (target === undefined || functionName === undefined || !deps.functionExists(functionName))
    throw new BadRequestError(`Invalid Authorizer URI: ${authorizer.authorizerUri ?? 'null'}`);
  const started = deps.now();
  const request = gatewayRequest(test, 'GET', '/', started);
  const log = new ExecutionLog(deps.now);
  log.line(`Starting authorizer: ${authorizer.id} for request: ${request.requestId}`);
  const stage = testStage(snapshot, test.stageVariables, deps);
  const source = compileIdentitySource(authorizer.identitySource, authorizer.type);
  const identity = source.extract({
    headersLower: request.headersLower,
    query: request.query.single,
    stageVariables: stage.variables,
    context: { requestId: request.requestId, stage: TEST_STAGE, apiId, httpMethod: 'GET' },
  });
  const done = (clientStatus: number, extra: Record<string, unknown> = {}) => ({
    clientStatus,
    log: log.text(request.requestId),
    latency: deps.now() - started,
    ...extra,
  });
  const token = identity?.[0];
  if (
    (identity === undefined && source.expressions.length > 0) ||
    (authorizer.type === 'TOKEN' &&
      !compileValidationExpression(authorizer.identityValidationExpression)(token!))
  ) {
    log.line('Unauthorized request: identity source missing or invalid');
    return done(401);
  }
  if (token !== undefined) log.line(`Incoming identity: ${mask(token)}`);
  const methodArn = executeApiArn(deps.settings, apiId, AUTHORIZER_TEST_STAGE, 'GET', '/');
  const event =
    authorizer.type === 'TOKEN'
      ? tokenAuthorizerEvent(token!, methodArn)
      : requestAuthorizerEvent(request, stage, testMethod(), null, methodArn);
  log.line(
    `Endpoint request URI: https://lambda.${target.functionRegion}.amazonaws.com/2015-03-31/functions/${target.functionArn}/invocations`,
  );
  const shown = token === undefined ? event : { ...event, authorizationToken: mask(token) };
  log.line(`Endpoint request body after transformations: ${JSON.stringify(shown)}`);
  let result: InvokeResult;
  try {
    result = await deps.invoker.invoke({ functionName, event });
  } catch (error) {
    log.line(`Execution failed due to configuration error: ${(error as Error).message}`);
    return done(500);
  }
  log.line(`Authorizer result body before parsing: ${result.payload}`);
  if (result.functionError) {
    if (result.errorMessage === 'Unauthorized') return done(401);
    log.line(
      `Execution failed due to configuration error: Authorizer function failed with response body: ${result.payload}`,
    );
    return done(500);
  }
  try {
    const output = parseAuthorizerOutput(result.payload);
    const raw = JSON.parse(result.payload) as { policyDocument?: unknown };
    log.line(`Using valid authorizer policy for principal: ${output.principalId}`);
    log.line('Successfully completed authorizer execution');
    return done(200, {
      principalId: output.principalId,
      policy: JSON.stringify(raw.policyDocument),
    });
  } catch (error) {
    log.line(`Execution failed due to configuration error: ${(error as Error).message}`);
    return done(500);
  }
}

function testStage(
  snapshot: ApiSnapshot,
  variables: Record<string, string>,
  deps: ApiGatewayDeps,
): CompiledStage {
  return {
    apiId: snapshot.api.id,
    apiName: snapshot.api.name,
    stageName: TEST_STAGE,
    deploymentId: 'test-invoke-deployment-id',
    variables,
    settings: deps.settings,
    binaryMediaTypes: snapshot.api.binaryMediaTypes,
    router: new Router<CompiledMethod>(),
    responses: new GatewayResponses(snapshot.gatewayResponses),
  };
}

function testMethod(): CompiledMethod {
  return {
    httpMethod: 'GET',
    resourceId: '',
    resourcePath: '/',
    authorizer: undefined,
    apiKeyRequired: false,
    iam: false,
    integrate: () => Promise.reject(new Error('not integrated')),
  };
}

/** Logs never show a token in clear: AWS shows only its last four characters. */
function mask(value: string): string {
  return value.length <= 4 ? '****' : `****${value.slice(-4)}`;
}
