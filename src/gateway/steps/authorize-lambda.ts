// Step: the Lambda authorizer (authorizationType CUSTOM). Extract the identity, answer 401 without invoking when it is
// missing or invalid, use the cached result or invoke the function, then evaluate the policy
// against this request's method ARN (a cached policy is evaluated against every new ARN).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
import { endInvokeTracing, startInvokeTracing } from '../../observability/tracing.js';
import { authorizerCache } from '../../observability/channels.js';
import type { InvokeResult, Invoker } from '../../functions/invoker.js';
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

/** What TestInvokeAuthorizer shows of a run: the identity, the event sent, the raw answer. */
export interface AuthorizerTrace {
  identity(identity: string[] | undefined): void;
  request(event: object): void;
  response(result: InvokeResult): void;
}

/** A Lambda authorizer's answer for one request, before its policy is evaluated. */
export interface LambdaAuthorization {
  result: AuthorizerResult;
  /** Authorizer function latency, ms; 0 when the answer came from the cache. */
  latency: number;
}

/**
 * Runs a Lambda authorizer up to its parsed answer: identity, validation, cache, invoke, parse.
 * The pipeline's step evaluates the policy after it; TestInvokeAuthorizer shows the answer.
 */
export type LambdaAuthorizerRunner = (
  exchange: Exchange,
  authorizer: CompiledAuthorizer,
  methodArn: string,
  trace?: AuthorizerTrace,
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
  return async (exchange, authorizer, methodArn, trace) => {
    const { request, stage } = exchange;
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
      throw new UnauthorizedError();
    }
    if (authorizer.validateToken && !authorizer.validateToken(identity![0]!)) {
      if (note) note.refusal = 'the token does not match identityValidationExpression';
      throw new UnauthorizedError();
    }
    if (note && identity) note.identity = identity;
    trace?.identity(identity);

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
    if (cached !== undefined) return { result: cached, latency: 0 };
    const started = deps.now();
    const { result, payload } = await invokeAuthorizer(
      exchange,
      authorizer,
      identity,
      methodArn,
      deps,
      trace,
    );
    const latency = deps.now() - started;
    result.issuedFor = { methodArn, at: started };
    if (key !== undefined) deps.cache.set(key, result, authorizer.ttlSeconds, payload);
    return { result, latency };
  };
}

async function invokeAuthorizer(
  exchange: Exchange,
  authorizer: CompiledAuthorizer,
  identity: string[] | undefined,
  methodArn: string,
  deps: AuthorizeLambdaDeps,
  trace: AuthorizerTrace | undefined,
): Promise<{ result: AuthorizerResult; payload: string }> {
  const { request, stage, method, pathParameters } = exchange;
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
      request.requestId,
      new AuthorizerConfigurationError(
        `Invalid permissions on Lambda function ${authorizer.functionName}`,
      ),
    );
  }
  const event =
    authorizer.type === 'TOKEN'
      ? tokenAuthorizerEvent(identity![0]!, methodArn)
      : requestAuthorizerEvent(request, stage, method, pathParameters, methodArn);
  trace?.request(event);
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
      request.requestId,
      new AuthorizerConfigurationError(`authorizer invocation failed: ${(error as Error).message}`),
    );
  }
  trace?.response(result);
  if (result.functionError) {
    // An authorizer that fails with the message "Unauthorized" means 401, as on AWS
    // (the blueprints `raise Exception('Unauthorized')` / `callback('Unauthorized')`).
    if (result.errorMessage === 'Unauthorized') {
      if (request.authorization)
        request.authorization.refusal = 'the authorizer answered Unauthorized';
      throw new UnauthorizedError();
    }
    throw logged(
      deps,
      request.requestId,
      new AuthorizerConfigurationError(
        `authorizer function error: ${result.errorType ?? 'Error'}: ${result.errorMessage ?? ''}`,
      ),
    );
  }
  try {
    return { result: parseAuthorizerOutput(result.payload), payload: result.payload };
  } catch (error) {
    if (error instanceof AuthorizerConfigurationError) throw logged(deps, request.requestId, error);
    throw error;
  }
}

function logged(
  deps: AuthorizeLambdaDeps,
  requestId: string,
  error: AuthorizerConfigurationError,
): AuthorizerConfigurationError {
  deps.logger.warn(
    { requestId, reason: error.reason },
    'Execution failed due to configuration error: Authorizer error',
  );
  return error;
}
