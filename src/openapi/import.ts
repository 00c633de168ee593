// OpenAPI 3.0 / Swagger 2.0 with API Gateway's x-amazon-apigateway-* extensions → ApiSnapshot,
// matching what API Gateway's ImportRestApi builds.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { parseYaml } from '../support/yaml.js';
import type { ApiSnapshot, Authorizer, RestApi, Settings } from '../model/types.js';
import { validationParts } from '../model/snapshot-parts.js';
import { ImportContext, isObject, type JsonObject, type JsonPath } from './context.js';
import { OpenApiImportError } from './errors.js';
import { GATEWAY_RESPONSES, readGatewayResponses } from './gateway-responses.js';
import { OPERATION_KEYS, readMethod } from './method.js';
import { RequestValidationImport } from './request-validation.js';
import { createResourceTree, ensureResource } from './resources.js';
import { readSecuritySchemes, type SchemeEffect } from './security.js';

export interface ImportOptions {
  apiId: string;
  /** The API's name; `info.title` when not given. */
  apiName?: string;
  settings: Settings;
  /** Whether the project defines this Lambda function (integrations and authorizers must name one). */
  functionExists: (name: string) => boolean;
  /** Clock for `createdDate` (epoch milliseconds). */
  now?: () => number;
}

export async function importOpenApi(file: string, options: ImportOptions): Promise<ApiSnapshot> {
  const { document, source } = await readOpenApiFile(file);
  return importOpenApiDocument(document, { ...options, source });
}

/** Reads and parses an OpenAPI file (YAML or JSON); errors name the file, line and column. */
export async function readOpenApiFile(
  file: string,
): Promise<{ document: unknown; source: string }> {
  const source = basename(file);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new OpenApiImportError(
      'ERR_OPENAPI_NOT_FOUND',
      source,
      '',
      `cannot read ${file}: ${error.code ?? error.message}`,
    );
  });
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    throw new OpenApiImportError(
      'ERR_OPENAPI_SYNTAX',
      `${source}:${parsed.line}:${parsed.column}`,
      '',
      parsed.reason,
    );
  }
  return { document: parsed.value, source };
}

/** Imports an already-parsed document; `source` names it in error messages. */
export function importOpenApiDocument(
  doc: unknown,
  options: ImportOptions & { source: string },
): ApiSnapshot {
  if (!isObject(doc)) {
    throw new OpenApiImportError(
      'ERR_OPENAPI_INVALID',
      options.source,
      '',
      'expected an OpenAPI document (a mapping)',
    );
  }
  const ctx = new ImportContext(
    options.source,
    substituteAwsVariables(doc, options.settings) as JsonObject,
  );
  const version = openApiVersion(ctx);
  const schemes = readSecuritySchemes(ctx, version, options);
  rejectRootSecurity(ctx);
  const validation = new RequestValidationImport(ctx, options.apiId, version);
  const tree = createResourceTree(options.apiId);
  const paths = ctx.root.paths === undefined ? undefined : ctx.object(ctx.root.paths, ['paths']);
  for (const [path, item] of Object.entries(paths?.value ?? {})) {
    if (path.startsWith('x-')) continue;
    const at = [...(paths?.path ?? ['paths']), path];
    readPathItem(ctx, tree, path, item, at, { schemes, validation }, options);
  }
  return {
    api: restApi(ctx, options),
    resources: [...tree.byPath.values()].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    ),
    authorizers: authorizersOf(schemes),
    gatewayResponses: readGatewayResponses(ctx, ctx.root[GATEWAY_RESPONSES]),
    ...validationParts(validation.models, [...validation.validators.values()]),
  };
}

function openApiVersion(ctx: ImportContext): 2 | 3 {
  const { swagger, openapi } = ctx.root;
  // YAML reads an unquoted `swagger: 2.0` as the number 2.
  if (swagger === '2.0' || swagger === 2) return 2;
  if (typeof openapi === 'string' && /^3\.0\.\d+$/.test(openapi)) return 3;
  if (openapi !== undefined) {
    ctx.fail(
      ['openapi'],
      `version ${JSON.stringify(openapi)} is not supported (API Gateway imports OpenAPI 2.0 and 3.0)`,
      'ERR_OPENAPI_UNSUPPORTED',
    );
  }
  if (swagger !== undefined)
    ctx.fail(['swagger'], `expected "2.0" (got ${JSON.stringify(swagger)})`);
  return ctx.fail([], 'not an OpenAPI document: expected `openapi: 3.0.x` or `swagger: "2.0"`');
}

