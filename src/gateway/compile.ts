// Compiles a deployment snapshot into the immutable CompiledStage the data plane serves.
// Everything that can fail here fails at deploy time, never at request time.
import type { Dispatcher } from 'undici';
import { parseLambdaInvocationUri } from '../model/arn.js';
import { checkAuthorizer, InvalidAuthorizerError } from '../model/authorizer-rules.js';
import type {
  ApiSnapshot,
  Authorizer,
  Integration,
  Method,
  Model,
  Settings,
} from '../model/types.js';
import { methodSettingFor, type MethodSetting } from '../model/usage-plans.js';
import type { Invoker } from '../functions/invoker.js';
import { JwtAuthorizer } from './authorizers/jwt/jwt-authorizer.js';
import {
  compileIdentitySource,
  compileValidationExpression,
} from './authorizers/identity-source.js';
import type {
  CompiledAuthorizer,
  CompiledMethod,
  CompiledStage,
  IntegrationHandler,
  MethodAuthorization,
} from './compiled-api.js';
import { awsProxyIntegration } from './integrations/aws-proxy.js';
import { awsLambdaIntegration, type LambdaTarget } from './integrations/aws-lambda.js';
import { NOT_ENFORCED, type InvokePermissions } from './invoke-permissions.js';
import { httpProxyIntegration } from './integrations/http-proxy.js';
import { httpIntegration } from './integrations/http.js';
import { mockIntegration } from './integrations/mock.js';
import { DeploymentError } from './errors.js';
import type { Bucket } from './limits/token-bucket.js';
import { hasStageVariables, withStageVariables } from './mapping/stage-variables.js';
import { GatewayResponses } from './responses.js';
import { Router } from './router.js';
import { withBuiltInModels } from './validation/built-in-models.js';
import { CompiledModels } from './validation/models.js';
import { compileRequestValidation } from './validation/request-validation.js';
import { executionLogLevel } from './execution-trace.js';
import { newEdgeHop } from './http/edge-headers.js';
import { endpointOf } from '../model/endpoint-configuration.js';

export interface CompileDeps {
  invoker: Invoker;
  dispatcher: Dispatcher;
  settings: Settings;
  /** Function Timeout in seconds, to skip arming an integration timer the function beats anyway. */
  functionTimeout: (functionName: string) => number | undefined;
  /** Lambda resource policies; absent: every function may be invoked. */
  permissions?: InvokePermissions;
}

export interface StageInput {
  stageName: string;
  deploymentId: string;
  variables: Record<string, string>;
  /** The stage's methodSettings (`*\/*`, `~1pets/GET`: model/usage-plans.ts `methodSettingKey`). */
  methodSettings?: Record<string, MethodSetting>;
}

/** Throws DeploymentError, and nothing else, when the snapshot cannot be served. */
export function compileStage(
  snapshot: ApiSnapshot,
  stage: StageInput,
  deps: CompileDeps,
): CompiledStage {
  try {
    return compile(snapshot, stage, deps);
  } catch (error) {
    if (error instanceof DeploymentError) throw error;
    // An identity source, regex, route or template the readers below refused.
    throw new DeploymentError(`Invalid deployment: ${(error as Error).message}`, { cause: error });
  }
}

