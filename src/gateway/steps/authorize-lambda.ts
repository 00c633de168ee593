// Step: the Lambda authorizer (authorizationType CUSTOM). Extract the identity, answer 401 without invoking when it is
// missing or invalid, use the cached result or invoke the function, then evaluate the policy
// against this request's method ARN (a cached policy is evaluated against every new ARN).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
import { endInvokeTracing, startInvokeTracing } from '../../observability/tracing.js';
import { authorizerCache } from '../../observability/channels.js';
import type { Invoker } from '../../functions/invoker.js';
import { awsMap, maskSecret } from '../../observability/execution-log-format.js';
import { policyDecision } from '../../observability/authorization-summary.js';
import { traceLambdaRequest } from '../execution-narrative.js';
import type { ExecutionTrace } from '../execution-trace.js';
import type { GatewayRequest } from '../request.js';
import { executeApiArn } from '../../model/arn.js';
import type { Logger } from '../../observability/logger.js';
import { authorizerCacheKey, type AuthorizerResultCache } from '../authorizers/cache.js';
import { parseAuthorizerOutput, type AuthorizerResult } from '../authorizers/output.js';
import type { AuthorizationNote } from '../authorization-note.js';
import type { CompiledAuthorizer, Exchange } from '../compiled-api.js';
import { resourcePathOf } from '../http/request-path.js';
import { AccessDeniedError, AuthorizerConfigurationError, UnauthorizedError } from '../errors.js';
import { requestAuthorizerEvent, tokenAuthorizerEvent } from '../events/proxy-event.js';
import { authorizerSourceArn, type InvokePermissions } from '../invoke-permissions.js';

export interface AuthorizeLambdaDeps {
  invoker: Invoker;
  cache: AuthorizerResultCache;
  logger: Logger;
  now: () => number;
  /** Lambda resource policies; absent: every authorizer function may be invoked. */
  permissions?: InvokePermissions;
}

/** A Lambda authorizer's answer for one request, before its policy is evaluated. */
export interface LambdaAuthorization {
  result: AuthorizerResult;
  /** Authorizer function latency, ms; 0 when the answer came from the cache. */
  latency: number;
  /** The function's answer as it sent it; undefined when the result came from the cache. */
  payload?: string;
}

/**
 * Runs a Lambda authorizer up to its parsed answer: identity, validation, cache, invoke, parse.
 * The pipeline's step evaluates the policy after it; TestInvokeAuthorizer shows the answer.
 */
export type LambdaAuthorizerRunner = (
  exchange: Exchange,
  authorizer: CompiledAuthorizer,
  methodArn: string,
) => Promise<LambdaAuthorization>;

export type AuthorizeLambdaStep = (
  exchange: Exchange,
  authorizer: CompiledAuthorizer,
) => Promise<void>;

export function createAuthorizeLambdaStep(deps: AuthorizeLambdaDeps): AuthorizeLambdaStep {
  const run = createLambdaAuthorizerRunner(deps);
  return async (exchange, authorizer) => {
    const { request, stage } = exchange;
    // The ARN names the resource the router matched: `/admin/` is `…/GET/admin`, so a Deny
    // on `…/GET/admin` cannot be stepped around with a trailing slash.
    const methodArn = executeApiArn(
      stage.settings,
      stage.apiId,
      stage.stageName,
      request.httpMethod,
      resourcePathOf(request.path),
    );
    const note: AuthorizationNote = {
      authorizer: authorizer.name,
      type: authorizer.type,
      methodArn,
    };
    request.authorization = note;
    const { result, latency } = await run(exchange, authorizer, methodArn);
    note.principalId = result.principalId;
    note.context = result.context;
    note.policy = result.policy;
    note.latencyMs = latency;
    const decision = result.policy.evaluate(methodArn);
    // Sallyport's own line: which statement decided, and the cached-policy pitfall when it bites.
    request.executionLog?.line(`[sallyport] ${policyDecision(note, deps.now())}`);
    const outcome: Exchange['authorizer'] = {
      principalId: result.principalId,
      context: result.context,
      integrationLatency: latency,
    };
    // A denied caller's principalId and context still reach an ACCESS_DENIED template.
    if (decision !== 'Allow') throw new AccessDeniedError(decision === 'Deny', outcome);
    if (result.usageIdentifierKey !== undefined)
      outcome.usageIdentifierKey = result.usageIdentifierKey;
    exchange.authorizer = outcome;
  };
}

