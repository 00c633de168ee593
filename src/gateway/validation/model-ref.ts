// How models name each other. API Gateway stores a reference to another model of the API as
// `https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{model_name}`; an OpenAPI
// document says `#/definitions/{name}` (Swagger 2) or `#/components/schemas/{name}` (OpenAPI 3).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
const MODEL_URL = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/;
const DOCUMENT_REF = /^#\/(?:definitions|components\/schemas)\/([^/]+)$/;

export function modelUrl(apiId: string, name: string): string {
  return `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;
}

/** The model a `$ref` names in AWS's URL form, with any fragment inside it; else undefined. */
export function parseModelUrl(ref: string): { name: string; fragment: string } | undefined {
  const m = MODEL_URL.exec(ref);
  return m ? { name: decodeURIComponent(m[1]!), fragment: m[2] ?? '' } : undefined;
}

/** The model a document-local `$ref` names (`#/definitions/X`, `#/components/schemas/X`). */
export function parseDocumentRef(ref: string): string | undefined {
  const m = DOCUMENT_REF.exec(ref);
  return m ? decodeURIComponent(m[1]!.replace(/~1/g, '/').replace(/~0/g, '~')) : undefined;
}

/** A copy of a schema with every `$ref` string passed through `rewrite` (other values kept). */
export function rewriteRefs(value: unknown, rewrite: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, rewrite));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const next = key === '$ref' && typeof v === 'string' ? rewrite(v) : rewriteRefs(v, rewrite);
    // defineProperty: a property named __proto__ stays a property, never the prototype.
    Object.defineProperty(out, key, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
