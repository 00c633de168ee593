// SAM templates → the project model: what SAM would generate for the API, checked on the document
// handed to the OpenAPI import. Rules from the SAM spec:
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-lambdarequestauthorizationidentity.html
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSamTemplate } from '../../../src/config/sam/load-template.js';
import { restApiIdFor } from '../../../src/support/stable-id.js';

function project(template: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sallyport-sam-unit-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'index.js'), 'exports.handler = async () => ({});\n');
  writeFileSync(join(dir, 'template.yaml'), template);
  return dir;
}

const HEAD = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Handler: index.handler
    CodeUri: src/
    Timeout: 10
    Environment:
      Variables: { SHARED: one }
`;

/** A value deep inside the built document. */
const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

describe('SAM template → project', () => {
  it('Api events without RestApiId make the implicit ServerlessRestApi, stage Prod', async () => {
    const p = await loadSamTemplate(
      project(`${HEAD}Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables: { OWN: two }
      Events:
        Get: { Type: Api, Properties: { Path: /hello, Method: get } }
        Any: { Type: Api, Properties: { Path: "/hello/{id}", Method: ANY } }
`),
    );
    assert.equal(p.apis.length, 1);
    const api = p.apis[0]!;
    assert.equal(api.name, 'ServerlessRestApi');
    assert.equal(api.id, restApiIdFor('ServerlessRestApi'));
    assert.deepEqual(api.stages, [{ stageName: 'Prod', variables: {} }]);
    const doc = api.document;
    assert.deepEqual(at(doc, 'paths', '/hello', 'get', 'x-amazon-apigateway-integration'), {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Hello/invocations',
    });
    assert.ok(at(doc, 'paths', '/hello/{id}', 'x-amazon-apigateway-any-method'));
    // Globals: primitives inherited, maps merged.
    const fn = p.functions[0]!;
    assert.equal(fn.Timeout, 10);
    assert.deepEqual(fn.Environment.Variables, { SHARED: 'one', OWN: 'two' });
  });

  it('REQUEST authorizer: Identity lists become identitySource; Auth.Authorizer NONE opts out; DefaultAuthorizer applies', async () => {
    const p = await loadSamTemplate(
      project(`${HEAD}Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Auth:
        DefaultAuthorizer: Req
        Authorizers:
          Req:
            FunctionArn: !GetAtt Auth.Arn
            FunctionPayloadType: REQUEST
            Identity:
              Headers: [X-Token]
              QueryStrings: [q]
              StageVariables: [sv]
              Context: [sourceIp]
              ReauthorizeEvery: 60
          Tok:
            FunctionArn: !GetAtt Auth.Arn
            Identity: { ValidationExpression: "^Bearer .+$" }
  Auth:
    Type: AWS::Serverless::Function
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Secured: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /a, Method: get } }
        Open: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /b, Method: get, Auth: { Authorizer: NONE } } }
        Token: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /c, Method: get, Auth: { Authorizer: Tok } } }
`),
    );
    const doc = p.apis[0]!.document;
    const req = at(doc, 'securityDefinitions', 'Req', 'x-amazon-apigateway-authorizer');
    assert.equal(at(req, 'type'), 'request');
    assert.equal(
      at(req, 'identitySource'),
      'method.request.header.X-Token, method.request.querystring.q, stageVariables.sv, context.sourceIp',
    );
    assert.equal(at(req, 'authorizerResultTtlInSeconds'), 60);
    // TOKEN defaults: header Authorization, TTL 300.
    const tok = at(doc, 'securityDefinitions', 'Tok', 'x-amazon-apigateway-authorizer');
    assert.deepEqual(
      [
        at(tok, 'type'),
        at(tok, 'identitySource'),
        at(tok, 'authorizerResultTtlInSeconds'),
        at(tok, 'identityValidationExpression'),
      ],
      ['token', 'method.request.header.Authorization', 300, '^Bearer .+$'],
    );
    assert.deepEqual(at(doc, 'paths', '/a', 'get', 'security'), [{ Req: [] }]);
    assert.equal(at(doc, 'paths', '/b', 'get', 'security'), undefined);
    assert.deepEqual(at(doc, 'paths', '/c', 'get', 'security'), [{ Tok: [] }]);
  });

  it('Parameters, Conditions and plain AWS::ApiGateway resources; Lambda::Permission listed as not emulated', async () => {
    const p = await loadSamTemplate(
      project(`Parameters:
  Env: { Type: String, Default: dev }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Code: src/
      MemorySize: !If [IsProd, 1024, 256]
  ProdOnly:
    Type: AWS::Lambda::Function
    Condition: IsProd
    Properties: { Runtime: nodejs20.x, Handler: index.handler, Code: src/ }
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties: { Name: !Sub "rest-\${Env}" }
  Items:
    Type: AWS::ApiGateway::Resource
    Properties: { RestApiId: !Ref Rest, ParentId: !GetAtt Rest.RootResourceId, PathPart: items }
  Item:
    Type: AWS::ApiGateway::Resource
    Properties: { RestApiId: !Ref Rest, ParentId: !Ref Items, PathPart: "{id}" }
  Authz:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Rest
      Name: tokens
      Type: TOKEN
      IdentitySource: method.request.header.Authorization
      AuthorizerUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
  GetItem:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: !Ref Item
      HttpMethod: GET
      AuthorizationType: CUSTOM
      AuthorizerId: !Ref Authz
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties: { RestApiId: !Ref Rest }
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties: { RestApiId: !Ref Rest, StageName: !Ref Env, DeploymentId: !Ref Deployment, Variables: { a: b } }
  Permission:
    Type: AWS::Lambda::Permission
    Properties: { FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com }
