// CreateStage, GetStages, GetStage, UpdateStage, DeleteStage, FlushStageAuthorizersCache.
// Every change to a stage is announced (`{kind: 'stage', scope: apiId, id: stageName}`) so
// every serving node recompiles (or drops) it.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html
import { z } from 'zod';
import { canonicalJson } from '../../model/canonical-json.js';
import type { AccessLogSettings, Stage } from '../../model/types.js';
import { accessLogFormatProblem } from '../../model/access-log-rules.js';
import { BadRequestError, ConflictError } from '../errors.js';
import type { ApiGatewayDeps, ModelDeps } from './deps.js';
import { getApi, getDeployment, getStage } from './entities.js';
import { parseBody, stringMap, type Body } from './fields.js';
import {
  applyPatchOperations,
  mapEntry,
  readPatchOperations,
  stringField,
  type PatchOperation,
  type PatchRule,
} from './patch-operations.js';
import { checkLength, checkStageVariable, checkStageVariableCount } from './limits.js';
import { applyMethodSettings } from './method-settings.js';
import { stageWire } from './wire.js';

// https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const VARIABLE_NAME = /^[A-Za-z0-9_]+$/;
const VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]*$/;

export function checkStageName(stageName: string): void {
  if (!STAGE_NAME.test(stageName)) throw new BadRequestError('Stage name only allows a-zA-Z0-9_-');
}

export function checkVariables(variables: Record<string, string>): void {
  checkStageVariableCount(variables);
  for (const [name, value] of Object.entries(variables)) checkVariable(name, value);
}

function checkVariable(name: string, value: string): void {
  checkStageVariable(name, value);
  if (!VARIABLE_NAME.test(name))
    throw new BadRequestError(
      `Stage variable name ${name} does not match the regular expression: [a-zA-Z0-9_]+`,
    );
  if (!VARIABLE_VALUE.test(value))
    throw new BadRequestError(
      `Stage variable value ${value} does not match the regular expression: [A-Za-z0-9-._~:/?#&=,]+`,
    );
}

const createStageInput = z.object({
  stageName: z.string().min(1),
  deploymentId: z.string().min(1),
  description: z.string().optional(),
  variables: stringMap.default({}),
});

export async function createStage(deps: ApiGatewayDeps, apiId: string, body: Body) {
  const { stageName, deploymentId, description, variables } = parseBody(
    createStageInput,
    body,
    'createStage',
  );
  checkStageName(stageName);
  checkVariables(variables);
  const now = deps.now();
  const stage: Stage = {
    stageName,
    restApiId: apiId,
    deploymentId,
    variables,
    createdDate: now,
    lastUpdatedDate: now,
  };
  if (description !== undefined) stage.description = description;
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    await getDeployment(tx, apiId, deploymentId);
    if (await tx.get('stage', apiId, stageName)) throw new ConflictError('Stage already exists');
    await tx.insert('stage', apiId, stageName, stage);
    tx.notify({ kind: 'stage', scope: apiId, id: stageName });
  });
  return stageWire(stage);
}

/** Not paginated in AWS: `{item: [...]}`, optionally only the stages of one deployment. */
export async function getStages(deps: ApiGatewayDeps, apiId: string, query: URLSearchParams) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const deploymentId = query.get('deploymentId');
  const stages = await deps.store.list<Stage>('stage', apiId);
  return {
    item: stages.filter((s) => !deploymentId || s.deploymentId === deploymentId).map(stageWire),
  };
}

export async function getStageOp(deps: ApiGatewayDeps, apiId: string, stageName: string) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  return stageWire(await getStage(deps.store, apiId, stageName));
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateStage-Patch
// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateStage-Patch
const STAGE_PATCH: PatchRule<Stage>[] = [
  stringField('/description', 'description'),
  stringField('/deploymentId', 'deploymentId', { required: true }),
  accessLogField('format'),
  accessLogField('destinationArn'),
  {
    // Turning access logging off: `remove /accessLogSettings`.
    path: '/accessLogSettings',
    ops: ['remove'],
    set: (stage) => {
      delete stage.accessLogSettings;
    },
  },
  mapEntry('variables', (value, name) => {
    checkVariable(name, value);
    return value;
  }),
];

