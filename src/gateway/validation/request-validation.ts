// A method's request validation, compiled once per deployment from its RequestValidator, its
// required requestParameters and its requestModels.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
//   - required parameters in the path, query string and headers must be "included and not blank";
//     only their presence is checked, not their type or format;
//   - the body must match the model for its content type, or `$default`; "If no matching content
//     type is found, request validation is not performed".
import type { Method, RequestValidator } from '../../model/types.js';
import { ownValue } from '../any-key-map.js';
import type { Exchange } from '../compiled-api.js';
import { BadRequestBodyError, BadRequestParametersError, DeploymentError } from '../errors.js';
import type { CompiledModels, ModelCheck } from './models.js';

/** Throws BadRequestParametersError or BadRequestBodyError; returns when the request passes. */
export type RequestCheck = (exchange: Exchange) => void;

export interface RequiredParameter {
  location: 'header' | 'querystring' | 'path';
  name: string;
}

const PARAMETER = /^method\.request\.(header|querystring|path)\.(.+)$/;

/**
 * The required parameters a validator checks, in the order AWS lists missing ones: sorted by
 * mapping expression (header before path before querystring, then by name), as recorded in
 * LocalStack's snapshot of AWS (tests/aws/services/apigateway/test_apigateway_common.py).
 * Other expressions (multi-value forms) are not method request parameters a validator checks.
 */
export function requiredParameters(
  requestParameters: Record<string, boolean> | undefined,
): RequiredParameter[] {
  return Object.entries(requestParameters ?? {})
    .filter(([, required]) => required)
    .map(([expression]) => expression)
    .sort()
    .flatMap((expression) => {
      const m = PARAMETER.exec(expression);
      return m ? [{ location: m[1] as RequiredParameter['location'], name: m[2]! }] : [];
    });
}

/** The names of the parameters that are absent or blank (whitespace only), in order. */
export function missingParameters(
  required: readonly RequiredParameter[],
  exchange: Pick<Exchange, 'request' | 'pathParameters'>,
): string[] {
  const missing: string[] = [];
  for (const { location, name } of required) {
    const value =
      location === 'header'
        ? exchange.request.headersLower.get(name.toLowerCase())
        : location === 'querystring'
          ? ownValue(exchange.request.query.single, name)
          : ownValue(exchange.pathParameters, name);
    if (value === undefined || value.trim() === '') missing.push(name);
  }
  return missing;
}

/**
 * The model for a request's content type: its media type without parameters, case-insensitive,
 * else `$default`. A request without Content-Type is read as application/json, the type API
 * Gateway assumes for mapping templates too.
 */
export function modelFor(
  models: ReadonlyMap<string, ModelCheck>,
  contentType: string | undefined,
): ModelCheck | undefined {
  const mediaType = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  return models.get(mediaType) ?? models.get('$default');
}

/** The method's check, or undefined when it has no validator (nothing to do per request). */
export function compileRequestValidation(
  method: Method,
  validators: ReadonlyMap<string, RequestValidator>,
  models: CompiledModels,
  where: string,
): RequestCheck | undefined {
  const bodyModels = new Map<string, ModelCheck>();
  for (const [contentType, name] of Object.entries(method.requestModels ?? {})) {
    const check = models.get(name);
    if (!check) throw new DeploymentError(`${where}: request model ${name} does not exist`);
    bodyModels.set(contentType.toLowerCase(), check);
  }
  if (method.requestValidatorId === undefined || method.requestValidatorId === '') return undefined;
  const validator = validators.get(method.requestValidatorId);
  if (!validator)
    throw new DeploymentError(
      `${where}: request validator ${method.requestValidatorId} does not exist`,
    );
  const required = validator.validateRequestParameters
    ? requiredParameters(method.requestParameters)
    : [];
  const checkBody = validator.validateRequestBody && bodyModels.size > 0;
  if (required.length === 0 && !checkBody) return undefined;
  return (exchange) => {
    if (required.length > 0) {
      const missing = missingParameters(required, exchange);
      if (missing.length > 0) throw new BadRequestParametersError(missing);
    }
    if (!checkBody) return;
    const check = modelFor(bodyModels, exchange.request.headersLower.get('content-type'));
    if (!check) return;
    const json = parseBody(exchange.request.body);
    const problem = check(json);
    if (problem !== undefined) throw new BadRequestBodyError(problem);
    exchange.requestJson = json;
  };
}

/**
 * The body as JSON; an empty body is validated as `{}`, as LocalStack records AWS doing.
 * Text that is not JSON fails validation (the wording of validationErrorString is ours: AWS's is
 * not documented).
 */
function parseBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequestBodyError(NOT_JSON);
  }
}

const NOT_JSON = '[the request body is not valid JSON]';
