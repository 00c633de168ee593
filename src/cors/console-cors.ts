// "Enable CORS" as the API Gateway console does it, as data: the OPTIONS method it adds to a
// resource (authorization NONE, a MOCK integration answering 200, a 200 method response declaring
// the three Access-Control-Allow-* headers, an integration response mapping them to static
// values) and the Access-Control-Allow-Origin mapping it adds to the resource's other methods.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors-console.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/enable-cors-for-resource-using-swagger-importer-tool.html

/** The console's default Access-Control-Allow-Headers list. */
export const CONSOLE_ALLOW_HEADERS =
  'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token';
/** The console's default Access-Control-Allow-Origin. */
export const CONSOLE_ALLOW_ORIGIN = '*';

/** "If you enable CORS support for an ANY method, CORS is enabled for all methods." */
const ANY_EXPANDS_TO = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

export const ALLOW_HEADERS = 'method.response.header.Access-Control-Allow-Headers';
export const ALLOW_METHODS = 'method.response.header.Access-Control-Allow-Methods';
export const ALLOW_ORIGIN = 'method.response.header.Access-Control-Allow-Origin';

/** The MOCK integration's request template: the mock answers with this status. */
export const MOCK_REQUEST_TEMPLATES = { 'application/json': '{"statusCode": 200}' };

export interface CorsValues {
  /** Origin, as the header carries it (`*`, `https://example.com`). */
  origin: string;
  /** Methods the browser may use, OPTIONS included. */
  methods: string[];
  /** Header names a request may carry. */
  headers: string;
}

/** A static mapping value: API Gateway's single-quoted literal. */
export function quoted(value: string): string {
  return `'${value}'`;
}

/**
 * The Access-Control-Allow-Methods list for a resource's methods: those methods plus OPTIONS,
 * ANY standing for every method, sorted as the console lists them.
 */
export function allowedMethods(methods: Iterable<string>): string[] {
  const all = new Set<string>(['OPTIONS']);
  for (const method of methods)
    for (const m of method === 'ANY' ? ANY_EXPANDS_TO : [method]) all.add(m);
  return [...all].sort();
}

/** The OPTIONS method's 200 method response: the three headers declared, an Empty model. */
export function optionsMethodResponse() {
  return {
    responseParameters: { [ALLOW_HEADERS]: false, [ALLOW_METHODS]: false, [ALLOW_ORIGIN]: false },
    responseModels: { 'application/json': 'Empty' },
  };
}

/** The OPTIONS method's 200 integration response: the three headers' static values. */
export function optionsIntegrationResponse(values: CorsValues) {
  return {
    responseParameters: {
      [ALLOW_HEADERS]: quoted(values.headers),
      [ALLOW_METHODS]: quoted(values.methods.join(',')),
      [ALLOW_ORIGIN]: quoted(values.origin),
    },
  };
}

/** Proxy integrations pass the backend's answer through: no mapping applies to them. */
export function isProxy(integrationType: string | undefined): boolean {
  return integrationType === 'AWS_PROXY' || integrationType === 'HTTP_PROXY';
}

/** A preflight answer's static values, each an API Gateway literal (`'*'`), as templates give them. */
export interface PreflightLiterals {
  origin: string;
  methods?: string;
  headers?: string;
  maxAge?: string;
  credentials?: boolean;
}

/**
 * An OpenAPI `options` operation answering the preflight with a MOCK integration, as SAM writes
 * it for an Api's `Cors` and the Serverless Framework for `cors: true`: a header is declared and
 * mapped only when it has a value.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-corsconfiguration.html
 */
export function preflightOperation(
  literals: PreflightLiterals,
  oas3: boolean,
): Record<string, unknown> {
  const values: [string, string | undefined][] = [
    ['Access-Control-Allow-Origin', literals.origin],
    ['Access-Control-Allow-Headers', literals.headers],
    ['Access-Control-Allow-Methods', literals.methods],
    ['Access-Control-Max-Age', literals.maxAge],
    ['Access-Control-Allow-Credentials', literals.credentials ? "'true'" : undefined],
  ];
  const present = values.filter((v): v is [string, string] => v[1] !== undefined);
  const type = oas3 ? { schema: { type: 'string' } } : { type: 'string' };
  return {
    summary: 'CORS support',
    responses: {
      '200': {
        description: 'Default response for CORS method',
        headers: Object.fromEntries(present.map(([name]) => [name, type])),
      },
    },
    'x-amazon-apigateway-integration': {
      type: 'mock',
      requestTemplates: MOCK_REQUEST_TEMPLATES,
      responses: {
        default: {
          statusCode: '200',
          responseParameters: Object.fromEntries(
            present.map(([name, value]) => [`method.response.header.${name}`, value]),
          ),
        },
      },
    },
  };
}

const OPENAPI_METHOD_KEYS: Record<string, string> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  patch: 'PATCH',
  head: 'HEAD',
  options: 'OPTIONS',
  'x-amazon-apigateway-any-method': 'ANY',
};

/** The methods an OpenAPI path item defines, in API Gateway's names. */
export function pathItemMethods(item: Record<string, unknown>): string[] {
  return Object.keys(item)
    .map((k) => OPENAPI_METHOD_KEYS[k.toLowerCase()])
    .filter((m): m is string => m !== undefined);
}
