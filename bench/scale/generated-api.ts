// A generated OpenAPI document of any size, shaped like a real project's: every operation a
// resource of its own with a path parameter, behind the same cached TOKEN authorizer, answered by
// MOCK (so what is measured is the gateway, not a function).
const TOKEN_AUTH_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token-auth/invocations';

/** The path of operation `i`: `/r{i}/items/{id}`. */
export const pathOf = (i: number): string => `/r${i}/items/{id}`;

export function openApiWithOperations(operations: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < operations; i++) {
    paths[pathOf(i)] = {
      get: {
        security: [{ 'token-cached': [] }],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: {
            default: {
              statusCode: '200',
              responseTemplates: { 'application/json': '{"ok":true}' },
            },
          },
        },
      },
    };
  }
  return {
    openapi: '3.0.1',
    info: { title: `scale-${operations}`, version: '1' },
    paths,
    components: {
      securitySchemes: {
        'token-cached': {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'token',
            authorizerUri: TOKEN_AUTH_URI,
            authorizerResultTtlInSeconds: 300,
          },
        },
      },
    },
  };
}

/** What bench/projects' token-auth answers: every method of the stage, a small context. */
export function tokenAuthorizerAnswer(apiId: string, stage: string, principalId: string): string {
  return JSON.stringify({
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: `arn:aws:execute-api:us-east-1:123456789012:${apiId}/${stage}/*/*`,
        },
      ],
    },
    context: { tier: 'gold' },
  });
}
