// TestInvokeMethod and TestInvokeAuthorizer: the console's Test buttons. They run the working
// copy (nothing needs deploying) through the data plane's own integration and authorizer code,
// in a stage named `test-invoke-stage`.
// https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeMethod.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeAuthorizer.html
import { z } from 'zod';
import { AuthorizerCache } from '../../gateway/authorizers/cache.js';
import { compileAuthorizer, compileJwtAuthorizer, compileStage } from '../../gateway/compile.js';
import type {
  CompiledAuthorizer,
  CompiledMethod,
  CompiledStage,
  Exchange,
  HttpAnswer,
  MethodAuthorization,
} from '../../gateway/compiled-api.js';
import type { JwtAuthorizer } from '../../gateway/authorizers/jwt/jwt-authorizer.js';
import { createAuthorizeJwtStep, ExpiredTokenError } from '../../gateway/steps/authorize-jwt.js';
import {
  GatewayResponseError,
  MissingAuthenticationTokenError,
  UnauthorizedError,
} from '../../gateway/errors.js';
import { syntheticRequest } from '../../gateway/synthetic-request.js';
import type { GatewayRequest } from '../../gateway/request.js';
import { GatewayResponses, renderGatewayError } from '../../gateway/responses.js';
import { Router } from '../../gateway/router.js';
import { createLambdaAuthorizerRunner } from '../../gateway/steps/authorize-lambda.js';
import { policyDecision } from '../../observability/authorization-summary.js';
import { integrate } from '../../gateway/steps/integrate.js';
import { validate } from '../../gateway/steps/validate.js';
import { route } from '../../gateway/steps/route.js';
import { executeApiArn, parseLambdaInvocationUri } from '../../model/arn.js';
import { requestId as newRequestId } from '../../model/ids.js';
import type { ApiSnapshot, Resource } from '../../model/types.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { compileDeps } from './deployments.js';
import type { ApiGatewayDeps } from './deps.js';
import { getAuthorizer, getMethod, readWorkingCopy } from './entities.js';
import { parseBody, stringMap, type Body } from './fields.js';
import { ExecutionLog } from './execution-log.js';
import {
  traceCompletion,
  traceMethodRequest,
  traceSecrets,
} from '../../gateway/execution-narrative.js';

const TEST_STAGE = 'test-invoke-stage';
/** The stage name in the method ARN API Gateway gives an authorizer under test. */
const AUTHORIZER_TEST_STAGE = 'ESTestInvoke-stage';

// The request members TestInvokeMethod and TestInvokeAuthorizer share.
// https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeMethod.html
const testRequestInput = z.object({
  pathWithQueryString: z.string().optional(),
  body: z.string().default(''),
  headers: stringMap.default({}),
  multiValueHeaders: z.record(z.string(), z.array(z.string())).default({}),
  stageVariables: stringMap.default({}),
});

type TestRequest = z.output<typeof testRequestInput>;

/** A GatewayRequest as the data plane would build it, from the test's fields. */
function gatewayRequest(
  test: TestRequest,
  httpMethod: string,
  defaultPath: string,
  now: number,
): GatewayRequest {
  const rawHeaders: string[] = [];
  for (const [name, values] of Object.entries(test.multiValueHeaders))
    for (const value of values) rawHeaders.push(name, value);
  for (const [name, value] of Object.entries(test.headers)) rawHeaders.push(name, value);
  return syntheticRequest({
    requestId: newRequestId(),
    httpMethod,
    pathWithQueryString: test.pathWithQueryString ?? defaultPath,
    rawHeaders,
    body: Buffer.from(test.body),
    sourceIp: 'test-invoke-source-ip',
    domainName: 'testPrefix.testDomainName',
    now,
  });
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
  const test = parseBody(testRequestInput, body, 'testInvokeMethod');
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
  // The data plane's own lines: the console's test logs at INFO with data trace.
  request.executionLog = log.trace;
  const exchange = routeTest(request, stage, resource.path);
  traceSecrets(log.trace, exchange);
  // The test skips the method's authorizer, but what it would read stays a secret in the log.
  const authorizerId = getMethod(resource, httpMethod).authorizerId;
  const sources = snapshot.authorizers.find((a) => a.id === authorizerId)?.identitySource ?? '';
  for (const source of sources.split(',')) {
    const header = /^\s*method\.request\.header\.(.+?)\s*$/i.exec(source)?.[1];
    const value = header === undefined ? undefined : request.headersLower.get(header.toLowerCase());
    if (value !== undefined) log.trace.secret(value);
  }
  traceMethodRequest(log.trace, exchange);
  const { answer, error } = await answerFor(exchange);
  const latency = deps.now() - started;
  traceCompletion(log.trace, answer.statusCode, answer, error);
  const { headers, multiValueHeaders } = responseHeaders(answer);
  return {
    status: answer.statusCode,
    body: answer.body.toString(),
    headers,
    multiValueHeaders,
    log: log.text(request.requestId),
    latency,
  };
}

/** The pipeline's route step; a path that does not reach this resource falls back to its own. */
function routeTest(request: GatewayRequest, stage: CompiledStage, resourcePath: string): Exchange {
  for (const path of [request.path, resourcePath]) {
    try {
      return route(request, stage, path);
    } catch (error) {
      if (!(error instanceof MissingAuthenticationTokenError)) throw error;
    }
  }
  throw new BadRequestError('Invalid Method identifier specified');
}

/**
 * The pipeline's validate and integrate steps (TestInvokeMethod skips authorization, not
 * validation), their gateway responses rendered as the listener renders them.
 */
