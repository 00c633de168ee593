// Reading the model from the store, with API Gateway's NotFoundException messages, and the
// working copy (everything of one API that a deployment would freeze).
import type {
  ApiSnapshot,
  Authorizer,
  Deployment,
  GatewayResponse,
  GatewayResponseType,
  HttpMethod,
  Method,
  Model,
  RequestValidator,
  Resource,
  RestApi,
  Stage,
} from '../../model/types.js';
import { validationParts } from '../../model/snapshot-parts.js';
import type { StoreReader } from '../../store/store.js';
import { NotFoundError } from '../errors.js';

/**
 * The API, or AWS's NotFoundException. A few Create* operations word an unknown API their own
 * way (`missing`), as AWS answers them.
 */
export async function getApi(
  reader: StoreReader,
  apiId: string,
  accountId: string,
  missing?: () => Error,
): Promise<RestApi> {
  const api = await reader.get<RestApi>('restapi', '', apiId);
  if (!api)
    throw (
      missing?.() ?? new NotFoundError(`Invalid API identifier specified ${accountId}:${apiId}`)
    );
  return api;
}

export async function getResource(
  reader: StoreReader,
  apiId: string,
  resourceId: string,
): Promise<Resource> {
  const resource = await reader.get<Resource>('resource', apiId, resourceId);
  if (!resource) throw new NotFoundError('Invalid Resource identifier specified');
  return resource;
}

export function getMethod(resource: Resource, httpMethod: string): Method {
  const method = resource.resourceMethods[httpMethod as HttpMethod];
  if (!method) throw new NotFoundError('Invalid Method identifier specified');
  return method;
}

export async function getAuthorizer(
  reader: StoreReader,
  apiId: string,
  authorizerId: string,
): Promise<Authorizer> {
  const authorizer = await reader.get<Authorizer>('authorizer', apiId, authorizerId);
  if (!authorizer) throw new NotFoundError('Invalid Authorizer identifier specified');
  return authorizer;
}

export async function getModel(
  reader: StoreReader,
  apiId: string,
  modelName: string,
): Promise<Model> {
  const model = (await reader.list<Model>('model', apiId)).find((m) => m.name === modelName);
  if (!model) throw new NotFoundError('Invalid Model Name specified');
  return model;
}

export async function getRequestValidator(
  reader: StoreReader,
  apiId: string,
  validatorId: string,
): Promise<RequestValidator> {
  const validator = await reader.get<RequestValidator>('requestvalidator', apiId, validatorId);
  if (!validator) throw new NotFoundError('Invalid Request Validator identifier specified');
  return validator;
}

export async function getDeployment(
  reader: StoreReader,
  apiId: string,
  deploymentId: string,
): Promise<Deployment> {
  const deployment = await reader.get<Deployment>('deployment', apiId, deploymentId);
  if (!deployment) throw new NotFoundError('Invalid Deployment identifier specified');
  return deployment;
}

export async function getStage(
  reader: StoreReader,
  apiId: string,
  stageName: string,
): Promise<Stage> {
  const stage = await reader.get<Stage>('stage', apiId, stageName);
  if (!stage) throw new NotFoundError('Invalid Stage identifier specified');
  return stage;
}

export async function rootResourceId(
  reader: StoreReader,
  apiId: string,
): Promise<string | undefined> {
  const resources = await reader.list<Resource>('resource', apiId);
  return resources.find((r) => r.path === '/')?.id;
}

/** Everything a deployment of this API would freeze, as it stands now. */
export async function readWorkingCopy(
  reader: StoreReader,
  apiId: string,
  accountId: string,
): Promise<ApiSnapshot> {
  const api = await getApi(reader, apiId, accountId);
  const resources = await reader.list<Resource>('resource', apiId);
  const authorizers = await reader.list<Authorizer>('authorizer', apiId);
  const gatewayResponses: Partial<Record<GatewayResponseType, GatewayResponse>> = {};
  for (const response of await reader.list<GatewayResponse>('gatewayresponse', apiId))
    gatewayResponses[response.responseType] = response;
  resources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const models = await reader.list<Model>('model', apiId);
  const requestValidators = await reader.list<RequestValidator>('requestvalidator', apiId);
  return {
    api,
    resources,
    authorizers,
    gatewayResponses,
    ...validationParts(models, requestValidators),
  };
}

/** The first method of the API that `uses` picks, with its resource: what a delete must not orphan. */
export async function methodUsing(
  reader: StoreReader,
  apiId: string,
  uses: (method: Method) => boolean,
): Promise<{ resource: Resource; method: Method } | undefined> {
  for (const resource of await reader.list<Resource>('resource', apiId))
    for (const method of Object.values(resource.resourceMethods))
      if (method && uses(method)) return { resource, method };
  return undefined;
}

/** A method's full path for error messages and logs. */
export function childPath(parent: Resource, pathPart: string): string {
  return parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`;
}
