// CreateDeployment, GetDeployments, GetDeployment, DeleteDeployment. A deployment freezes the
// working copy into an immutable snapshot; only what is deployed reaches callers.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDeployment.html
import { getGlobalDispatcher } from 'undici';
import { z } from 'zod';
import { compileStage } from '../../gateway/compile.js';
import { DeploymentError } from '../../gateway/errors.js';
import type { Invoker } from '../../functions/invoker.js';
import { canonicalJson } from '../../model/canonical-json.js';
import { awsId } from '../../model/ids.js';
import type { ApiSnapshot, Deployment, Settings, Stage } from '../../model/types.js';
import type { StoreTx } from '../../store/store.js';
import { BadRequestError } from '../errors.js';
import type { ApiGatewayDeps, ModelDeps } from './deps.js';
import { getApi, getDeployment, readWorkingCopy } from './entities.js';
import { parseBody, stringMap, type Body } from './fields.js';
import { paginate } from './pagination.js';
import { checkStageName, checkVariables } from './stages.js';
import { deploymentWire } from './wire.js';

export interface CreateDeploymentInput {
  stageName?: string;
  stageDescription?: string;
  description?: string;
  variables?: Record<string, string>;
  /**
   * For the config-file path, which deploys at every start: when the stage already serves a
   * deployment identical to the working copy (and the same variables), nothing is written and
   * that deployment is returned.
   */
  reuseIfUnchanged?: boolean;
  /** Stage variables replace the stage's (config file) instead of merging into them (AWS). */
  replaceVariables?: boolean;
}

export async function createDeployment(
  deps: ModelDeps,
  apiId: string,
  input: CreateDeploymentInput,
): Promise<Deployment> {
  if (input.stageName !== undefined) checkStageName(input.stageName);
  if (input.variables) checkVariables(input.variables);
  const now = (deps.now ?? Date.now)();
  return deps.store.transaction(async (tx) => {
    const snapshot = await readWorkingCopy(tx, apiId, deps.settings.accountId);
    checkDeployable(snapshot, deps, input.variables ?? {});
    const stage =
      input.stageName === undefined
        ? undefined
        : await tx.get<Stage>('stage', apiId, input.stageName);
    if (input.reuseIfUnchanged && stage) {
      const current = await tx.get<Deployment>('deployment', apiId, stage.deploymentId);
      if (
        current &&
        canonicalJson(current.snapshot) === canonicalJson(snapshot) &&
        canonicalJson(stage.variables) === canonicalJson(input.variables ?? {})
      )
        return current;
    }
    const deployment: Deployment = {
      id: await freshId(tx, apiId),
      restApiId: apiId,
      createdDate: now,
      snapshot,
    };
    if (input.description !== undefined) deployment.description = input.description;
    await tx.insert('deployment', apiId, deployment.id, deployment);
    if (input.stageName !== undefined) {
      await pointStage(tx, apiId, input.stageName, deployment.id, input, stage, now);
    }
    return deployment;
  });
}

async function pointStage(
  tx: StoreTx,
  apiId: string,
  stageName: string,
  deploymentId: string,
  input: CreateDeploymentInput,
  existing: Stage | undefined,
  now: number,
): Promise<void> {
  const variables = input.replaceVariables
    ? { ...input.variables }
    : { ...existing?.variables, ...input.variables };
  const stage: Stage = existing
    ? { ...existing, deploymentId, variables, lastUpdatedDate: now }
    : {
        stageName,
        restApiId: apiId,
        deploymentId,
        variables,
        createdDate: now,
        lastUpdatedDate: now,
      };
  if (input.stageDescription !== undefined) stage.description = input.stageDescription;
  await tx.put('stage', apiId, stageName, stage);
  tx.notify({ kind: 'stage', scope: apiId, id: stageName });
}

async function freshId(tx: StoreTx, apiId: string): Promise<string> {
  for (;;) {
    const id = awsId(6);
    if (!(await tx.get('deployment', apiId, id))) return id;
  }
}

/**
 * What API Gateway refuses to deploy (in its words), then everything the data plane's compiler
 * would refuse: what deploys here is exactly what a stage can serve.
 */
export function checkDeployable(
  snapshot: ApiSnapshot,
  deps: Pick<ModelDeps, 'settings' | 'functionExists'>,
  variables: Record<string, string>,
): void {
  let methods = 0;
  for (const resource of snapshot.resources) {
    for (const method of Object.values(resource.resourceMethods)) {
      if (!method) continue;
      methods++;
      if (!method.methodIntegration) throw new BadRequestError('No integration defined for method');
    }
  }
  if (methods === 0) throw new BadRequestError("The REST API doesn't contain any methods");
  try {
    compileStage(
      snapshot,
      { stageName: 'deployment-check', deploymentId: 'check', variables },
      compileDeps(deps.settings, checkingInvoker(deps.functionExists)),
    );
  } catch (error) {
    if (error instanceof DeploymentError) throw new BadRequestError(error.message);
    throw error;
  }
}

export function compileDeps(settings: Settings, invoker: Invoker) {
  return {
    invoker,
    dispatcher: getGlobalDispatcher(),
    settings,
    functionTimeout: () => undefined,
  };
}

/** An invoker that only answers which functions exist: compiling never invokes. */
function checkingInvoker(functionExists: (name: string) => boolean): Invoker {
  return {
    has: functionExists,
    invoke: () => Promise.reject(new Error('not invoked while checking a deployment')),
    close: () => Promise.resolve(),
  };
}

const createDeploymentInput = z.object({
  stageName: z.string().optional(),
  stageDescription: z.string().optional(),
  description: z.string().optional(),
  variables: stringMap.optional(),
});

export async function createDeploymentOp(deps: ApiGatewayDeps, apiId: string, body: Body) {
  const { stageName, stageDescription, description, variables } = parseBody(
    createDeploymentInput,
    body,
    'createDeployment',
  );
  const input: CreateDeploymentInput = {};
  if (stageName !== undefined && stageName !== '') input.stageName = stageName;
  if (stageDescription !== undefined) input.stageDescription = stageDescription;
  if (description !== undefined) input.description = description;
  if (variables !== undefined) input.variables = variables;
  // Unknown API first, as AWS answers it before anything about the body's content.
  await getApi(deps.store, apiId, deps.settings.accountId);
  return deploymentWire(await createDeployment(deps, apiId, input));
}

export async function getDeployments(deps: ApiGatewayDeps, apiId: string, query: URLSearchParams) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const page = paginate(await deps.store.list<Deployment>('deployment', apiId), query);
  return { ...page, item: page.item.map((d) => deploymentWire(d)) };
}

export async function getDeploymentOp(
  deps: ApiGatewayDeps,
  apiId: string,
  deploymentId: string,
  query: URLSearchParams,
) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const deployment = await getDeployment(deps.store, apiId, deploymentId);
  const embed = query.getAll('embed').some((e) => e.split(',').includes('apisummary'));
  return deploymentWire(deployment, embed);
}

export async function deleteDeployment(
  deps: ApiGatewayDeps,
  apiId: string,
  deploymentId: string,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    await getDeployment(tx, apiId, deploymentId);
    const stages = await tx.list<Stage>('stage', apiId);
    if (stages.some((s) => s.deploymentId === deploymentId))
      throw new BadRequestError(
        'Active stages pointing to this deployment must be moved or deleted',
      );
    await tx.delete('deployment', apiId, deploymentId);
  });
}