export function createLambdaAuthorizerRunner(deps: AuthorizeLambdaDeps): LambdaAuthorizerRunner {
  return async (exchange, authorizer, methodArn) => {
    const { request, stage } = exchange;
    const trace = request.executionLog;
    trace?.line(`Starting authorizer: ${authorizer.id} for request: ${request.requestId}`);
    const identity = authorizer.identitySource.extract({
      headersLower: request.headersLower,
      query: request.query.single,
      stageVariables: stage.variables,
      context: {
        requestId: request.requestId,
        stage: stage.stageName,
        apiId: stage.apiId,
        httpMethod: request.httpMethod,
      },
    });
    // A missing or empty identity source, or a token failing identityValidationExpression,
    // is a 401 without invoking the function.
    const note = request.authorization;
    if (identity === undefined && authorizer.identitySource.expressions.length > 0) {
      if (note) note.refusal = `no ${authorizer.identitySource.expressions.join(', ')}`;
      throw unauthorized(request, note?.refusal);
    }
    if (trace && identity) traceIdentity(trace, authorizer, identity);
    if (authorizer.validateToken && !authorizer.validateToken(identity![0]!)) {
      if (note) note.refusal = 'the token does not match identityValidationExpression';
      throw unauthorized(request, note?.refusal);
    }
    if (note && identity) note.identity = identity;

    const key =
      authorizer.ttlSeconds > 0
        ? authorizerCacheKey(
            stage.apiId,
            stage.stageName,
            authorizer.id,
            identity ?? [],
            stage.deploymentId,
          )
        : undefined;
    const cached = key === undefined ? undefined : await deps.cache.get(key);
    if (key !== undefined && authorizerCache.hasSubscribers)
      authorizerCache.publish({
        apiName: stage.apiName,
        stage: stage.stageName,
        authorizerId: authorizer.id,
        hit: cached !== undefined,
      });
    if (note && key !== undefined) {
      note.cache = cached === undefined ? 'miss' : 'hit';
      note.ttlSeconds = authorizer.ttlSeconds;
      if (cached?.issuedFor) note.issuedFor = cached.issuedFor;
    }
    if (trace && key !== undefined) traceCache(trace, cached, authorizer, deps.now());
    if (cached !== undefined) return { result: cached, latency: 0 };
    const started = deps.now();
    const { result, payload } = await invokeAuthorizer(
      exchange,
      authorizer,
      identity,
      methodArn,
      deps,
    );
    const latency = deps.now() - started;
    result.issuedFor = { methodArn, at: started };
    if (key !== undefined) deps.cache.set(key, result, authorizer.ttlSeconds, payload);
    return { result, latency, payload };
  };
}

