// Models and request validators in an OpenAPI document, as API Gateway imports them:
//   - models: `components.schemas` (OpenAPI 3) or `definitions` (Swagger 2), one model each,
//     references between them rewritten to AWS's model URLs;
//   - validators: `x-amazon-apigateway-request-validators` (name → validateRequestBody,
//     validateRequestParameters), chosen by `x-amazon-apigateway-request-validator` at the root
//     (every method) or on an operation (that method);
//   - a method's requestModels: the `requestBody.content` schemas (OpenAPI 3) or the `in: body`
//     parameter's schema for each of `consumes` (Swagger 2), by `$ref` to a model, or inline (a
//     model of its own).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validator.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-validation-set-up.html
import { z } from 'zod';
import { modelUrl, parseDocumentRef, rewriteRefs } from '../gateway/validation/model-ref.js';
import type { Method, Model, RequestValidator } from '../model/types.js';
import { stableId } from '../support/stable-id.js';
import { isObject, type ImportContext, type JsonObject, type JsonPath } from './context.js';

export const REQUEST_VALIDATORS = 'x-amazon-apigateway-request-validators';
export const REQUEST_VALIDATOR = 'x-amazon-apigateway-request-validator';

const validatorSchema = z.object({
  validateRequestBody: z.boolean().optional(),
  validateRequestParameters: z.boolean().optional(),
});

/** What the importer collects across the document: models (including inline ones), validators. */
export class RequestValidationImport {
  readonly models: Model[] = [];
  readonly validators = new Map<string, RequestValidator>();
  readonly #ctx: ImportContext;
  readonly #apiId: string;
  readonly #swagger: boolean;
  readonly #modelNames = new Set<string>();
  readonly #defaultValidator: string | undefined;

  constructor(ctx: ImportContext, apiId: string, version: 2 | 3) {
    this.#ctx = ctx;
    this.#apiId = apiId;
    this.#swagger = version === 2;
    const root = ctx.root;
    const container = this.#swagger
      ? { value: root.definitions, path: ['definitions'] }
      : {
          value: isObject(root.components) ? root.components.schemas : undefined,
          path: ['components', 'schemas'],
        };
    if (container.value !== undefined && container.value !== null) {
      const schemas = ctx.object(container.value, container.path);
      for (const [name, schema] of Object.entries(schemas.value))
        this.#addModel(name, schema, [...schemas.path, name]);
    }
    const validators = root[REQUEST_VALIDATORS];
    if (validators !== undefined && validators !== null) {
      const found = ctx.object(validators, [REQUEST_VALIDATORS]);
      for (const [name, value] of Object.entries(found.value)) {
        const flags = ctx.parse(validatorSchema, value, [REQUEST_VALIDATORS, name]);
        this.validators.set(name, {
          id: stableId(`requestvalidator:${apiId}:${name}`, 6),
          name,
          validateRequestBody: flags.validateRequestBody ?? false,
          validateRequestParameters: flags.validateRequestParameters ?? false,
        });
      }
    }
    this.#defaultValidator = this.#validatorId(root[REQUEST_VALIDATOR], [REQUEST_VALIDATOR]);
  }

  /** requestValidatorId and requestModels of one operation. */
  method(operation: JsonObject, at: JsonPath, label: string): Partial<Method> {
    const out: Partial<Method> = {};
    const validatorId =
      operation[REQUEST_VALIDATOR] === undefined
        ? this.#defaultValidator
        : this.#validatorId(operation[REQUEST_VALIDATOR], [...at, REQUEST_VALIDATOR]);
    if (validatorId !== undefined) out.requestValidatorId = validatorId;
    const models = this.#swagger
      ? this.#swaggerBodyModels(operation, at, label)
      : this.#requestBodyModels(operation, at, label);
    if (Object.keys(models).length > 0) out.requestModels = models;
    return out;
  }

  #validatorId(name: unknown, at: JsonPath): string | undefined {
    if (name === undefined || name === null) return undefined;
    if (typeof name !== 'string') return this.#ctx.fail(at, 'expected the name of a validator');
    const validator = this.validators.get(name);
    if (!validator)
      this.#ctx.fail(at, `request validator "${name}" is not defined in ${REQUEST_VALIDATORS}`);
    return validator.id;
  }

  #requestBodyModels(operation: JsonObject, at: JsonPath, label: string): Record<string, string> {
    if (operation.requestBody === undefined) return {};
    const body = this.#ctx.object(operation.requestBody, [...at, 'requestBody']);
    const content = body.value.content;
    if (content === undefined) return {};
    const found = this.#ctx.object(content, [...body.path, 'content']);
    const out: Record<string, string> = {};
    for (const [contentType, media] of Object.entries(found.value)) {
      const entry = this.#ctx.object(media, [...found.path, contentType]);
      const schema = entry.value.schema;
      if (schema === undefined) continue;
      out[contentType] = this.#modelOf(schema, [...entry.path, 'schema'], label);
    }
    return out;
  }

  #swaggerBodyModels(operation: JsonObject, at: JsonPath, label: string): Record<string, string> {
    const parameters = Array.isArray(operation.parameters) ? operation.parameters : [];
    for (const [index, item] of parameters.entries()) {
      const param = this.#ctx.object(item, [...at, 'parameters', index]);
      if (param.value.in !== 'body' || param.value.schema === undefined) continue;
      const model = this.#modelOf(param.value.schema, [...param.path, 'schema'], label);
      const consumes = operation.consumes ?? this.#ctx.root.consumes;
      const types =
        Array.isArray(consumes) && consumes.length > 0
          ? consumes.filter((c): c is string => typeof c === 'string')
          : ['application/json'];
      return Object.fromEntries(types.map((type) => [type, model]));
    }
    return {};
  }

  /** A `$ref` to a model is that model; any other schema becomes a model of its own. */
  #modelOf(schema: unknown, at: JsonPath, label: string): string {
    if (isObject(schema) && typeof schema.$ref === 'string' && Object.keys(schema).length === 1) {
      const name = parseDocumentRef(schema.$ref);
      if (name === undefined || !this.#modelNames.has(name))
        this.#ctx.fail([...at, '$ref'], `"${schema.$ref}" is not a model of this document`);
      return name;
    }
    // An inline schema: a model named after the method, alphanumeric as model names are.
    let name = `${label.replace(/[^A-Za-z0-9]/g, '')}Model`;
    while (this.#modelNames.has(name)) name += stableId(`${name}:${at.join('/')}`, 4);
    this.#addModel(name, schema, at);
    return name;
  }

  #addModel(name: string, schema: unknown, at: JsonPath): void {
    if (!isObject(schema)) this.#ctx.fail(at, 'expected a schema (a mapping)');
    const rewritten = rewriteRefs(schema, (ref) => {
      const target = parseDocumentRef(ref);
      return target === undefined ? ref : modelUrl(this.#apiId, target);
    }) as JsonObject;
    const model: Model = {
      id: stableId(`model:${this.#apiId}:${name}`, 6),
      name,
      contentType: 'application/json',
      schema: JSON.stringify(rewritten),
    };
    if (typeof schema.description === 'string') model.description = schema.description;
    this.models.push(model);
    this.#modelNames.add(name);
  }
}
