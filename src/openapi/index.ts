export { importOpenApi, importOpenApiDocument, type ImportOptions } from './import.js';
export { OpenApiImportError, type OpenApiImportErrorCode } from './errors.js';
export { GATEWAY_RESPONSE_TYPES } from './gateway-responses.js';
