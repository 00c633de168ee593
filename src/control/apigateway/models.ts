// CreateModel, GetModels, GetModel, UpdateModel, DeleteModel. A model is addressed by its name.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateModel.html
// The schema is checked here for being a JSON object; that it compiles as JSON Schema draft 4
// (including references to other models) is checked at deployment, where a bad one names itself.
import { z } from 'zod';
import { awsId } from '../../model/ids.js';
import type { Model } from '../../model/types.js';
import { BadRequestError, ConflictError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi, getModel, methodUsing } from './entities.js';
import { parseBody, type Body } from './fields.js';
import { paginate } from './pagination.js';
import {
  applyPatchOperations,
  readPatchOperations,
  stringField,
  type PatchRule,
} from './patch-operations.js';
import { modelTemplate } from './model-template.js';
import { modelWire } from './wire.js';

// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateModel.html#API_CreateModel_RequestSyntax
const createModelSchema = z.object({
  name: z.string(),
  contentType: z.string(),
  description: z.string().optional(),
  schema: z.string().optional(),
});

/** AWS: model names are alphanumeric. */
function checkName(name: string): void {
  if (!/^[a-zA-Z0-9]+$/.test(name))
    throw new BadRequestError(
      `Invalid model name specified: ${name}. Model name must be alphanumeric`,
    );
}

/** The schema must be a JSON object (AWS's "Invalid model schema specified"). */
function checkSchema(schema: string | undefined): void {
  if (schema === undefined) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(schema);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new BadRequestError(
      'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]',
    );
}

export async function createModel(deps: ApiGatewayDeps, apiId: string, body: Body) {
  const input = parseBody(createModelSchema, body, 'createModel');
  checkName(input.name);
  checkSchema(input.schema);
  const model: Model = { id: awsId(6), ...input };
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const existing = await tx.list<Model>('model', apiId);
    if (existing.some((m) => m.name === model.name))
      throw new ConflictError('Model name already exists for this REST API');
    await tx.insert('model', apiId, model.id, model);
  });
  return modelWire(model);
}

export async function getModels(deps: ApiGatewayDeps, apiId: string, query: URLSearchParams) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const page = paginate(await deps.store.list<Model>('model', apiId), query);
  return { ...page, item: page.item.map(modelWire) };
}

export async function getModelOp(deps: ApiGatewayDeps, apiId: string, modelName: string) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  return modelWire(await getModel(deps.store, apiId, modelName));
}

/** GetModelTemplate: `{ value }`, the sample template generated from the model's schema. */
export async function getModelTemplate(deps: ApiGatewayDeps, apiId: string, modelName: string) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const models = await deps.store.list<Model>('model', apiId);
  const model = await getModel(deps.store, apiId, modelName);
  return { value: modelTemplate(model, models) };
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateModel-Patch
const MODEL_PATCH: PatchRule<Model>[] = [
  // In the order AWS's error lists them ("Must be one of: [/description, /schema]").
  stringField('/description', 'description'),
  stringField('/schema', 'schema', { check: checkSchema }),
];

export async function updateModel(
  deps: ApiGatewayDeps,
  apiId: string,
  modelName: string,
  body: Body,
) {
  const operations = readPatchOperations(body, 'updateModelInput');
  const model = await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const model = await getModel(tx, apiId, modelName);
    applyPatchOperations(model, operations, MODEL_PATCH);
    await tx.put('model', apiId, model.id, model);
    return model;
  });
  return modelWire(model);
}

/** A model a method's requestModels names cannot be deleted (the deployment would fail). */
export async function deleteModel(
  deps: ApiGatewayDeps,
  apiId: string,
  modelName: string,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const model = await getModel(tx, apiId, modelName);
    const user = await methodUsing(tx, apiId, (m) =>
      Object.values(m.requestModels ?? {}).includes(model.name),
    );
    if (user)
      throw new BadRequestError(
        `Cannot delete model '${model.name}', is referenced in method request: ${user.resource.path}/${user.method.httpMethod}`,
      );
    await tx.delete('model', apiId, model.id);
  });
}
