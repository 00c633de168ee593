// A deployment's models, compiled once with ajv as JSON Schema draft 4 (what API Gateway
// requires of a model: https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html).
// A model whose schema is not JSON or does not compile is a deploy-time error naming it.
import AjvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv-draft-04';
import { linearRegExpEngine } from '../../model/linear-regex.js';
import type { Model } from '../../model/types.js';
import { DeploymentError } from '../errors.js';
import { modelUrl, parseModelUrl, rewriteRefs } from './model-ref.js';
import { validationErrorString } from './validation-error-string.js';

/** Checks one parsed JSON value; undefined when it is valid, else validationErrorString. */
export type ModelCheck = (value: unknown) => string | undefined;

/** Every model of the API, by name; `check` is compiled before the stage serves. */
export class CompiledModels {
  readonly #checks = new Map<string, ModelCheck>();

  constructor(apiId: string, models: readonly Model[]) {
    if (models.length === 0) return;
    // strict: false — API Gateway accepts keywords draft 4 does not define (e.g. `example`).
    // validateFormats: false — formats are annotations here (see docs/DESIGN-notes.md).
    // The package is CommonJS: its class is `.default` of what Node's ESM loader hands over.
    // code.regExp: patterns run on RE2 (linear time), never on backtracking RegExp.
    const ajv = new AjvDraft04.default({
      allErrors: true,
      verbose: true,
      strict: false,
      validateFormats: false,
      code: { regExp: linearRegExpEngine },
    });
    const schemas: [Model, object][] = [];
    for (const model of models) {
      const schema = parseSchema(apiId, model);
      try {
        ajv.addSchema(schema, modelUrl(apiId, model.name));
      } catch (error) {
        throw modelError(model, error);
      }
      schemas.push([model, schema]);
    }
    for (const [model] of schemas) {
      let validate: ValidateFunction;
      try {
        validate = ajv.getSchema(modelUrl(apiId, model.name))!;
      } catch (error) {
        throw modelError(model, error);
      }
      this.#checks.set(model.name, (value) =>
        validate(value) ? undefined : validationErrorString(validate.errors ?? []),
      );
    }
  }

  get(name: string): ModelCheck | undefined {
    return this.#checks.get(name);
  }
}

function modelError(model: Model, error: unknown): DeploymentError {
  return new DeploymentError(`model ${model.name}: invalid schema: ${(error as Error).message}`);
}

/**
 * The model's schema text as an object: references to other models of any API id point at this
 * deployment's models, and a root `$schema` is dropped (every model is draft 4 here; a draft-07
 * URI would otherwise be an unknown meta-schema).
 */
function parseSchema(apiId: string, model: Model): object {
  let parsed: unknown;
  try {
    parsed = model.schema === undefined || model.schema === '' ? {} : JSON.parse(model.schema);
  } catch (error) {
    throw new DeploymentError(
      `model ${model.name}: the schema is not JSON: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new DeploymentError(`model ${model.name}: the schema must be a JSON object`);
  const schema = rewriteRefs(parsed, (ref) => {
    const target = parseModelUrl(ref);
    return target ? modelUrl(apiId, target.name) + target.fragment : ref;
  }) as Record<string, unknown>;
  delete schema.$schema;
  delete schema.id;
  return schema;
}
