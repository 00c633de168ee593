// PutMethodResponse, GetMethodResponse, UpdateMethodResponse, DeleteMethodResponse: the statuses
// and headers a method may answer with, which integration responses map onto.
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethodResponse.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_MethodResponse.html
import { z } from 'zod';
import type { Method, MethodResponse } from '../../model/types.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi, getMethod, getResource } from './entities.js';
import { booleanMap, parseBody, presentMembers, stringMap, type Body } from './fields.js';
import { changeMethod, checkStatusCode } from './methods.js';
import {
  applyPatchOperations,
  booleanValue,
  mapEntry,
  readPatchOperations,
  type PatchErrorStyle,
  type PatchRule,
} from './patch-operations.js';

const RESPONSE_PARAMETER = /^method\.response\.header\.[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** "Invalid mapping expression specified: …" as AWS words a bad response parameter name. */
export function checkResponseParameterName(name: string): void {
  if (!RESPONSE_PARAMETER.test(name))
    throw new BadRequestError(
      `Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: ${name}]`,
    );
}

export const putMethodResponseSchema = z.object({
  responseParameters: booleanMap.optional(),
  responseModels: stringMap.optional(),
});

export async function putMethodResponse(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  statusCode: string,
  body: Body,
): Promise<MethodResponse> {
  checkStatusCode(statusCode);
  const input = parseBody(putMethodResponseSchema, body, 'putMethodResponse');
  for (const name of Object.keys(input.responseParameters ?? {})) checkResponseParameterName(name);
  const response: MethodResponse = { statusCode, ...presentMembers(input) };
  await changeMethod(deps, apiId, resourceId, httpMethod, (method) => {
    if (method.methodResponses?.[statusCode])
      throw new ConflictError('Response already exists for this resource');
    method.methodResponses = { ...method.methodResponses, [statusCode]: response };
  });
  return response;
}

export async function getMethodResponse(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  statusCode: string,
): Promise<MethodResponse> {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const resource = await getResource(deps.store, apiId, resourceId);
  return requireResponse(getMethod(resource, httpMethod).methodResponses, statusCode);
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateMethodResponse-Patch
const METHOD_RESPONSE_PATCH: PatchRule<MethodResponse>[] = [
  mapEntry('responseParameters', (value, name) => {
    checkResponseParameterName(name);
    return booleanValue(value, `/responseParameters/${name}`);
  }),
  mapEntry('responseModels'),
];

export const { update: updateMethodResponse, remove: deleteMethodResponse } = responseOperations(
  { input: 'updateMethodResponseInput', style: 'plain' },
  (method) => method.methodResponses,
  METHOD_RESPONSE_PATCH,
);

/**
 * UpdateXResponse and DeleteXResponse for a method's or an integration's responses: the same
 * steps on another map (`responsesOf` answers undefined, or throws, when there is none).
 */
export function responseOperations<T extends object>(
  wording: { input: string; style: PatchErrorStyle },
  responsesOf: (method: Method) => Record<string, T> | undefined,
  rules: PatchRule<T>[],
  check: (response: T, method: Method) => void = () => {},
) {
  return {
    update: async (
      deps: ApiGatewayDeps,
      apiId: string,
      resourceId: string,
      httpMethod: string,
      statusCode: string,
      body: Body,
    ): Promise<T> => {
      const operations = readPatchOperations(body, wording.input);
      let updated: T | undefined;
      await changeMethod(deps, apiId, resourceId, httpMethod, (method) => {
        const response = requireResponse(responsesOf(method), statusCode);
        applyPatchOperations(response, operations, rules, wording.style);
        check(response, method);
        updated = response;
      });
      return updated!;
    },
    remove: async (
      deps: ApiGatewayDeps,
      apiId: string,
      resourceId: string,
      httpMethod: string,
      statusCode: string,
    ): Promise<void> => {
      await changeMethod(deps, apiId, resourceId, httpMethod, (method) => {
        const responses = responsesOf(method);
        requireResponse(responses, statusCode);
        delete responses![statusCode];
      });
    },
  };
}

/** A method's or an integration's response for a status, or AWS's 404. */
export function requireResponse<T>(
  responses: Record<string, T> | undefined,
  statusCode: string,
): T {
  const response = responses?.[statusCode];
  if (!response) throw new NotFoundError('Invalid Response status code specified');
  return response;
}
