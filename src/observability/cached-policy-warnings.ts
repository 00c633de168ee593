// Deploy-time warning for the pitfall most users of Lambda authorizers meet: API Gateway caches
// the authorizer's policy per identity and evaluates it against every later request's method
// ARN. In front of path parameters or `{proxy+}`, a policy written for the first request's exact
// ARN (`…/GET/items/1`) denies the same caller `…/GET/items/2` until the cache entry expires.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
import type { CompiledStage } from '../gateway/compiled-api.js';

export interface CachedPolicyWarning {
  authorizer: string;
  ttlSeconds: number;
  /** `METHOD /resource/{param}` for each method behind it with a path variable. */
  methods: string[];
}

export function cachedPolicyWarnings(stage: CompiledStage): CachedPolicyWarning[] {
  const byAuthorizer = new Map<string, CachedPolicyWarning>();
  for (const target of stage.router.routes()) {
    if (!target.resourcePath.includes('{')) continue;
    for (const [httpMethod, method] of target.methods) {
      const authorization = method.authorization;
      if (authorization.kind !== 'lambda' || authorization.authorizer.ttlSeconds === 0) continue;
      const { name, ttlSeconds } = authorization.authorizer;
      let warning = byAuthorizer.get(name);
      if (!warning)
        byAuthorizer.set(name, (warning = { authorizer: name, ttlSeconds, methods: [] }));
      warning.methods.push(`${httpMethod} ${target.resourcePath}`);
    }
  }
  return [...byAuthorizer.values()];
}

export function cachedPolicyWarningText(warning: CachedPolicyWarning): string {
  return (
    `authorizer ${warning.authorizer} caches its policy for ${warning.ttlSeconds} s in front of ` +
    `${warning.methods.join(', ')}: a policy allowing only the first request's method ARN denies ` +
    "the caller's other paths until it expires — return a Resource that ends in /* or set the TTL to 0"
  );
}
