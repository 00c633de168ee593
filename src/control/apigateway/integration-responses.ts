// PutIntegrationResponse, GetIntegrationResponse, UpdateIntegrationResponse,
// DeleteIntegrationResponse: how a backend's answer becomes one of the method's responses.
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegrationResponse.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_IntegrationResponse.html
import { z } from 'zod';
import { compileFullMatch } from '../../model/linear-regex.js';
import type { IntegrationResponse, Method } from '../../model/types.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { enumOf, parseBody, presentMembers, stringMap, type Body } from './fields.js';
import { contentHandlingRule, loadIntegration, requireIntegration } from './integrations.js';
import {
  checkResponseParameterName,
  requireResponse,
  responseOperations,
} from './method-responses.js';
import { changeMethod, checkStatusCode } from './methods.js';
import { mapEntry, stringField, type PatchRule } from './patch-operations.js';

const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'] as const;

export const putIntegrationResponseSchema = z.object({
  selectionPattern: z.string().optional(),
  responseParameters: stringMap.optional(),
  // The CLI sends "" for "no template" (GetIntegrationResponse then shows null).
  responseTemplates: stringMap.optional(),
  contentHandling: enumOf(CONTENT_HANDLING).optional(),
});

/** What PutIntegrationResponse and UpdateIntegrationResponse refuse, in AWS's words. */
function checkResponse(response: IntegrationResponse, method: Method): void {
  if (response.selectionPattern) {
    try {
      compileFullMatch(response.selectionPattern);
    } catch {
      throw new BadRequestError('Invalid selection pattern specified');
    }
  }
  // A header can only be mapped onto one the method response declares.
  const declared = method.methodResponses?.[response.statusCode]?.responseParameters ?? {};
  for (const name of Object.keys(response.responseParameters ?? {})) {
    checkResponseParameterName(name);
    if (!Object.hasOwn(declared, name))
      throw new BadRequestError(
        `Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: ${name}]`,
      );
  }
}

export async function putIntegrationResponse(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  statusCode: string,
  body: Body,
): Promise<IntegrationResponse> {
  checkStatusCode(statusCode);
  const input = parseBody(putIntegrationResponseSchema, body, 'putIntegrationResponse');
  const response: IntegrationResponse = { statusCode, ...presentMembers(input) };
  await changeMethod(deps, apiId, resourceId, httpMethod, (method) => {
    const integration = requireIntegration(method);
    // An integration response maps onto a method response, which must exist first.
    if (!method.methodResponses?.[statusCode])
      throw new NotFoundError('Invalid Response status code specified');
    checkResponse(response, method);
    integration.integrationResponses = {
      ...integration.integrationResponses,
      [statusCode]: response,
    };
  });
  return response;
}

export async function getIntegrationResponse(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  statusCode: string,
): Promise<IntegrationResponse> {
  const { integration } = await loadIntegration(deps, apiId, resourceId, httpMethod);
  return requireResponse(integration.integrationResponses, statusCode);
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateIntegrationResponse-Patch
const INTEGRATION_RESPONSE_PATCH: PatchRule<IntegrationResponse>[] = [
  stringField('/selectionPattern', 'selectionPattern'),
  contentHandlingRule(),
  mapEntry('responseParameters'),
  mapEntry('responseTemplates'),
];

export const { update: updateIntegrationResponse, remove: deleteIntegrationResponse } =
  responseOperations(
    { input: 'updateIntegrationResponseInput', style: 'listed' },
    (method) => requireIntegration(method).integrationResponses,
    INTEGRATION_RESPONSE_PATCH,
    checkResponse,
  );