`),
    );
    assert.deepEqual(
      p.functions.map((f) => [f.FunctionName, f.MemorySize]),
      [['Fn', 256]],
    );
    const api = p.apis[0]!;
    assert.equal(api.name, 'rest-dev');
    assert.deepEqual(api.stages, [{ stageName: 'dev', variables: { a: 'b' } }]);
    const doc = api.document;
    assert.equal(
      at(doc, 'paths', '/items/{id}', 'get', 'x-amazon-apigateway-integration', 'type'),
      'aws_proxy',
    );
    assert.deepEqual(at(doc, 'paths', '/items/{id}', 'get', 'security'), [{ tokens: [] }]);
    assert.equal(
      at(
        doc,
        'securityDefinitions',
        'tokens',
        'x-amazon-apigateway-authorizer',
        'authorizerResultTtlInSeconds',
      ),
      300,
    );
    assert.deepEqual(p.notEmulated, [
      'invoke permissions (API Gateway may call every function): AWS::Lambda::Permission',
    ]);
  });

  it('DefinitionBody is the definition; events and Auth are added to it; Globals.Api applies', async () => {
    const p = await loadSamTemplate(
      project(`${HEAD}  Api:
    Variables: { fromGlobals: yes }
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      DefinitionBody:
        openapi: 3.0.1
        info: { title: body, version: "1" }
        paths:
          /existing:
            get:
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: { application/json: '{"statusCode": 200}' }
                responses: { default: { statusCode: "200" } }
      Auth:
        Authorizers:
          Tok: { FunctionArn: !GetAtt Fn.Arn }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        New: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /new, Method: post, Auth: { Authorizer: Tok } } }
`),
    );
    const api = p.apis[0]!;
    assert.deepEqual(api.stages, [{ stageName: 'live', variables: { fromGlobals: 'yes' } }]);
    const doc = api.document;
    assert.equal(
      at(doc, 'paths', '/existing', 'get', 'x-amazon-apigateway-integration', 'type'),
      'mock',
    );
    assert.equal(
      at(doc, 'paths', '/new', 'post', 'x-amazon-apigateway-integration', 'type'),
      'aws_proxy',
    );
    // OpenAPI 3: the authorizer goes to components.securitySchemes.
    assert.equal(
      at(doc, 'components', 'securitySchemes', 'Tok', 'x-amazon-apigateway-authtype'),
      'custom',
    );
    assert.deepEqual(at(doc, 'paths', '/new', 'post', 'security'), [{ Tok: [] }]);
  });

  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-corsconfiguration.html
  it("Cors: a string is AllowOrigin; every path gets SAM's OPTIONS MOCK method, behind the DefaultAuthorizer by default", async () => {
    const p = await loadSamTemplate(
      project(`${HEAD}Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Cors: "'*'"
      Auth:
        DefaultAuthorizer: Tok
        Authorizers:
          Tok: { FunctionArn: !GetAtt Auth.Arn }
  Auth:
    Type: AWS::Serverless::Function
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /a, Method: get } }
        Post: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /a, Method: post } }
        Any: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /b, Method: any } }
`),
    );
    const doc = p.apis[0]!.document;
    const options = at(doc, 'paths', '/a', 'options');
    assert.deepEqual(at(options, 'x-amazon-apigateway-integration'), {
      type: 'mock',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      responses: {
        default: {
          statusCode: '200',
          responseParameters: {
            'method.response.header.Access-Control-Allow-Origin': "'*'",
            'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS,POST'",
          },
        },
      },
    });
    assert.deepEqual(at(options, 'security'), [{ Tok: [] }]);
    assert.equal(
      at(
        doc,
        'paths',
        '/b',
        'options',
        'x-amazon-apigateway-integration',
        'responses',
        'default',
        'responseParameters',
        'method.response.header.Access-Control-Allow-Methods',
      ),
      "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'",
    );
  });

  it('errors name file:line:column and the key path', async () => {
    await assert.rejects(
      loadSamTemplate(
        project(`${HEAD}Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtme: nodejs20.x
`),
      ),
      /template\.yaml:14:15: Resources\.Hello\.Properties\.Runtme: unknown property of AWS::Serverless::Function/,
    );
    await assert.rejects(
      loadSamTemplate(project(`${HEAD}Resources:\n  Http:\n    Type: AWS::Serverless::HttpApi\n`)),
      /template\.yaml:12:11: Resources\.Http\.Type: AWS::Serverless::HttpApi: HTTP APIs \(API Gateway v2\) are not served/,
    );
    await assert.rejects(
      loadSamTemplate(project('Parameters:\n  Key: { Type: String }\nResources: {}\n')),
      /template\.yaml:2:8: Parameters\.Key: no value: give it a Default or --parameter-overrides Key=…/,
    );
  });
});
