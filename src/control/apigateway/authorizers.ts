// CreateAuthorizer, GetAuthorizers, GetAuthorizer, UpdateAuthorizer, DeleteAuthorizer.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html
import {
  AUTHORIZER_TYPES,
  checkAuthorizer as checkAuthorizerRules,
  InvalidAuthorizerError,
} from '../../model/authorizer-rules.js';
import { authorizerInputSchema } from '../../model/authorizer-schema.js';
import { awsId } from '../../model/ids.js';
import type { Authorizer, AuthorizerType, Resource } from '../../model/types.js';
import { BadRequestError, ConflictError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi, getAuthorizer } from './entities.js';
import { parseBody, type Body } from './fields.js';
import { paginate } from './pagination.js';
import {
  applyPatchOperations,
  integerValue,
  readPatchOperations,
  stringField,
  type PatchRule,
} from './patch-operations.js';
import { authorizerWire } from './wire.js';

export async function createAuthorizer(deps: ApiGatewayDeps, apiId: string, body: Body) {
  const authorizer: Authorizer = {
    id: awsId(6),
    ...parseBody(authorizerInputSchema, body, 'createAuthorizer'),
  };
  await deps.store.transaction(async (tx) => {
    // AWS answers an unknown API so here (test_authorizer_crud_no_api, recorded against AWS).
    await getApi(
      tx,
      apiId,
      deps.settings.accountId,
      () =>
        new ConflictError(
          'Unable to complete operation due to concurrent modification. Please try again later.',
        ),
    );
    const existing = await tx.list<Authorizer>('authorizer', apiId);
    if (existing.some((a) => a.name === authorizer.name))
      throw new BadRequestError(
        `Authorizer name must be unique. Authorizer ${authorizer.name} already exists in this RestApi.`,
      );
    await tx.insert('authorizer', apiId, authorizer.id, authorizer);
  });
  return authorizerWire(authorizer);
}

/**
 * What UpdateAuthorizer refuses: the model's rules (CreateAuthorizer's schema applies the same),
 * as BadRequestException.
 */
function checkAuthorizer(authorizer: Authorizer): void {
  try {
    checkAuthorizerRules(authorizer);
  } catch (error) {
    if (error instanceof InvalidAuthorizerError) throw new BadRequestError(error.message);
    throw error;
  }
}

export async function getAuthorizers(deps: ApiGatewayDeps, apiId: string, query: URLSearchParams) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const page = paginate(await deps.store.list<Authorizer>('authorizer', apiId), query);
  return { ...page, item: page.item.map(authorizerWire) };
}

export async function getAuthorizerOp(deps: ApiGatewayDeps, apiId: string, authorizerId: string) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  return authorizerWire(await getAuthorizer(deps.store, apiId, authorizerId));
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateAuthorizer-Patch
const AUTHORIZER_PATCH: PatchRule<Authorizer>[] = [
  stringField('/name', 'name', { required: true }),
  {
    path: '/type',
    ops: ['replace'],
    set: (a, v) => {
      if (!(AUTHORIZER_TYPES as readonly (string | undefined)[]).includes(v))
        throw new BadRequestError(`Invalid authorizer type specified: ${v ?? 'null'}`);
      a.type = v as AuthorizerType;
    },
  },
  stringField('/authorizerUri', 'authorizerUri'),
  stringField('/authorizerCredentials', 'authorizerCredentials'),
  stringField('/identitySource', 'identitySource'),
  stringField('/identityValidationExpression', 'identityValidationExpression'),
  {
    path: '/authorizerResultTtlInSeconds',
    ops: ['replace'],
    set: (a, v) =>
      void (a.authorizerResultTtlInSeconds = integerValue(v, '/authorizerResultTtlInSeconds')),
  },
  {
    path: '/providerARNs',
    ops: ['add', 'remove'],
    set: (a, v, op) => {
      const arns = (a.providerARNs ?? []).filter((x) => x !== v);
      if (op === 'add' && v !== undefined) arns.push(v);
      a.providerARNs = arns;
    },
  },
];

export async function updateAuthorizer(
  deps: ApiGatewayDeps,
  apiId: string,
  authorizerId: string,
  body: Body,
) {
  const operations = readPatchOperations(body, 'updateAuthorizerInput');
  const authorizer = await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const authorizer = await getAuthorizer(tx, apiId, authorizerId);
    applyPatchOperations(authorizer, operations, AUTHORIZER_PATCH);
    checkAuthorizer(authorizer);
    await tx.put('authorizer', apiId, authorizer.id, authorizer);
    return authorizer;
  });
  return authorizerWire(authorizer);
}

export async function deleteAuthorizer(
  deps: ApiGatewayDeps,
  apiId: string,
  authorizerId: string,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const authorizer = await getAuthorizer(tx, apiId, authorizerId);
    for (const resource of await tx.list<Resource>('resource', apiId)) {
      for (const method of Object.values(resource.resourceMethods)) {
        if (method?.authorizerId === authorizerId)
          throw new BadRequestError(
            `Cannot delete authorizer '${authorizer.name}', is referenced in method: ${method.httpMethod}:${resource.path}`,
          );
      }
    }
    await tx.delete('authorizer', apiId, authorizerId);
  });
}
