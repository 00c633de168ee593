// Every import error names the file and the JSON path, in one message.
import { describe, it } from 'node:test';
import { assertImportError, lambdaProxy, lambdaUri, oas3 } from './helpers.js';

const integration = (fields: Record<string, unknown>) => ({
  'x-amazon-apigateway-integration': {
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri: lambdaUri('hello'),
    ...fields,
  },
});
const get = (path: string, operation: Record<string, unknown>) =>
  oas3({ [path]: { get: operation } });
const scheme = (authorizer: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  oas3(
    { '/x': { get: { security: [{ auth: [] }], ...lambdaProxy() } } },
    {
      components: {
        securitySchemes: {
          auth: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authtype': 'custom',
            'x-amazon-apigateway-authorizer': {
              type: 'token',
              authorizerUri: lambdaUri('api-authorizer'),
              ...authorizer,
            },
            ...extra,
          },
        },
      },
    },
  );
const AUTH_AT = 'components.securitySchemes.auth.x-amazon-apigateway-authorizer';

describe('import errors', () => {
  const cases: [string, unknown, string, string?][] = [
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
    [
      'an aws (non-proxy) integration of another AWS service than Lambda',
      get('/pets', integration({ type: 'aws', uri: 'arn:aws:apigateway:us-east-1:s3:path/b/k' })),
      'openapi.yaml: paths./pets.get.x-amazon-apigateway-integration.uri: expected a Lambda invocation URI, arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations (got "arn:aws:apigateway:us-east-1:s3:path/b/k")',
    ],
    [
      'an http (non-proxy) integration without httpMethod',
      get('/pets', integration({ type: 'HTTP', uri: 'http://example.com', httpMethod: undefined })),
      'openapi.yaml: paths./pets.get.x-amazon-apigateway-integration.httpMethod: required for http',
    ],
    [
      'an integration type API Gateway does not know',
      get('/pets', integration({ type: 'lambda' })),
      'openapi.yaml: paths./pets.get.x-amazon-apigateway-integration.type: expected one of aws, aws_proxy, http, http_proxy, mock (got "lambda")',
    ],
    [
      'a method without an integration ("No integration defined for method")',
      get('/pets', { responses: {} }),
      'openapi.yaml: paths./pets.get: No integration defined for method (add x-amazon-apigateway-integration)',
    ],
    [
      'a Lambda proxy integration naming a function the project does not define',
      get('/pets', integration({ uri: lambdaUri('nope') })),
      'openapi.yaml: paths./pets.get.x-amazon-apigateway-integration.uri: Lambda function "nope" is not defined',
      'ERR_OPENAPI_UNKNOWN_FUNCTION',
    ],
    [
      'a Lambda proxy integration whose uri is not a Lambda invocation URI',
      get('/pets', integration({ uri: 'arn:aws:lambda:us-east-1:123456789012:function:hello' })),
      'openapi.yaml: paths./pets.get.x-amazon-apigateway-integration.uri: expected a Lambda invocation URI, arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations (got "arn:aws:lambda:us-east-1:123456789012:function:hello")',
    ],
    [
      'a Lambda integration called with GET ("For Lambda function invocations, the value must be POST")',
      get('/pets', integration({ httpMethod: 'GET' })),
      'openapi.yaml: paths./pets.get.x-amazon-apigateway-integration.httpMethod: must be POST for a Lambda integration (got "GET")',
    ],
    [
      'timeoutInMillis outside 50..29000',
      get('/pets', integration({ timeoutInMillis: 30000 })),
      'openapi.yaml: paths./pets.get.x-amazon-apigateway-integration.timeoutInMillis: must be between 50 and 29000 (got 30000)',
    ],
    [
      'an http_proxy uri that is not a URL',
      get('/pets', integration({ type: 'http_proxy', httpMethod: 'GET', uri: 'backend/pets' })),
      'openapi.yaml: paths./pets.get.x-amazon-apigateway-integration.uri: expected an http:// or https:// URL (got "backend/pets")',
    ],
    [
      'two integration responses with one status code',
      get('/pets', {
        'x-amazon-apigateway-integration': {
          type: 'mock',
          responses: { default: { statusCode: '200' }, '2\\d{2}': { statusCode: 200 } },
        },
      }),
      'openapi.yaml: paths./pets.get.x-amazon-apigateway-integration.responses.2\\d{2}.statusCode: statusCode 200 is already used by responses.default; API Gateway keeps one integration response per status code',
    ],
    [
      'a greedy path variable that is not the last part',
      oas3({ '/{proxy+}/x': { get: lambdaProxy() } }),
      'openapi.yaml: paths./{proxy+}/x: greedy path variable "{proxy+}" must be the last path part',
    ],
    [
      'two variable path parts under one parent',
      oas3({ '/pets/{id}': { get: lambdaProxy() }, '/pets/{name}': { get: lambdaProxy() } }),
      'openapi.yaml: paths./pets/{name}: A sibling ({id}) of this resource already has a variable path part -- only one is allowed',
    ],
    [
      'a path part with characters API Gateway refuses',
      oas3({ '/pets*': { get: lambdaProxy() } }),
      'openapi.yaml: paths./pets*: invalid path part "pets*": a path part may only contain a-zA-Z0-9._:- , or be a {variable} with an optional + before the closing brace',
    ],
    [
      'an empty path part',
      oas3({ '/pets/': { get: lambdaProxy() } }),
      'openapi.yaml: paths./pets/: empty path part (// or a trailing /)',
    ],
    [
      'document-level security, which API Gateway would silently ignore',
      oas3({}, { security: [{ auth: [] }] }),
      'openapi.yaml: security: API Gateway ignores document-level security and would leave every method open; declare security on each operation',
      'ERR_OPENAPI_UNSUPPORTED',
    ],
    [
      'a security requirement naming no scheme',
      get('/x', { security: [{ missing: [] }], ...lambdaProxy() }),
      'openapi.yaml: paths./x.get.security[0].missing: no security scheme named "missing"',
    ],
    [
      'a scheme API Gateway cannot enforce (oauth2 without an authorizer)',
      oas3(
        { '/x': { get: { security: [{ oauth: [] }], ...lambdaProxy() } } },
        { components: { securitySchemes: { oauth: { type: 'oauth2', flows: {} } } } },
      ),
      'openapi.yaml: paths./x.get.security[0].oauth: security scheme "oauth" is neither an API key (type: apiKey, name: x-api-key, in: header) nor an authorizer (x-amazon-apigateway-authorizer), so API Gateway cannot enforce it',
      'ERR_OPENAPI_UNSUPPORTED',
    ],
    [
      'authtype custom without x-amazon-apigateway-authorizer',
      oas3(
        {},
        {
          components: {
            securitySchemes: {
              auth: {
                type: 'apiKey',
                name: 'a',
                in: 'header',
                'x-amazon-apigateway-authtype': 'custom',
              },
            },
          },
        },
      ),
      'openapi.yaml: components.securitySchemes.auth: x-amazon-apigateway-authtype is "custom" but x-amazon-apigateway-authorizer is missing',
    ],
    [
      'an authorizer naming a function the project does not define',
      scheme({ authorizerUri: lambdaUri('nope') }),
      `openapi.yaml: ${AUTH_AT}.authorizerUri: Lambda function "nope" is not defined`,
      'ERR_OPENAPI_UNKNOWN_FUNCTION',
    ],
    [
      'an authorizer whose uri is not a Lambda invocation URI',
      scheme({ authorizerUri: 'https://auth.example.com' }),
      `openapi.yaml: ${AUTH_AT}.authorizerUri: Invalid Authorizer URI: https://auth.example.com. Expected a Lambda invocation URI, arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`,
    ],
    [
      'an authorizer TTL above 3600 seconds',
      scheme({ authorizerResultTtlInSeconds: 7200 }),
      `openapi.yaml: ${AUTH_AT}.authorizerResultTtlInSeconds: Authorizer result TTL must be a whole number of seconds between 0 and 3600 (got 7200)`,
    ],
    [
      'an authorizer type API Gateway REST APIs do not have',
      scheme({ type: 'jwt' }),
      `openapi.yaml: ${AUTH_AT}.type: expected one of token, request, cognito_user_pools (got "jwt")`,
    ],
    [
      'a TOKEN authorizer whose token is not in a header',
      scheme({}, { in: 'query' }),
      `openapi.yaml: ${AUTH_AT}: identitySource is required (or name the token header with in: header, name: …)`,
    ],
    [
      'a caching REQUEST authorizer without identity source',
      scheme({ type: 'request' }, { name: 'Unused' }),
      `openapi.yaml: ${AUTH_AT}.identitySource: Identity source must be set if authorizer caching is enabled (TTL is greater than 0)`,
    ],
    [
      'an identityValidationExpression that is not a regular expression',
      scheme({ identityValidationExpression: '(' }),
      `openapi.yaml: ${AUTH_AT}.identityValidationExpression: Invalid identityValidationExpression '(': error parsing regexp: missing closing ): \`(\`. Sallyport matches with a linear-time engine (RE2 syntax), which does not support backreferences, lookahead/lookbehind, atomic groups or possessive quantifiers`,
    ],
    [
      'an identityValidationExpression RE2 cannot run (a backreference)',
      scheme({ identityValidationExpression: '(a)\\1' }),
      `openapi.yaml: ${AUTH_AT}.identityValidationExpression: Invalid identityValidationExpression '(a)\\1': error parsing regexp: invalid escape sequence: \`\\1\`. Sallyport matches with a linear-time engine (RE2 syntax), which does not support backreferences, lookahead/lookbehind, atomic groups or possessive quantifiers`,
    ],
    [
      'an unknown gateway response type',
      oas3({}, { 'x-amazon-apigateway-gateway-responses': { NOT_A_TYPE: { statusCode: '400' } } }),
      'openapi.yaml: x-amazon-apigateway-gateway-responses.NOT_A_TYPE: unknown gateway response type (expected one of ACCESS_DENIED, API_CONFIGURATION_ERROR, AUTHORIZER_CONFIGURATION_ERROR, AUTHORIZER_FAILURE, BAD_REQUEST_BODY, BAD_REQUEST_PARAMETERS, DEFAULT_4XX, DEFAULT_5XX, EXPIRED_TOKEN, INTEGRATION_FAILURE, INTEGRATION_TIMEOUT, INVALID_API_KEY, INVALID_SIGNATURE, MISSING_AUTHENTICATION_TOKEN, QUOTA_EXCEEDED, REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND, THROTTLED, UNAUTHORIZED, UNSUPPORTED_MEDIA_TYPE, WAF_FILTERED)',
    ],
    [
      'a gateway response header mapping that is not gatewayresponse.header.*',
      oas3(
        {},
        {
          'x-amazon-apigateway-gateway-responses': {
            DEFAULT_4XX: { responseParameters: { 'method.response.header.A': "'x'" } },
          },
        },
      ),
      'openapi.yaml: x-amazon-apigateway-gateway-responses.DEFAULT_4XX.responseParameters.method.response.header.A: expected gatewayresponse.header.{name}',
    ],
    [
      'a binary media type that is not a media type',
      oas3({}, { 'x-amazon-apigateway-binary-media-types': ['png'] }),
      'openapi.yaml: x-amazon-apigateway-binary-media-types[0]: expected a media type such as image/png or */* (got "png")',
    ],
    [
      'a $ref to another file (external refs are never fetched)',
      get('/x', { parameters: [{ $ref: 'common.yaml#/Id' }], ...lambdaProxy() }),
      'openapi.yaml: paths./x.get.parameters[0].$ref: only references inside the document (#/…) are supported (got "common.yaml#/Id")',
      'ERR_OPENAPI_UNSUPPORTED',
    ],
    [
      'a $ref that points at nothing',
      get('/x', { parameters: [{ $ref: '#/components/parameters/Nope' }], ...lambdaProxy() }),
      'openapi.yaml: paths./x.get.parameters[0].$ref: "#/components/parameters/Nope" points at nothing',
    ],
    [
      'OpenAPI 3.1, which API Gateway does not import',
      { openapi: '3.1.0', info: { title: 't' }, paths: {} },
      'openapi.yaml: openapi: version "3.1.0" is not supported (API Gateway imports OpenAPI 2.0 and 3.0)',
      'ERR_OPENAPI_UNSUPPORTED',
    ],
    [
      'a document that is not OpenAPI',
      { info: { title: 't' } },
      'openapi.yaml: not an OpenAPI document: expected `openapi: 3.0.x` or `swagger: "2.0"`',
    ],
    [
      'an API without a name',
      { openapi: '3.0.0', paths: {} },
      'openapi.yaml: info.title: required (the API name)',
    ],
    [
      'a TRACE operation',
      oas3({ '/x': { trace: lambdaProxy() } }),
      'openapi.yaml: paths./x.trace: API Gateway has no TRACE method',
      'ERR_OPENAPI_UNSUPPORTED',
    ],
  ];
  for (const [what, doc, message, code] of cases) {
    it(`rejects ${what}`, () => assertImportError(doc, message, code));
  }
});
