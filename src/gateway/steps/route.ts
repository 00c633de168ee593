// Step: match the resource and method. No match is AWS's 403 "Missing Authentication Token".
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-troubleshooting-errors.html
import type { CompiledStage, Exchange } from '../compiled-api.js';
import { MissingAuthenticationTokenError } from '../errors.js';
import type { GatewayRequest } from '../request.js';

/** The exchange the later steps fill in: the matched method and its path parameters. */
export function route(
  request: GatewayRequest,
  stage: CompiledStage,
  path = request.path,
): Exchange {
  const match = stage.router.match(path);
  const method =
    match && (match.target.methods.get(request.httpMethod) ?? match.target.methods.get('ANY'));
  if (!match || !method) throw new MissingAuthenticationTokenError();
  request.matched = method;
  return {
    request,
    stage,
    method,
    pathParameters: match.pathParameters,
    authorizer: undefined,
    caller: undefined,
    apiKey: undefined,
  };
}
