// The API Gateway control API's routes: AWS's paths, methods and status codes, as the SDK's
// service model declares them (@aws-sdk/client-api-gateway: `[method, path, status]` per
// operation). https://docs.aws.amazon.com/apigateway/latest/api/API_Operations.html
import type { AdminRequest, AdminResponse, AdminRoutes } from '../admin/server.js';
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
  deleteIntegration,
  getIntegration,
  getIntegrationResponse,
  putIntegration,
  putIntegrationResponse,
  updateIntegration,
} from './integrations.js';
import {
  deleteMethod,
  getMethodOp,
  getMethodResponse,
  putMethod,
  putMethodResponse,
  updateMethod,
} from './methods.js';
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

type Op = (request: AdminRequest, p: Record<string, string>) => Promise<unknown>;

const API = '/restapis/:restapi_id';
const RESOURCE = `${API}/resources/:resource_id`;
const METHOD = `${RESOURCE}/methods/:http_method`;
const INTEGRATION = `${METHOD}/integration`;

export function registerApiGatewayRoutes(deps: ApiGatewayDeps): (routes: AdminRoutes) => void {
  return (routes) => {
    const add = (method: string, path: string, status: number, op: Op) =>
      routes.add(method, path, async (request): Promise<AdminResponse> => {
        const result = await op(request, request.params);
        return status === 202 || status === 204 ? { status } : { status, body: result };
      });
    const json = (r: AdminRequest) => r.json();

    // POST /restapis is CreateRestApi, or ImportRestApi with ?mode=import.
    add('POST', '/restapis', 201, (r) =>
      r.query.get('mode') === 'import' ? importRestApi(deps, r.body) : createRestApi(deps, json(r)),
    );
    add('GET', '/restapis', 200, (r) => getRestApis(deps, r.query));
    add('GET', API, 200, (_r, p) => getRestApi(deps, p.restapi_id!));
    add('PATCH', API, 200, (r, p) => updateRestApi(deps, p.restapi_id!, json(r)));
    add('PUT', API, 200, (r, p) => putRestApi(deps, p.restapi_id!, r.query, r.body));
    add('DELETE', API, 202, (_r, p) => deleteRestApi(deps, p.restapi_id!));

    add('GET', `${API}/resources`, 200, (r, p) => getResources(deps, p.restapi_id!, r.query));
    add('GET', RESOURCE, 200, (r, p) =>
      getResourceOp(deps, p.restapi_id!, p.resource_id!, r.query),
    );
    // CreateResource names the parent in the same position.
    add('POST', RESOURCE, 201, (r, p) =>
      createResource(deps, p.restapi_id!, p.resource_id!, json(r)),
    );
    add('PATCH', RESOURCE, 200, (r, p) =>
      updateResource(deps, p.restapi_id!, p.resource_id!, json(r)),
    );
    add('DELETE', RESOURCE, 202, (_r, p) => deleteResource(deps, p.restapi_id!, p.resource_id!));

    add('PUT', METHOD, 201, (r, p) =>
      putMethod(deps, p.restapi_id!, p.resource_id!, p.http_method!, json(r)),
    );
    add('GET', METHOD, 200, (_r, p) =>
      getMethodOp(deps, p.restapi_id!, p.resource_id!, p.http_method!),
    );
    add('PATCH', METHOD, 200, (r, p) =>
      updateMethod(deps, p.restapi_id!, p.resource_id!, p.http_method!, json(r)),
    );
    add('DELETE', METHOD, 204, (_r, p) =>
      deleteMethod(deps, p.restapi_id!, p.resource_id!, p.http_method!),
    );
    add('POST', METHOD, 200, (r, p) =>
      testInvokeMethod(deps, p.restapi_id!, p.resource_id!, p.http_method!, json(r)),
    );
    add('PUT', `${METHOD}/responses/:status_code`, 201, (r, p) =>
      putMethodResponse(
        deps,
        p.restapi_id!,
        p.resource_id!,
        p.http_method!,
        p.status_code!,
        json(r),
      ),
    );
    add('GET', `${METHOD}/responses/:status_code`, 200, (_r, p) =>
      getMethodResponse(deps, p.restapi_id!, p.resource_id!, p.http_method!, p.status_code!),
    );

    add('PUT', INTEGRATION, 201, (r, p) =>
      putIntegration(deps, p.restapi_id!, p.resource_id!, p.http_method!, json(r)),
    );
    add('GET', INTEGRATION, 200, (_r, p) =>
      getIntegration(deps, p.restapi_id!, p.resource_id!, p.http_method!),
    );
    add('PATCH', INTEGRATION, 200, (r, p) =>
      updateIntegration(deps, p.restapi_id!, p.resource_id!, p.http_method!, json(r)),
    );
    add('DELETE', INTEGRATION, 204, (_r, p) =>
      deleteIntegration(deps, p.restapi_id!, p.resource_id!, p.http_method!),
    );
    add('PUT', `${INTEGRATION}/responses/:status_code`, 201, (r, p) =>
      putIntegrationResponse(
        deps,
        p.restapi_id!,
        p.resource_id!,
        p.http_method!,
        p.status_code!,
        json(r),
      ),
    );
    add('GET', `${INTEGRATION}/responses/:status_code`, 200, (_r, p) =>
      getIntegrationResponse(deps, p.restapi_id!, p.resource_id!, p.http_method!, p.status_code!),
    );

    add('POST', `${API}/authorizers`, 201, (r, p) =>
      createAuthorizer(deps, p.restapi_id!, json(r)),
    );
    add('GET', `${API}/authorizers`, 200, (r, p) => getAuthorizers(deps, p.restapi_id!, r.query));
    const AUTHORIZER = `${API}/authorizers/:authorizer_id`;
    add('GET', AUTHORIZER, 200, (_r, p) => getAuthorizerOp(deps, p.restapi_id!, p.authorizer_id!));
    add('PATCH', AUTHORIZER, 200, (r, p) =>
      updateAuthorizer(deps, p.restapi_id!, p.authorizer_id!, json(r)),
    );
    add('DELETE', AUTHORIZER, 202, (_r, p) =>
      deleteAuthorizer(deps, p.restapi_id!, p.authorizer_id!),
    );
    add('POST', AUTHORIZER, 200, (r, p) =>
      testInvokeAuthorizer(deps, p.restapi_id!, p.authorizer_id!, json(r)),
    );

    add('POST', `${API}/deployments`, 201, (r, p) =>
      createDeploymentOp(deps, p.restapi_id!, json(r)),
    );
    add('GET', `${API}/deployments`, 200, (r, p) => getDeployments(deps, p.restapi_id!, r.query));
    const DEPLOYMENT = `${API}/deployments/:deployment_id`;
    add('GET', DEPLOYMENT, 200, (r, p) =>
      getDeploymentOp(deps, p.restapi_id!, p.deployment_id!, r.query),
    );
    add('DELETE', DEPLOYMENT, 202, (_r, p) =>
      deleteDeployment(deps, p.restapi_id!, p.deployment_id!),
    );

    add('POST', `${API}/stages`, 201, (r, p) => createStage(deps, p.restapi_id!, json(r)));
    add('GET', `${API}/stages`, 200, (r, p) => getStages(deps, p.restapi_id!, r.query));
    const STAGE = `${API}/stages/:stage_name`;
    add('GET', STAGE, 200, (_r, p) => getStageOp(deps, p.restapi_id!, p.stage_name!));
    add('PATCH', STAGE, 200, (r, p) => updateStage(deps, p.restapi_id!, p.stage_name!, json(r)));
    add('DELETE', STAGE, 202, (_r, p) => deleteStage(deps, p.restapi_id!, p.stage_name!));
    add('DELETE', `${STAGE}/cache/authorizers`, 202, (_r, p) =>
      flushStageAuthorizersCache(deps, p.restapi_id!, p.stage_name!),
    );
    routes.add('GET', `${STAGE}/exports/:export_type`, async (r) => {
      const p = r.params;
      const accept = r.headers.accept;
      const exported = await getExport(
        deps,
        p.restapi_id!,
        p.stage_name!,
        p.export_type!,
        r.query,
        accept,
      );
      return { status: 200, body: exported.body, headers: exported.headers };
    });

    add('GET', `${API}/gatewayresponses`, 200, (r, p) =>
      getGatewayResponses(deps, p.restapi_id!, r.query),
    );
    const RESPONSE = `${API}/gatewayresponses/:response_type`;
    add('GET', RESPONSE, 200, (_r, p) => getGatewayResponse(deps, p.restapi_id!, p.response_type!));
    add('PUT', RESPONSE, 201, (r, p) =>
      putGatewayResponse(deps, p.restapi_id!, p.response_type!, json(r)),
    );
    add('DELETE', RESPONSE, 202, (_r, p) =>
      deleteGatewayResponse(deps, p.restapi_id!, p.response_type!),
    );
  };
}
