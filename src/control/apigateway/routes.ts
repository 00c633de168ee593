// The API Gateway control API's routes: AWS's paths, methods and status codes, as the SDK's
// service model declares them (@aws-sdk/client-api-gateway: `[method, path, status]` per
// operation). https://docs.aws.amazon.com/apigateway/latest/api/API_Operations.html
// One row per operation, so the whole API reads as a table; `registerApiGatewayRoutes` walks it.
import type { AdminRequest, AdminResponse, AdminRoutes } from '../admin/server.js';
import {
  createApiKey,
  deleteApiKey,
  getApiKeyOp,
  getApiKeys,
  importApiKeys,
  updateApiKey,
} from './api-keys.js';
import {
  createAuthorizer,
  deleteAuthorizer,
  getAuthorizerOp,
  getAuthorizers,
  updateAuthorizer,
} from './authorizers.js';
import {
  createDeploymentOp,
  deleteDeployment,
  getDeploymentOp,
  getDeployments,
} from './deployments.js';
import type { ApiGatewayDeps } from './deps.js';
import {
  deleteGatewayResponse,
  getGatewayResponse,
  getGatewayResponses,
  putGatewayResponse,
} from './gateway-responses.js';
import { getExport, importRestApi, putRestApi } from './import-export.js';
import {
  deleteIntegrationResponse,
  getIntegrationResponse,
  putIntegrationResponse,
  updateIntegrationResponse,
} from './integration-responses.js';
import {
  deleteIntegration,
  getIntegration,
  putIntegration,
  updateIntegration,
} from './integrations.js';
import {
  deleteMethodResponse,
  getMethodResponse,
  putMethodResponse,
  updateMethodResponse,
} from './method-responses.js';
import { deleteMethod, getMethodOp, putMethod, updateMethod } from './methods.js';
import {
  createModel,
  deleteModel,
  getModelOp,
  getModels,
  getModelTemplate,
  updateModel,
} from './models.js';
import {
  createRequestValidator,
  deleteRequestValidator,
  getRequestValidatorOp,
  getRequestValidators,
  updateRequestValidator,
} from './request-validators.js';
import {
  createResource,
  deleteResource,
  getResourceOp,
  getResources,
  updateResource,
} from './resources.js';
import {
  createRestApi,
  deleteRestApi,
  getRestApi,
  getRestApis,
  updateRestApi,
} from './rest-apis.js';
import {
  createStage,
  deleteStage,
  flushStageAuthorizersCache,
  getStageOp,
  getStages,
  updateStage,
} from './stages.js';
import { testInvokeAuthorizer, testInvokeMethod } from './test-invoke.js';
import { getUsage, updateUsage } from './usage.js';
import {
  createUsagePlan,
  createUsagePlanKey,
  deleteUsagePlan,
  deleteUsagePlanKey,
  getUsagePlanKey,
  getUsagePlanKeys,
  getUsagePlanOp,
  getUsagePlans,
  updateUsagePlan,
} from './usage-plans.js';

/** The path parameters the table's paths name; a row reads only those its own path has. */
interface PathParams {
  restapi_id: string;
  resource_id: string;
  http_method: string;
  status_code: string;
  authorizer_id: string;
  deployment_id: string;
  stage_name: string;
  export_type: string;
  response_type: string;
  api_key: string;
  usageplan_id: string;
  key_id: string;
  model_name: string;
  requestvalidator_id: string;
}

type Op = (deps: ApiGatewayDeps, request: AdminRequest, p: PathParams) => Promise<unknown>;

interface Route {
  method: string;
  path: string;
  /** AWS's success status; `null`: the operation builds its own response. */
  status: number | null;
  op: Op;
}

const API = '/restapis/:restapi_id';
const RESOURCE = `${API}/resources/:resource_id`;
const METHOD = `${RESOURCE}/methods/:http_method`;
const METHOD_RESPONSE = `${METHOD}/responses/:status_code`;
const INTEGRATION = `${METHOD}/integration`;
const INTEGRATION_RESPONSE = `${INTEGRATION}/responses/:status_code`;
const AUTHORIZER = `${API}/authorizers/:authorizer_id`;
const DEPLOYMENT = `${API}/deployments/:deployment_id`;
const STAGE = `${API}/stages/:stage_name`;
const RESPONSE = `${API}/gatewayresponses/:response_type`;
const API_KEY = '/apikeys/:api_key';
const PLAN = '/usageplans/:usageplan_id';
const PLAN_KEY = `${PLAN}/keys/:key_id`;
const MODEL = `${API}/models/:model_name`;
const VALIDATOR = `${API}/requestvalidators/:requestvalidator_id`;

