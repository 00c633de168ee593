import { SallyportError, type ModelErrorCode } from '../errors.js';

export type OpenApiImportErrorCode = Extract<ModelErrorCode, `ERR_OPENAPI_${string}`>;

/** One message naming the file and the JSON path, e.g. `openapi.yaml: paths./sayhello.get: …`. */
export class OpenApiImportError extends SallyportError {
  readonly code: OpenApiImportErrorCode;
  /** The file name (or the `source` given to importOpenApiDocument). */
  readonly source: string;
  /** Dotted JSON path, e.g. `paths./pets.get.x-amazon-apigateway-integration.uri`; '' for the whole document. */
  readonly jsonPath: string;

  constructor(code: OpenApiImportErrorCode, source: string, jsonPath: string, message: string) {
    super(jsonPath === '' ? `${source}: ${message}` : `${source}: ${jsonPath}: ${message}`);
    this.code = code;
    this.source = source;
    this.jsonPath = jsonPath;
  }
}
