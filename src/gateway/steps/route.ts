// Step: match the resource and method. No match is AWS's 403 "Missing Authentication Token".
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-troubleshooting-errors.html
import type { CompiledMethod, CompiledStage } from '../compiled-api.js';
import { MissingAuthenticationTokenError } from '../errors.js';

export interface Routed {
  method: CompiledMethod;
  pathParameters: Record<string, string> | null;
}

export function route(stage: CompiledStage, httpMethod: string, path: string): Routed {
  const match = stage.router.match(path);
  const method = match && (match.target.methods.get(httpMethod) ?? match.target.methods.get('ANY'));
  if (!match || !method) throw new MissingAuthenticationTokenError();
  return { method, pathParameters: match.pathParameters };
}
