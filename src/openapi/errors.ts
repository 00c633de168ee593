export type OpenApiImportErrorCode =
  /** The file cannot be read. */
  | 'ERR_OPENAPI_NOT_FOUND'
  /** YAML/JSON syntax. */
  | 'ERR_OPENAPI_SYNTAX'
  /** The document breaks OpenAPI's or API Gateway's rules. */
  | 'ERR_OPENAPI_INVALID'
  /** Valid for API Gateway, not implemented by Sallyport (yet). */
  | 'ERR_OPENAPI_UNSUPPORTED'
  /** An integration or authorizer names a Lambda function the project does not define. */
  | 'ERR_OPENAPI_UNKNOWN_FUNCTION';

/** One message naming the file and the JSON path, e.g. `openapi.yaml: paths./sayhello.get: …`. */
export class OpenApiImportError extends Error {
  readonly code: OpenApiImportErrorCode;
  /** The file name (or the `source` given to importOpenApiDocument). */
  readonly source: string;
  /** Dotted JSON path, e.g. `paths./pets.get.x-amazon-apigateway-integration.uri`; '' for the whole document. */
  readonly jsonPath: string;

  constructor(code: OpenApiImportErrorCode, source: string, jsonPath: string, message: string) {
    super(jsonPath === '' ? `${source}: ${message}` : `${source}: ${jsonPath}: ${message}`);
    this.name = 'OpenApiImportError';
    this.code = code;
    this.source = source;
    this.jsonPath = jsonPath;
  }
}