function accessLogField(key: keyof AccessLogSettings): PatchRule<Stage> {
  return {
    path: `/accessLogSettings/${key}`,
    ops: ['replace'],
    set: (stage, value) => {
      const settings: AccessLogSettings = { ...stage.accessLogSettings };
      if (value === undefined || value === '') delete settings[key];
      else {
        checkLength(key, value);
        const problem = key === 'format' ? accessLogFormatProblem(value) : undefined;
        if (problem) throw new BadRequestError(problem);
        settings[key] = value;
      }
      if (Object.keys(settings).length === 0) delete stage.accessLogSettings;
      else stage.accessLogSettings = settings;
    },
    get: (stage) => stage.accessLogSettings?.[key],
  };
}

/**
 * A project file's `accessLogSettings`, applied through UpdateStage's own rules; nothing is
 * written when the stage already has them (a restart with an unchanged project writes nothing).
 */
export async function applyAccessLogSettings(
  deps: ModelDeps,
  apiId: string,
  stageName: string,
  wanted: AccessLogSettings | undefined,
): Promise<void> {
  const operations: PatchOperation[] = [{ op: 'remove', path: '/accessLogSettings' }];
  for (const [key, value] of Object.entries(wanted ?? {}))
    if (typeof value === 'string')
      operations.push({ op: 'replace', path: `/accessLogSettings/${key}`, value });
  await deps.store.transaction(async (tx) => {
    const stage = await getStage(tx, apiId, stageName);
    if (canonicalJson(stage.accessLogSettings ?? null) === canonicalJson(wanted ?? null)) return;
    applyPatchOperations(stage, operations, STAGE_PATCH);
    stage.lastUpdatedDate = (deps.now ?? Date.now)();
    await tx.put('stage', apiId, stageName, stage);
    tx.notify({ kind: 'stage', scope: apiId, id: stageName });
  });
}

export async function updateStage(
  deps: ApiGatewayDeps,
  apiId: string,
  stageName: string,
  body: Body,
) {
  const operations = readPatchOperations(body, 'updateStageInput');
  const stage = await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const stage = await getStage(tx, apiId, stageName);
    applyPatchOperations(stage, applyMethodSettings(stage, operations), STAGE_PATCH);
    stage.variables ??= {};
    checkStageVariableCount(stage.variables);
    await getDeployment(tx, apiId, stage.deploymentId);
    stage.lastUpdatedDate = deps.now();
    await tx.put('stage', apiId, stageName, stage);
    tx.notify({ kind: 'stage', scope: apiId, id: stageName });
    return stage;
  });
  return stageWire(stage);
}

export async function deleteStage(
  deps: ApiGatewayDeps,
  apiId: string,
  stageName: string,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    await getStage(tx, apiId, stageName);
    await tx.delete('stage', apiId, stageName);
    tx.notify({ kind: 'stage', scope: apiId, id: stageName });
  });
}

/**
 * Writes no entity but announces an `authorizercache` change, kept in the change feed like any
 * other: every node sharing the store flushes its own cache of the stage (node/stage-loader.ts),
 * even one that was disconnected when it happened. The node that served the call flushes directly,
 * its own cache and a shared one (Redis), so the flush has taken effect when the call answers.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_FlushStageAuthorizersCache.html
 */
export async function flushStageAuthorizersCache(
  deps: ApiGatewayDeps,
  apiId: string,
  stageName: string,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    await getStage(tx, apiId, stageName);
    tx.notify({ kind: 'authorizercache', scope: apiId, id: stageName });
  });
  await deps.flushAuthorizerCache?.(apiId, stageName);
}