function compile(snapshot: ApiSnapshot, stage: StageInput, deps: CompileDeps): CompiledStage {
  const authorizers = new Map<string, CompiledAuthorizer>();
  const jwtAuthorizers = new Map<string, JwtAuthorizer>();
  for (const authorizer of snapshot.authorizers) {
    if (authorizer.type === 'COGNITO_USER_POOLS')
      jwtAuthorizers.set(authorizer.id, compileJwtAuthorizer(authorizer));
    else authorizers.set(authorizer.id, compileAuthorizer(authorizer));
  }
  const models = new CompiledModels(snapshot.api.id, apiModels(snapshot));
  const validators = new Map((snapshot.requestValidators ?? []).map((v) => [v.id, v]));
  const router = new Router<CompiledMethod>();
  for (const resource of snapshot.resources) {
    const methods = new Map<string, CompiledMethod>();
    for (const method of Object.values(resource.resourceMethods)) {
      if (!method) continue;
      const where = `${method.httpMethod} ${resource.path}`;
      methods.set(method.httpMethod, {
        httpMethod: method.httpMethod,
        resourceId: resource.id,
        resourcePath: resource.path,
        authorization: methodAuthorization(method, authorizers, jwtAuthorizers, where),
        apiKeyRequired: method.apiKeyRequired,
        throttle: methodThrottle(snapshot.api.id, stage, resource.path, method.httpMethod),
        validateRequest: compileRequestValidation(method, validators, models, where),
        executionLog: executionLogLevel(stage.methodSettings, resource.path, method.httpMethod),
        integrate: compileIntegration(method.methodIntegration, deps, where, stage.variables),
      });
    }
    if (methods.size > 0) router.add(resource.path, resource.id, methods);
  }
  return {
    apiId: snapshot.api.id,
    apiName: snapshot.api.name,
    stageName: stage.stageName,
    deploymentId: stage.deploymentId,
    variables: { ...stage.variables },
    settings: deps.settings,
    binaryMediaTypes: [...snapshot.api.binaryMediaTypes],
    edge: endpointOf(snapshot.api).types[0] === 'EDGE' ? newEdgeHop() : undefined,
    apiKeySource: snapshot.api.apiKeySource,
    methodSettings: stage.methodSettings ?? {},
    router,
    responses: new GatewayResponses(snapshot.gatewayResponses),
  };
}

/**
 * The API's models, and AWS's Empty and Error models where a method names them and the API has
 * none of that name (an API without models costs no schema compiler at all).
 */
function apiModels(snapshot: ApiSnapshot): Model[] {
  const used = new Set(
    snapshot.resources.flatMap((r) =>
      Object.values(r.resourceMethods).flatMap((m) => Object.values(m?.requestModels ?? {})),
    ),
  );
  return withBuiltInModels(snapshot.models ?? [], used);
}

/**
 * The stage's throttle for a method: its own methodSettings entry, else the stage's `*\/*`; each
 * method has its own bucket, named by API, stage and method so that every process counting it
 * (the primary for --workers, Redis for many nodes) shares it, across recompiles. None: only the
 * account's throttle applies.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
function methodThrottle(
  apiId: string,
  stage: StageInput,
  resourcePath: string,
  httpMethod: string,
): Bucket | undefined {
  const setting = methodSettingFor(stage.methodSettings, resourcePath, httpMethod);
  if (!setting) return undefined;
  return {
    name: `stage:${apiId}/${stage.stageName}${resourcePath}/${httpMethod}`,
    throttle: { rateLimit: setting.throttlingRateLimit, burstLimit: setting.throttlingBurstLimit },
  };
}

/**
 * The function a Lambda integration names. `…function:${stageVariables.fn}/invocations`: the
 * stage picks it; a compiled stage has fixed variables, so the choice is made here, once per
 * stage. A function that does not exist is not refused, whether named by a variable or not:
 * AWS's PutIntegration and CreateDeployment do not look the function up, and the method answers
 * 500 at request time, the reason in the execution log (aws-proxy.ts `checkInvokable`), like an
 * authorizer's missing function. A function created later is used without a redeploy.
 */
function integrationFunction(
  uri: string | undefined,
  where: string,
  variables: Record<string, string>,
): string {
  if (uri === undefined || !hasStageVariables(uri)) return lambdaFunctionName(uri, where);
  const resolved = withStageVariables(uri, variables);
  return parseLambdaInvocationUri(resolved)?.functionName ?? resolved;
}

function lambdaFunctionName(uri: string | undefined, where: string): string {
  const parsed = uri ? parseLambdaInvocationUri(uri) : undefined;
  if (!parsed)
    throw new DeploymentError(
      `${where}: ${uri ?? '(no uri)'} is not a Lambda function invocation URI`,
    );
  return parsed.functionName;
}

/** The model's rules, as the importer and the admin API apply them: same refusal, same words. */
function checkAuthorizerRules(authorizer: Authorizer): void {
  try {
    checkAuthorizer(authorizer);
  } catch (error) {
    if (error instanceof InvalidAuthorizerError)
      throw new DeploymentError(`authorizer ${authorizer.name}: ${error.message}`);
    throw error;
  }
}