/**
 * API Gateway does not apply a document-level `security` to any method ("API Gateway doesn't
 * support the API level security field. You have to apply it per method.",
 * https://github.com/amazon-archives/aws-apigateway-importer/issues/204): AWS would serve those
 * methods open. A gateway must not do that silently, so it is an error here.
 */
function rejectRootSecurity(ctx: ImportContext): void {
  const security = ctx.root.security;
  if (
    security === undefined ||
    security === null ||
    (Array.isArray(security) && security.length === 0)
  )
    return;
  ctx.fail(
    ['security'],
    'API Gateway ignores document-level security and would leave every method open; declare security on each operation',
    'ERR_OPENAPI_UNSUPPORTED',
  );
}

function readPathItem(
  ctx: ImportContext,
  tree: ReturnType<typeof createResourceTree>,
  path: string,
  item: unknown,
  at: JsonPath,
  shared: { schemes: Map<string, SchemeEffect>; validation: RequestValidationImport },
  options: ImportOptions,
): void {
  const resource = ensureResource(ctx, tree, options.apiId, path, at);
  const pathItem = ctx.object(item, at);
  for (const [key, value] of Object.entries(pathItem.value)) {
    const httpMethod = OPERATION_KEYS[key];
    if (httpMethod === undefined) {
      if (key === 'trace')
        ctx.fail(
          [...pathItem.path, key],
          'API Gateway has no TRACE method',
          'ERR_OPENAPI_UNSUPPORTED',
        );
      continue;
    }
    const operation = ctx.object(value, [...pathItem.path, key]);
    resource.resourceMethods[httpMethod] = readMethod(
      ctx,
      httpMethod,
      operation.value,
      operation.path,
      pathItem.value.parameters,
      pathItem.path,
      { ...shared, functionExists: options.functionExists, path },
    );
  }
}

const apiKeySourceSchema = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(['HEADER', 'AUTHORIZER']));
const binaryMediaTypesSchema = z.array(
  z
    .string()
    .regex(/^[^\s/]+\/[^\s/]+$/, { error: 'expected a media type such as image/png or */*' }),
);
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-openapi-minimum-compression-size.html
const minimumCompressionSizeSchema = z
  .number()
  .int()
  .min(0, { error: 'must be between 0 and 10485760' })
  .max(10485760, { error: 'must be between 0 and 10485760' });

function restApi(ctx: ImportContext, options: ImportOptions): RestApi {
  const info = ctx.root.info === undefined ? {} : ctx.object(ctx.root.info, ['info']).value;
  const name = options.apiName ?? info.title;
  if (typeof name !== 'string' || name === '')
    ctx.fail(['info', 'title'], 'required (the API name)');
  const api: RestApi = {
    id: options.apiId,
    name,
    createdDate: (options.now ?? Date.now)(),
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-binary-media-types.html
    binaryMediaTypes:
      optional(ctx, binaryMediaTypesSchema, 'x-amazon-apigateway-binary-media-types') ?? [],
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-api-key-source.html
    apiKeySource:
      optional(ctx, apiKeySourceSchema, 'x-amazon-apigateway-api-key-source') ?? 'HEADER',
  };
  if (typeof info.description === 'string') api.description = info.description;
  const minimumCompressionSize = optional(
    ctx,
    minimumCompressionSizeSchema,
    'x-amazon-apigateway-minimum-compression-size',
  );
  if (minimumCompressionSize !== undefined) api.minimumCompressionSize = minimumCompressionSize;
  return api;
}

function optional<S extends z.ZodType>(
  ctx: ImportContext,
  schema: S,
  key: string,
): z.output<S> | undefined {
  const value = ctx.root[key];
  return value === undefined || value === null ? undefined : ctx.parse(schema, value, [key]);
}

function authorizersOf(schemes: Map<string, SchemeEffect>): Authorizer[] {
  const authorizers: Authorizer[] = [];
  for (const effect of schemes.values())
    if (effect.kind === 'authorizer') authorizers.push(effect.authorizer);
  return authorizers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * `${AWS::Region}`, `${AWS::AccountId}` and `${AWS::Partition}` are resolved at import, as
 * API Gateway does. https://docs.aws.amazon.com/apigateway/latest/developerguide/import-api-aws-variables.html
 */
function substituteAwsVariables(value: unknown, settings: Settings): unknown {
  if (typeof value === 'string') {
    return value.includes('${AWS::')
      ? value
          .replaceAll('${AWS::Region}', settings.region)
          .replaceAll('${AWS::AccountId}', settings.accountId)
          .replaceAll('${AWS::Partition}', 'aws')
      : value;
  }
  if (Array.isArray(value)) return value.map((v) => substituteAwsVariables(v, settings));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteAwsVariables(v, settings);
    return out;
  }
  return value;
}