/** A row of the table, written as a call so each row stays on a line or two. */
const route = (method: string, path: string, status: number | null, op: Op): Route => ({
  method,
  path,
  status,
  op,
});
/** Where a method (and its responses and integration) is: API, resource, HTTP method. */
const methodAt = (p: PathParams) => [p.restapi_id, p.resource_id, p.http_method] as const;

const ROUTES: readonly Route[] = [
  // POST /restapis is CreateRestApi, or ImportRestApi with ?mode=import.
  route('POST', '/restapis', 201, (d, r) =>
    r.query.get('mode') === 'import' ? importRestApi(d, r.body) : createRestApi(d, r.json()),
  ),
  route('GET', '/restapis', 200, (d, r) => getRestApis(d, r.query)),
  route('GET', API, 200, (d, _r, p) => getRestApi(d, p.restapi_id)),
  route('PATCH', API, 200, (d, r, p) => updateRestApi(d, p.restapi_id, r.json())),
  route('PUT', API, 200, (d, r, p) => putRestApi(d, p.restapi_id, r.query, r.body)),
  route('DELETE', API, 202, (d, _r, p) => deleteRestApi(d, p.restapi_id)),

  route('GET', `${API}/resources`, 200, (d, r, p) => getResources(d, p.restapi_id, r.query)),
  route('GET', RESOURCE, 200, (d, r, p) => getResourceOp(d, p.restapi_id, p.resource_id, r.query)),
  // CreateResource names the parent in the same position.
  route('POST', RESOURCE, 201, (d, r, p) =>
    createResource(d, p.restapi_id, p.resource_id, r.json()),
  ),
  route('PATCH', RESOURCE, 200, (d, r, p) =>
    updateResource(d, p.restapi_id, p.resource_id, r.json()),
  ),
  route('DELETE', RESOURCE, 202, (d, _r, p) => deleteResource(d, p.restapi_id, p.resource_id)),

  route('PUT', METHOD, 201, (d, r, p) => putMethod(d, ...methodAt(p), r.json())),
  route('GET', METHOD, 200, (d, _r, p) => getMethodOp(d, ...methodAt(p))),
  route('PATCH', METHOD, 200, (d, r, p) => updateMethod(d, ...methodAt(p), r.json())),
  route('DELETE', METHOD, 204, (d, _r, p) => deleteMethod(d, ...methodAt(p))),
  route('POST', METHOD, 200, (d, r, p) => testInvokeMethod(d, ...methodAt(p), r.json())),
  route('PUT', METHOD_RESPONSE, 201, (d, r, p) =>
    putMethodResponse(d, ...methodAt(p), p.status_code, r.json()),
  ),
  route('GET', METHOD_RESPONSE, 200, (d, _r, p) =>
    getMethodResponse(d, ...methodAt(p), p.status_code),
  ),
  // The SDK's model declares 201 for UpdateMethodResponse.
  route('PATCH', METHOD_RESPONSE, 201, (d, r, p) =>
    updateMethodResponse(d, ...methodAt(p), p.status_code, r.json()),
  ),
  route('DELETE', METHOD_RESPONSE, 204, (d, _r, p) =>
    deleteMethodResponse(d, ...methodAt(p), p.status_code),
  ),

  route('PUT', INTEGRATION, 201, (d, r, p) => putIntegration(d, ...methodAt(p), r.json())),
  route('GET', INTEGRATION, 200, (d, _r, p) => getIntegration(d, ...methodAt(p))),
  route('PATCH', INTEGRATION, 200, (d, r, p) => updateIntegration(d, ...methodAt(p), r.json())),
  route('DELETE', INTEGRATION, 204, (d, _r, p) => deleteIntegration(d, ...methodAt(p))),
  route('PUT', INTEGRATION_RESPONSE, 201, (d, r, p) =>
    putIntegrationResponse(d, ...methodAt(p), p.status_code, r.json()),
  ),
  route('GET', INTEGRATION_RESPONSE, 200, (d, _r, p) =>
    getIntegrationResponse(d, ...methodAt(p), p.status_code),
  ),
  route('PATCH', INTEGRATION_RESPONSE, 200, (d, r, p) =>
    updateIntegrationResponse(d, ...methodAt(p), p.status_code, r.json()),
  ),
  route('DELETE', INTEGRATION_RESPONSE, 204, (d, _r, p) =>
    deleteIntegrationResponse(d, ...methodAt(p), p.status_code),
  ),

  route('POST', `${API}/authorizers`, 201, (d, r, p) =>
    createAuthorizer(d, p.restapi_id, r.json()),
  ),
  route('GET', `${API}/authorizers`, 200, (d, r, p) => getAuthorizers(d, p.restapi_id, r.query)),
  route('GET', AUTHORIZER, 200, (d, _r, p) => getAuthorizerOp(d, p.restapi_id, p.authorizer_id)),
  route('PATCH', AUTHORIZER, 200, (d, r, p) =>
    updateAuthorizer(d, p.restapi_id, p.authorizer_id, r.json()),
  ),
  route('DELETE', AUTHORIZER, 202, (d, _r, p) =>
    deleteAuthorizer(d, p.restapi_id, p.authorizer_id),
  ),
  route('POST', AUTHORIZER, 200, (d, r, p) =>
    testInvokeAuthorizer(d, p.restapi_id, p.authorizer_id, r.json()),
  ),

  route('POST', `${API}/deployments`, 201, (d, r, p) =>
    createDeploymentOp(d, p.restapi_id, r.json()),
  ),
  route('GET', `${API}/deployments`, 200, (d, r, p) => getDeployments(d, p.restapi_id, r.query)),
  route('GET', DEPLOYMENT, 200, (d, r, p) =>
    getDeploymentOp(d, p.restapi_id, p.deployment_id, r.query),
  ),
  route('DELETE', DEPLOYMENT, 202, (d, _r, p) =>
    deleteDeployment(d, p.restapi_id, p.deployment_id),
  ),

  route('POST', `${API}/stages`, 201, (d, r, p) => createStage(d, p.restapi_id, r.json())),
  route('GET', `${API}/stages`, 200, (d, r, p) => getStages(d, p.restapi_id, r.query)),
  route('GET', STAGE, 200, (d, _r, p) => getStageOp(d, p.restapi_id, p.stage_name)),
  route('PATCH', STAGE, 200, (d, r, p) => updateStage(d, p.restapi_id, p.stage_name, r.json())),
  route('DELETE', STAGE, 202, (d, _r, p) => deleteStage(d, p.restapi_id, p.stage_name)),
  route('DELETE', `${STAGE}/cache/authorizers`, 202, (d, _r, p) =>
    flushStageAuthorizersCache(d, p.restapi_id, p.stage_name),
  ),
  // GetExport answers with the document's own content type and disposition headers.
  route('GET', `${STAGE}/exports/:export_type`, null, async (d, r, p) => {
    const { restapi_id, stage_name, export_type } = p;
    const exported = await getExport(
      d,
      restapi_id,
      stage_name,
      export_type,
      r.query,
      r.headers.accept,
    );
    return { status: 200, body: exported.body, headers: exported.headers };
  }),

  route('GET', `${API}/gatewayresponses`, 200, (d, r, p) =>
    getGatewayResponses(d, p.restapi_id, r.query),
  ),
  route('GET', RESPONSE, 200, (d, _r, p) => getGatewayResponse(d, p.restapi_id, p.response_type)),
  route('PUT', RESPONSE, 201, (d, r, p) =>
    putGatewayResponse(d, p.restapi_id, p.response_type, r.json()),
  ),
  route('DELETE', RESPONSE, 202, (d, _r, p) =>
    deleteGatewayResponse(d, p.restapi_id, p.response_type),
  ),

  // POST /apikeys is CreateApiKey, or ImportApiKeys with ?mode=import.
  route('POST', '/apikeys', 201, (d, r) =>
    r.query.get('mode') === 'import'
      ? importApiKeys(d, r.query, r.body)
      : createApiKey(d, r.json()),
  ),
  route('GET', '/apikeys', 200, (d, r) => getApiKeys(d, r.query)),
  route('GET', API_KEY, 200, (d, r, p) => getApiKeyOp(d, p.api_key, r.query)),
  route('PATCH', API_KEY, 200, (d, r, p) => updateApiKey(d, p.api_key, r.json())),
  route('DELETE', API_KEY, 202, (d, _r, p) => deleteApiKey(d, p.api_key)),

  route('POST', '/usageplans', 201, (d, r) => createUsagePlan(d, r.json())),
  route('GET', '/usageplans', 200, (d, r) => getUsagePlans(d, r.query)),
  route('GET', PLAN, 200, (d, _r, p) => getUsagePlanOp(d, p.usageplan_id)),
  route('PATCH', PLAN, 200, (d, r, p) => updateUsagePlan(d, p.usageplan_id, r.json())),
  route('DELETE', PLAN, 202, (d, _r, p) => deleteUsagePlan(d, p.usageplan_id)),
  route('POST', `${PLAN}/keys`, 201, (d, r, p) => createUsagePlanKey(d, p.usageplan_id, r.json())),
  route('GET', `${PLAN}/keys`, 200, (d, r, p) => getUsagePlanKeys(d, p.usageplan_id, r.query)),
  route('GET', PLAN_KEY, 200, (d, _r, p) => getUsagePlanKey(d, p.usageplan_id, p.key_id)),
  route('DELETE', PLAN_KEY, 202, (d, _r, p) => deleteUsagePlanKey(d, p.usageplan_id, p.key_id)),
  route('PATCH', `${PLAN_KEY}/usage`, 200, (d, r, p) =>
    updateUsage(d, p.usageplan_id, p.key_id, r.json()),
  ),
  route('GET', `${PLAN}/usage`, 200, (d, r, p) => getUsage(d, p.usageplan_id, r.query)),
  route('POST', `${API}/models`, 201, (d, r, p) => createModel(d, p.restapi_id, r.json())),
  route('GET', `${API}/models`, 200, (d, r, p) => getModels(d, p.restapi_id, r.query)),
  route('GET', MODEL, 200, (d, _r, p) => getModelOp(d, p.restapi_id, p.model_name)),
  route('PATCH', MODEL, 200, (d, r, p) => updateModel(d, p.restapi_id, p.model_name, r.json())),
  route('DELETE', MODEL, 202, (d, _r, p) => deleteModel(d, p.restapi_id, p.model_name)),
  route('GET', `${MODEL}/default_template`, 200, (d, _r, p) =>
    getModelTemplate(d, p.restapi_id, p.model_name),
  ),

  route('POST', `${API}/requestvalidators`, 201, (d, r, p) =>
    createRequestValidator(d, p.restapi_id, r.json()),
  ),
  route('GET', `${API}/requestvalidators`, 200, (d, r, p) =>
    getRequestValidators(d, p.restapi_id, r.query),
  ),
  route('GET', VALIDATOR, 200, (d, _r, p) =>
    getRequestValidatorOp(d, p.restapi_id, p.requestvalidator_id),
  ),
  route('PATCH', VALIDATOR, 200, (d, r, p) =>
    updateRequestValidator(d, p.restapi_id, p.requestvalidator_id, r.json()),
  ),
  route('DELETE', VALIDATOR, 202, (d, _r, p) =>
    deleteRequestValidator(d, p.restapi_id, p.requestvalidator_id),
  ),
];

export function registerApiGatewayRoutes(deps: ApiGatewayDeps): (routes: AdminRoutes) => void {
  return (routes) => {
    for (const { method, path, status, op } of ROUTES) {
      routes.add(method, path, async (request): Promise<AdminResponse> => {
        // find-my-way fills every parameter the route's path names, and a row reads only those.
        const result = await op(deps, request, request.params as unknown as PathParams);
        if (status === null) return result as AdminResponse;
        return status === 202 || status === 204 ? { status } : { status, body: result };
      });
    }
  };
}