/** A TOKEN or REQUEST authorizer, ready to run (TestInvokeAuthorizer compiles one alone). */
export function compileAuthorizer(authorizer: Authorizer): CompiledAuthorizer {
  const where = `authorizer ${authorizer.name}`;
  checkAuthorizerRules(authorizer);
  const type = authorizer.type === 'TOKEN' ? 'TOKEN' : 'REQUEST';
  return {
    id: authorizer.id,
    name: authorizer.name,
    type: authorizer.type,
    // Not checked against the functions: AWS deploys an authorizer whose function does not
    // exist and answers its methods 500 at request time (a function created later just works).
    functionName: lambdaFunctionName(authorizer.authorizerUri, where),
    identitySource: compileIdentitySource(authorizer.identitySource, type),
    validateToken:
      type === 'TOKEN'
        ? compileValidationExpression(authorizer.identityValidationExpression)
        : undefined,
    ttlSeconds: authorizer.authorizerResultTtlInSeconds,
  };
}

export function compileJwtAuthorizer(authorizer: Authorizer): JwtAuthorizer {
  checkAuthorizerRules(authorizer);
  try {
    return new JwtAuthorizer(authorizer);
  } catch (error) {
    throw new DeploymentError(`authorizer ${authorizer.name}: ${(error as Error).message}`);
  }
}

const NONE: MethodAuthorization = { kind: 'none' };
const IAM: MethodAuthorization = { kind: 'iam' };

function methodAuthorization(
  method: Method,
  authorizers: Map<string, CompiledAuthorizer>,
  jwtAuthorizers: Map<string, JwtAuthorizer>,
  where: string,
): MethodAuthorization {
  switch (method.authorizationType) {
    case 'NONE':
      return NONE;
    case 'AWS_IAM':
      return IAM;
    case 'CUSTOM':
      return { kind: 'lambda', authorizer: methodAuthorizer(method, authorizers, where) };
    case 'COGNITO_USER_POOLS': {
      const authorizer = methodAuthorizer(method, jwtAuthorizers, where);
      const scopes = method.authorizationScopes?.length
        ? [...method.authorizationScopes]
        : undefined;
      return { kind: 'jwt', authorizer, scopes };
    }
  }
}

function methodAuthorizer<T>(method: Method, authorizers: Map<string, T>, where: string): T {
  const authorizer = method.authorizerId ? authorizers.get(method.authorizerId) : undefined;
  if (!authorizer)
    throw new DeploymentError(`${where}: authorizer ${method.authorizerId ?? '(none)'} not found`);
  return authorizer;
}

/** The function an AWS or AWS_PROXY integration invokes (`${stageVariables.x}` resolved per stage). */
function lambdaTarget(
  integration: Integration,
  deps: CompileDeps,
  where: string,
  variables: Record<string, string>,
): LambdaTarget {
  const functionName = integrationFunction(integration.uri, where, variables);
  const functionTimeoutMs = (deps.functionTimeout(functionName) ?? Infinity) * 1000;
  return {
    invoker: deps.invoker,
    functionName,
    timeoutInMillis:
      functionTimeoutMs < integration.timeoutInMillis ? undefined : integration.timeoutInMillis,
    permissions: deps.permissions ?? NOT_ENFORCED,
  };
}

function compileIntegration(
  integration: Integration | undefined,
  deps: CompileDeps,
  where: string,
  variables: Record<string, string>,
): IntegrationHandler {
  if (!integration) throw new DeploymentError(`${where}: no integration defined for method`);
  switch (integration.type) {
    case 'AWS_PROXY': {
      const target = lambdaTarget(integration, deps, where, variables);
      return awsProxyIntegration(
        target.invoker,
        target.functionName,
        target.timeoutInMillis,
        target.permissions,
      );
    }
    case 'AWS':
      // Lambda is the one AWS service Sallyport runs; other service URIs are refused below.
      if (integration.uri && parseLambdaInvocationUri(integration.uri))
        return awsLambdaIntegration(
          integration,
          lambdaTarget(integration, deps, where, variables),
          where,
        );
      throw new DeploymentError(
        `${where}: AWS integrations are supported for Lambda functions only, not ${integration.uri ?? '(no uri)'}`,
      );
    case 'HTTP_PROXY':
      return httpProxyIntegration(integration, deps.dispatcher);
    case 'HTTP':
      return httpIntegration(integration, deps.dispatcher, where);
    case 'MOCK':
      return mockIntegration(integration, where);
  }
}