async function invokeAuthorizer(
  exchange: Exchange,
  authorizer: CompiledAuthorizer,
  identity: string[] | undefined,
  methodArn: string,
  deps: AuthorizeLambdaDeps,
): Promise<{ result: AuthorizerResult; payload: string }> {
  const { request, stage, method, pathParameters } = exchange;
  const trace = request.executionLog;
  const permissions = deps.permissions;
  if (
    permissions?.enforced(authorizer.functionName) &&
    !permissions.allows(authorizer.functionName, [
      authorizerSourceArn(stage.settings, stage.apiId, authorizer.id),
    ])
  ) {
    // AWS logs the permission failure, then "Authorizer error"; the caller gets 500 {"message":null}.
    throw logged(
      deps,
      request,
      new AuthorizerConfigurationError(
        `Invalid permissions on Lambda function ${authorizer.functionName}`,
      ),
    );
  }
  const event =
    authorizer.type === 'TOKEN'
      ? tokenAuthorizerEvent(identity![0]!, methodArn)
      : requestAuthorizerEvent(request, stage, method, pathParameters, methodArn);
  if (trace)
    traceLambdaRequest(
      trace,
      exchange,
      authorizer.functionName,
      authorizerSourceArn(stage.settings, stage.apiId, authorizer.id),
      { event },
    );
  let result;
  try {
    const { tracing } = request;
    const traced =
      tracing && startInvokeTracing(tracing, authorizer.functionName, stage.settings.region);
    const invoking = deps.invoker.invoke({
      functionName: authorizer.functionName,
      event,
      ...(traced && { traceId: traced.traceHeader }),
    });
    result = await (traced ? endInvokeTracing(traced, invoking) : invoking);
  } catch (error) {
    throw logged(
      deps,
      request,
      new AuthorizerConfigurationError(`authorizer invocation failed: ${(error as Error).message}`),
    );
  }
  if (trace?.data) trace.line(`Authorizer result body before parsing: ${result.payload}`);
  if (result.functionError) {
    // An authorizer that fails with the message "Unauthorized" means 401, as on AWS
    // (the blueprints `raise Exception('Unauthorized')` / `callback('Unauthorized')`).
    if (result.errorMessage === 'Unauthorized') {
      if (request.authorization)
        request.authorization.refusal = 'the authorizer answered Unauthorized';
      throw unauthorized(request, 'the authorizer answered Unauthorized');
    }
    throw logged(
      deps,
      request,
      new AuthorizerConfigurationError(
        `authorizer function error: ${result.errorType ?? 'Error'}: ${result.errorMessage ?? ''}`,
      ),
    );
  }
  let parsed: AuthorizerResult;
  try {
    parsed = parseAuthorizerOutput(result.payload);
  } catch (error) {
    if (error instanceof AuthorizerConfigurationError) throw logged(deps, request, error);
    throw error;
  }
  // Recorded TestInvokeAuthorizer logs mask the principal as they mask tokens.
  trace?.line(`Using valid authorizer policy for principal: ${maskSecret(parsed.principalId)}`);
  trace?.line('Successfully completed authorizer execution');
  return { result: parsed, payload: result.payload };
}

/**
 * AWS's lines for an authorizer that failed: the reason, then `Authorizer error` and
 * `AuthorizerConfigurationException` (as recorded TestInvokeAuthorizer logs end).
 */
function logged(
  deps: AuthorizeLambdaDeps,
  request: GatewayRequest,
  error: AuthorizerConfigurationError,
): AuthorizerConfigurationError {
  deps.logger.warn(
    { requestId: request.requestId, reason: error.reason },
    'Execution failed due to configuration error: Authorizer error',
  );
  const trace = request.executionLog;
  if (trace) {
    trace.error(`Execution failed due to configuration error: ${error.reason}`);
    trace.error('Execution failed due to configuration error: Authorizer error');
    trace.error('AuthorizerConfigurationException');
  }
  return error;
}

/** A 401: `Unauthorized request: {id}` (as CloudWatch records it), and Sallyport's reason. */
function unauthorized(request: GatewayRequest, why: string | undefined): UnauthorizedError {
  const trace = request.executionLog;
  if (trace) {
    trace.line(`Unauthorized request: ${request.requestId}`);
    if (why) trace.line(`[sallyport] 401: ${why}`);
  }
  return new UnauthorizedError();
}

/**
 * `Incoming identity: ****…I1BUdE` for a token; `{method.request.header.Hash=********aaaaaa}` for
 * a REQUEST authorizer's sources, as recorded TestInvokeAuthorizer logs show them.
 */
function traceIdentity(
  trace: ExecutionTrace,
  authorizer: CompiledAuthorizer,
  identity: readonly string[],
): void {
  for (const value of identity) trace.secret(value);
  const shown =
    authorizer.type === 'TOKEN'
      ? maskSecret(identity[0] ?? '')
      : awsMap(
          authorizer.identitySource.expressions.map((e, i): [string, string] => [
            e,
            maskSecret(identity[i] ?? ''),
          ]),
        );
  trace.line(`Incoming identity: ${shown}`);
}

/** Sallyport's line: AWS writes nothing about the result cache. */
function traceCache(
  trace: ExecutionTrace,
  cached: AuthorizerResult | undefined,
  authorizer: CompiledAuthorizer,
  now: number,
): void {
  if (cached === undefined) {
    trace.line(`[sallyport] authorizer cache miss: invoking ${authorizer.functionName}`);
    return;
  }
  const issued = cached.issuedFor;
  if (!issued) return trace.line('[sallyport] authorizer cache hit');
  const age = Math.max(0, Math.round((now - issued.at) / 1000));
  const left = Math.max(0, authorizer.ttlSeconds - age);
  trace.line(
    `[sallyport] authorizer cache hit: the result cached ${age} s ago for ${issued.methodArn}, ${left} s left`,
  );
}
