// PutIntegration, GetIntegration, UpdateIntegration, DeleteIntegration (the integration's
// responses: integration-responses.ts).
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html
import { z } from 'zod';
import { parseLambdaInvocationUri } from '../../model/arn.js';
import type { Integration, IntegrationType, Method } from '../../model/types.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi, getMethod, getResource } from './entities.js';
import {
  enumOf,
  integerBetween,
  parseBody,
  presentMembers,
  stringMap,
  type Body,
} from './fields.js';
import { changeMethod } from './methods.js';
import {
  applyPatchOperations,
  integerValue,
  mapEntry,
  readPatchOperations,
  stringField,
  type PatchRule,
} from './patch-operations.js';
import { integrationWire } from './wire.js';

// In the order AWS's ValidationException lists them (test_put_integration_wrong_type).
const TYPES: readonly IntegrationType[] = ['HTTP', 'MOCK', 'AWS_PROXY', 'HTTP_PROXY', 'AWS'];
const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'] as const;
const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'] as const;
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
export const DEFAULT_TIMEOUT_MS = 29000;
const MIN_TIMEOUT_MS = 50;
const timeoutInMillis = integerBetween(MIN_TIMEOUT_MS, DEFAULT_TIMEOUT_MS);

const putIntegrationInput = z.object({
  type: enumOf(TYPES),
  timeoutInMillis: timeoutInMillis.default(DEFAULT_TIMEOUT_MS),
  httpMethod: z.string().optional(),
  uri: z.string().optional(),
  requestParameters: stringMap.optional(),
  requestTemplates: stringMap.optional(),
  passthroughBehavior: enumOf(PASSTHROUGH).optional(),
  contentHandling: enumOf(CONTENT_HANDLING).optional(),
  cacheKeyParameters: z.array(z.string()).optional(),
});

export async function putIntegration(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  body: Body,
) {
  const integration: Integration = presentMembers(
    parseBody(putIntegrationInput, body, 'putIntegration'),
  );
  checkIntegration(integration);
  // PutIntegration replaces the integration, its responses included.
  const { resource } = await changeMethod(deps, apiId, resourceId, httpMethod, (method) => {
    method.methodIntegration = integration;
  });
  return integrationWire(integration, resource);
}

/** What API Gateway refuses at PutIntegration/UpdateIntegration time, in its words. */
function checkIntegration(integration: Integration): void {
  const { type, uri, httpMethod } = integration;
  if (type === 'MOCK') return;
  if (!httpMethod) throw new BadRequestError('Enumeration value for HttpMethod must be non-empty');
  if (!uri) throw new BadRequestError('Invalid ARN specified in the request');
  if (type === 'AWS_PROXY' || type === 'AWS') {
    // A function chosen per stage can only be checked when a stage calls it.
    if (uri.includes('${stageVariables.')) return;
    if (!uri.startsWith('arn:')) throw new BadRequestError('Invalid ARN specified in the request');
    if (type === 'AWS_PROXY' && !parseLambdaInvocationUri(uri))
      throw new BadRequestError(
        "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
      );
    return;
  }
  if (!/^https?:\/\/[^\s/]+/i.test(uri))
    throw new BadRequestError('Invalid HTTP endpoint specified for URI');
}

export async function loadIntegration(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const resource = await getResource(deps.store, apiId, resourceId);
  const integration = getMethod(resource, httpMethod).methodIntegration;
  if (!integration) throw new NotFoundError('Invalid Integration identifier specified');
  return { resource, integration };
}

export async function getIntegration(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
) {
  const { resource, integration } = await loadIntegration(deps, apiId, resourceId, httpMethod);
  return integrationWire(integration, resource);
}

/** `/contentHandling`, for integrations and their responses alike. */
export function contentHandlingRule<T extends { contentHandling?: string }>(): PatchRule<T> {
  return stringField<T>('/contentHandling', 'contentHandling', {
    check: (v) => {
      if (!(CONTENT_HANDLING as readonly string[]).includes(v))
        throw new BadRequestError(`Invalid content handling specified: ${v}`);
    },
  });
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateIntegration-Patch
const INTEGRATION_PATCH: PatchRule<Integration>[] = [
  stringField('/uri', 'uri'),
  stringField('/httpMethod', 'httpMethod'),
  {
    path: '/type',
    ops: ['replace'],
    set: (i, v) => {
      if (!(TYPES as readonly (string | undefined)[]).includes(v))
        throw new BadRequestError(`Invalid integration type specified: ${v ?? 'null'}`);
      i.type = v as IntegrationType;
    },
  },
  {
    path: '/timeoutInMillis',
    ops: ['replace'],
    set: (i, v) => void (i.timeoutInMillis = integerValue(v, '/timeoutInMillis', timeoutInMillis)),
  },
  stringField('/passthroughBehavior', 'passthroughBehavior', {
    check: (v) => {
      if (!(PASSTHROUGH as readonly string[]).includes(v))
        throw new BadRequestError(`Invalid passthrough behavior specified: ${v}`);
    },
  }),
  contentHandlingRule(),
  mapEntry('requestParameters'),
  mapEntry('requestTemplates'),
  {
    path: '/cacheKeyParameters/*',
    ops: ['add', 'remove'],
    set: (i, _v, op, [name]) => {
      const list = (i.cacheKeyParameters ?? []).filter((p) => p !== name);
      if (op === 'add') list.push(name!);
      i.cacheKeyParameters = list;
    },
  },
];

export async function updateIntegration(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  body: Body,
) {
  const operations = readPatchOperations(body, 'updateIntegrationInput');
  const { resource, method } = await changeMethod(deps, apiId, resourceId, httpMethod, (m) => {
    const integration = requireIntegration(m);
    applyPatchOperations(integration, operations, INTEGRATION_PATCH);
    checkIntegration(integration);
  });
  return integrationWire(requireIntegration(method), resource);
}

export async function deleteIntegration(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
): Promise<void> {
  await changeMethod(deps, apiId, resourceId, httpMethod, (method) => {
    requireIntegration(method);
    delete method.methodIntegration;
  });
}

export function requireIntegration(method: Method): Integration {
  if (!method.methodIntegration)
    throw new NotFoundError('Invalid Integration identifier specified');
  return method.methodIntegration;
}
