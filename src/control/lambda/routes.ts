// The Lambda control API's routes, with AWS's paths and status codes, and Lambda's error shape:
// `x-amzn-ErrorType` plus `{"Type": "User", "message": …}`. Function names in paths may be names
// or ARNs (find-my-way decodes the SDK's percent-encoding).
// https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html
import type { AdminRequest, AdminResponse, AdminRoutes } from '../admin/server.js';
import { ControlError } from '../errors.js';
import type { LambdaDeps } from './deps.js';
import { resolveFunctionName } from './function-name.js';
import {
  createFunction,
  deleteFunction,
  getFunction,
  listFunctions,
  updateFunctionCode,
  updateFunctionConfiguration,
} from './functions.js';
import { invoke } from './invoke.js';
import { addPermission, getPolicy, removePermission } from './permissions.js';

const FUNCTIONS = '/2015-03-31/functions';
const FUNCTION = `${FUNCTIONS}/:FunctionName`;

export function registerLambdaRoutes(deps: LambdaDeps): (routes: AdminRoutes) => void {
  return (routes) => {
    const add = (
      method: string,
      path: string,
      status: number,
      op: (request: AdminRequest, name: string) => Promise<unknown>,
    ) =>
      routes.add(method, path, async (request): Promise<AdminResponse> => {
        try {
          const name =
            request.params.FunctionName === undefined
              ? ''
              : resolveFunctionName(
                  request.params.FunctionName,
                  deps.settings,
                  request.query.get('Qualifier'),
                );
          const result = await op(request, name);
          if (status === 0) return result as AdminResponse;
          return status === 204 ? { status } : { status, body: result };
        } catch (error) {
          if (error instanceof ControlError) return lambdaError(error);
          throw error;
        }
      });

    add('POST', FUNCTIONS, 201, (r) => createFunction(deps, r.json()));
    add('GET', FUNCTIONS, 200, (r) => listFunctions(deps, r.query));
    add('GET', FUNCTION, 200, (_r, name) => getFunction(deps, name));
    add('DELETE', FUNCTION, 204, (_r, name) => deleteFunction(deps, name));
    add('PUT', `${FUNCTION}/code`, 200, (r, name) => updateFunctionCode(deps, name, r.json()));
    add('PUT', `${FUNCTION}/configuration`, 200, (r, name) =>
      updateFunctionConfiguration(deps, name, r.json()),
    );
    add('POST', `${FUNCTION}/invocations`, 0, (r, name) => invoke(deps, name, r));
    add('POST', `${FUNCTION}/policy`, 201, (r, name) => addPermission(deps, name, r.json()));
    add('GET', `${FUNCTION}/policy`, 200, (_r, name) => getPolicy(deps, name));
    add('DELETE', `${FUNCTION}/policy/:StatementId`, 204, (r, name) =>
      removePermission(deps, name, r.params.StatementId!),
    );
  };
}

function lambdaError(error: ControlError): AdminResponse {
  return {
    status: error.status,
    body: { Type: error.status >= 500 ? 'Service' : 'User', message: error.message },
    headers: { 'x-amzn-ErrorType': error.errorType },
  };
}
