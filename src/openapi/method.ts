// An OpenAPI operation → an API Gateway Method: request parameters, method responses,
// authorization and integration.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
import type { HttpMethod, Method, MethodResponse } from '../model/types.js';
import { isObject, type ImportContext, type JsonObject, type JsonPath } from './context.js';
import { INTEGRATION, readIntegration } from './integration.js';
import type { RequestValidationImport } from './request-validation.js';
import { methodSecurity, type SchemeEffect } from './security.js';

/** Operation keys of a Path Item and the method each becomes. */
export const OPERATION_KEYS: Record<string, HttpMethod> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html
  'x-amazon-apigateway-any-method': 'ANY',
};

// OpenAPI `in` → API Gateway's method request parameter location.
const PARAMETER_LOCATIONS: Record<string, string> = {
  path: 'path',
  query: 'querystring',
  header: 'header',
};

export interface MethodOptions {
  schemes: Map<string, SchemeEffect>;
  functionExists: (name: string) => boolean;
  validation: RequestValidationImport;
  /** The resource's path, to name a method's inline body model. */
  path: string;
}

export function readMethod(
  ctx: ImportContext,
  httpMethod: HttpMethod,
  operation: JsonObject,
  at: JsonPath,
  pathItemParameters: unknown,
  pathItemAt: JsonPath,
  options: MethodOptions,
): Method {
  const security = methodSecurity(ctx, operation.security, [...at, 'security'], options.schemes);
  const method: Method = { httpMethod, ...security };
  if (typeof operation.operationId === 'string') method.operationName = operation.operationId;
  const parameters = requestParameters(ctx, [
    { value: pathItemParameters, path: [...pathItemAt, 'parameters'] },
    { value: operation.parameters, path: [...at, 'parameters'] },
  ]);
  if (Object.keys(parameters).length > 0) method.requestParameters = parameters;
  Object.assign(method, options.validation.method(operation, at, `${httpMethod}${options.path}`));
  const responses = methodResponses(ctx, operation.responses, [...at, 'responses']);
  if (Object.keys(responses).length > 0) method.methodResponses = responses;
  if (operation[INTEGRATION] === undefined) {
    // API Gateway imports such a method but refuses to deploy it; here import is deployment.
    ctx.fail(at, `No integration defined for method (add ${INTEGRATION})`);
  }
  method.methodIntegration = readIntegration(ctx, operation[INTEGRATION], at, options);
  return method;
}

/**
 * Path Item parameters, then the operation's, which override by name and location.
 * `method.request.{path|querystring|header}.{name}` → required. Body, form and cookie parameters
 * have no method request parameter in API Gateway.
 */
function requestParameters(
  ctx: ImportContext,
  lists: { value: unknown; path: JsonPath }[],
): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const list of lists) {
    if (list.value === undefined || list.value === null) continue;
    if (!Array.isArray(list.value)) ctx.fail(list.path, 'expected a list of parameters');
    list.value.forEach((item: unknown, index) => {
      const param = ctx.object(item, [...list.path, index]);
      const { name, in: location } = param.value;
      if (typeof name !== 'string' || name === '') ctx.fail([...param.path, 'name'], 'required');
      if (typeof location !== 'string') ctx.fail([...param.path, 'in'], 'required');
      const where = PARAMETER_LOCATIONS[location];
      if (where === undefined) return;
      // Path parameters are always required (OpenAPI says so, and a path cannot match without them).
      out[`method.request.${where}.${name}`] = where === 'path' || param.value.required === true;
    });
  }
  return out;
}

/** Status-code responses → method responses; their headers → method.response.header.{name}. */
function methodResponses(
  ctx: ImportContext,
  responses: unknown,
  at: JsonPath,
): Record<string, MethodResponse> {
  const out: Record<string, MethodResponse> = {};
  if (responses === undefined || responses === null) return out;
  const found = ctx.object(responses, at);
  for (const [code, value] of Object.entries(found.value)) {
    if (!/^[1-5]\d\d$/.test(code)) continue;
    const response = ctx.object(value, [...found.path, code]);
    const methodResponse: MethodResponse = { statusCode: code };
    const headers = response.value.headers;
    if (isObject(headers) && Object.keys(headers).length > 0) {
      methodResponse.responseParameters = Object.fromEntries(
        Object.keys(headers).map((h) => [`method.response.header.${h}`, false]),
      );
    }
    out[code] = methodResponse;
  }
  return out;
}
