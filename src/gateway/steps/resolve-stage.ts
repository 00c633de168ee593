// Step: find the deployed API and stage a URL names. Three URL forms (docs/DESIGN notes):
//   http://{apiId}.execute-api.{anything}/{stage}/{path}            (host-based, as AWS)
//   http://host/restapis/{apiId}/{stage}/_user_request_/{path}      (no DNS needed)
//   http://host/{stage}/{path}                                      (one API, or the default)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html
import type { CompiledStage } from '../compiled-api.js';
import type { DeployedStages } from '../deployments.js';
import { StageNotFoundError } from '../errors.js';

export interface Resolved {
  stage: CompiledStage;
  /** The path after the stage, starting with `/`. */
  path: string;
}

const HOST_API = /^([a-z0-9]{10})\.execute-api\./;
const USER_REQUEST = /^\/restapis\/([a-z0-9]{10})\/([^/]+)\/_user_request_(\/.*)?$/;

export function resolveStage(
  stages: DeployedStages,
  host: string | undefined,
  pathname: string,
): Resolved {
  const user = USER_REQUEST.exec(pathname);
  if (user) return found(stages.get(user[1]!, user[2]!), user[3] || '/');

  const hostApi = host ? HOST_API.exec(host) : null;
  const apiId = hostApi ? hostApi[1]! : stages.soleApiId();
  if (apiId === undefined) throw new StageNotFoundError();
  const slash = pathname.indexOf('/', 1);
  const stageName = slash === -1 ? pathname.slice(1) : pathname.slice(1, slash);
  return found(stages.get(apiId, stageName), slash === -1 ? '/' : pathname.slice(slash));
}

function found(stage: CompiledStage | undefined, path: string): Resolved {
  if (!stage) throw new StageNotFoundError();
  return { stage, path };
}