async function answerFor(
  exchange: Exchange,
): Promise<{ answer: HttpAnswer; error?: GatewayResponseError }> {
  try {
    validate(exchange);
    return { answer: await integrate(exchange) };
  } catch (error) {
    if (!(error instanceof GatewayResponseError)) throw error;
    const rendered = renderGatewayError(
      error,
      exchange.stage,
      exchange.request.requestId,
      exchange.request,
    );
    const answer = {
      statusCode: rendered.statusCode,
      headers: Object.entries(rendered.headers),
      body: rendered.body,
    };
    return { answer, error };
  }
}

/**
 * The method response's headers as the client gets them (server.ts adds the same): a backend's
 * trace id, and `Content-Type: application/json` when nothing set one.
 */
function responseHeaders(answer: HttpAnswer) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const all = [...answer.headers];
  if (!all.some(([name]) => name.toLowerCase() === 'content-type'))
    all.push(['Content-Type', 'application/json']);
  if (answer.traceRoot !== undefined) all.push(['X-Amzn-Trace-Id', answer.traceRoot]);
  for (const [name, value] of all) {
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
  const test = parseBody(testRequestInput, body, 'testInvokeAuthorizer');
  const snapshot = await readWorkingCopy(deps.store, apiId, deps.settings.accountId);
  const authorizer = await getAuthorizer(deps.store, apiId, authorizerId);
  const started = deps.now();
  const request = gatewayRequest(test, 'GET', '/', started);
  const log = new ExecutionLog(deps.now);
  // The runners write AWS's authorizer lines to the request's trace (execution-log.ts).
  request.executionLog = log.trace;
  const stage = testStage(snapshot, test.stageVariables, deps);
  const done = (clientStatus: number, extra: Record<string, unknown> = {}) => ({
    clientStatus,
    log: log.text(request.requestId),
    latency: deps.now() - started,
    ...extra,
  });
  const refused = (error: unknown) => {
    if (!(error instanceof GatewayResponseError)) throw error;
    // A refused identity ends with the response's message, as recorded TestInvokeAuthorizer logs
    // do (`Unauthorized request: {id}` then `Unauthorized`).
    if (error instanceof UnauthorizedError || error instanceof ExpiredTokenError)
      log.line(error.message);
    return done(renderGatewayError(error, stage, request.requestId).statusCode);
  };
  const exchange = (authorization: MethodAuthorization): Exchange => ({
    request,
    stage,
    method: testMethod(authorization),
    pathParameters: null,
    authorizer: undefined,
    caller: undefined,
  });

  if (authorizer.type === 'COGNITO_USER_POOLS') {
    // The data plane's own check of the token in the identity header, uncached; there is no
    // method, so no authorizationScopes. AWS answers the token's claims.
    let jwt: JwtAuthorizer;
    try {
      jwt = compileJwtAuthorizer({ ...authorizer, authorizerResultTtlInSeconds: 0 });
    } catch (error) {
      throw new BadRequestError((error as Error).message);
    }
    const authorization = { kind: 'jwt', authorizer: jwt, scopes: undefined } as const;
    const cognito = exchange(authorization);
    try {
      await createAuthorizeJwtStep({ logger: deps.logger, now: deps.now })(cognito, authorization);
    } catch (error) {
      // Sallyport's line: why the token was refused (the data plane logs it the same way).
      const why = request.authorization?.refusal;
      if (why !== undefined) log.line(`[sallyport] ${authorizer.name}: ${why}`);
      return refused(error);
    }
    return done(0, { claims: cognito.authorizer?.claims ?? {} });
  }

  const target = parseLambdaInvocationUri(authorizer.authorizerUri ?? '');
  const functionName = target?.functionName;
  if (target === undefined || functionName === undefined || !deps.functionExists(functionName))
    throw new BadRequestError(`Invalid Authorizer URI: ${authorizer.authorizerUri ?? 'null'}`);
  let compiled: CompiledAuthorizer;
  try {
    compiled = compileAuthorizer(authorizer);
  } catch (error) {
    throw new BadRequestError((error as Error).message);
  }
  // The pipeline's own Lambda authorizer, uncached: every test invokes the function.
  const run = createLambdaAuthorizerRunner({
    invoker: deps.invoker,
    cache: new AuthorizerCache({ now: deps.now }),
    logger: deps.logger,
    now: deps.now,
  });
  const methodArn = executeApiArn(deps.settings, apiId, AUTHORIZER_TEST_STAGE, 'GET', '/');
  try {
    const { result, payload } = await run(
      exchange({ kind: 'lambda', authorizer: compiled }),
      { ...compiled, ttlSeconds: 0 },
      methodArn,
    );
    // Sallyport's line: what the policy says about the method ARN of the test.
    const note = { authorizer: authorizer.name, type: compiled.type, methodArn };
    log.line(`[sallyport] ${policyDecision({ ...note, policy: result.policy }, deps.now())}`);
    const output = JSON.parse(payload ?? '{}') as { policyDocument?: unknown };
    // "The HTTP status code that the client would have received. Value is 0 if the authorizer
    // succeeded." https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeAuthorizer.html
    return done(0, {
      principalId: result.principalId,
      policy: JSON.stringify(output.policyDocument),
    });
  } catch (error) {
    return refused(error);
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
    // TestInvoke calls reach API Gateway directly, never through CloudFront.
    edge: undefined,
    apiKeySource: snapshot.api.apiKeySource,
    methodSettings: {},
    router: new Router<CompiledMethod>(),
    responses: new GatewayResponses(snapshot.gatewayResponses),
  };
}

function testMethod(authorization: MethodAuthorization): CompiledMethod {
  return {
    httpMethod: 'GET',
    resourceId: '',
    resourcePath: '/',
    authorization,
    apiKeyRequired: false,
    validateRequest: undefined,
    throttle: undefined,
    integrate: () => Promise.reject(new Error('not integrated')),
  };
}
