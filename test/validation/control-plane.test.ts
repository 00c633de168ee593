// Models and request validators through the AWS SDK against a real `sallyport serve`: the
// operations' shapes and errors, methods that name them, the deployed answers over real HTTP, and
// export → import keeping them. Shapes: https://docs.aws.amazon.com/apigateway/latest/api/API_Model.html,
// https://docs.aws.amazon.com/apigateway/latest/api/API_RequestValidator.html; status codes from
// the SDK's own service model (@aws-sdk/client-api-gateway).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteModelCommand,
  DeleteRequestValidatorCommand,
  GetExportCommand,
  GetMethodCommand,
  GetModelCommand,
  GetModelsCommand,
  GetModelTemplateCommand,
  GetRequestValidatorCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  ImportRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  PutRestApiCommand,
  TestInvokeMethodCommand,
  UpdateMethodCommand,
  UpdateModelCommand,
  UpdateRequestValidatorCommand,
} from '@aws-sdk/client-api-gateway';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { call, serve, type Served } from '../e2e/harness.js';

const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTTEST001', secretAccessKey: 'x'.repeat(40) };
const ENV = {
  SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
};
const PET_SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' } },
});

let s: Served;
let apigw: APIGatewayClient;
before(async () => {
  s = await serve([], ENV);
  apigw = new APIGatewayClient({
    endpoint: s.admin!,
    region: 'us-east-1',
    credentials: CREDENTIALS,
  });
});
after(() => s.stop());

/** The SDK's error for a command: name (AWS's error type) and message. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected the call to fail');
}

async function newApi(name: string) {
  const api = await apigw.send(new CreateRestApiCommand({ name }));
  return { apiId: api.id!, rootId: api.rootResourceId! };
}

/** An API with a Pet model, a validator checking everything and a /pets resource. */
async function petsApi(name: string) {
  const { apiId, rootId } = await newApi(name);
  await apigw.send(
    new CreateModelCommand({
      restApiId: apiId,
      name: 'Pet',
      contentType: 'application/json',
      schema: PET_SCHEMA,
    }),
  );
  const validator = await apigw.send(
    new CreateRequestValidatorCommand({
      restApiId: apiId,
      name: 'all',
      validateRequestBody: true,
      validateRequestParameters: true,
    }),
  );
  const res = await apigw.send(
    new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }),
  );
  const method = { restApiId: apiId, resourceId: res.id!, httpMethod: 'POST' };
  return { apiId, validator, method };
}

describe('models', () => {
  // AWS creates `Empty` and `Error` with every API; their texts as AWS returns them (exports of
  // real APIs, e.g. terraformer's aws_api_gateway_model "This is a default empty schema model").
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
  it('CreateRestApi creates the Empty and Error models, and export leaves them out unused', async () => {
    const { apiId, rootId } = await newApi('builtin');
    const root = { restApiId: apiId, resourceId: rootId, httpMethod: 'GET' };
    await apigw.send(new PutMethodCommand({ ...root, authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ ...root, type: 'MOCK' }));
    const list = await apigw.send(new GetModelsCommand({ restApiId: apiId }));
    const byName = new Map(list.items?.map((m) => [m.name, m]));
    assert.deepEqual(
      ['Empty', 'Error'].map((name) => {
        const m = byName.get(name)!;
        return [m.name, m.description, m.contentType, m.schema, /^[a-z0-9]{6}$/.test(m.id!)];
      }),
      [
        [
          'Empty',
          'This is a default empty schema model',
          'application/json',
          '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}',
          true,
        ],
        [
          'Error',
          'This is a default error schema model',
          'application/json',
          '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}',
          true,
        ],
      ],
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    const exported = await apigw.send(
      new GetExportCommand({
        restApiId: apiId,
        stageName: 'dev',
        exportType: 'oas30',
        parameters: { extensions: 'apigateway' },
      }),
    );
    const document = JSON.parse(Buffer.from(exported.body!).toString()) as {
      components?: { schemas?: object };
    };
    assert.equal(document.components?.schemas, undefined);
    // Re-importing into the same API by merge keeps one of each.
    await apigw.send(
      new PutRestApiCommand({ restApiId: apiId, mode: 'merge', body: exported.body! }),
    );
    const again = await apigw.send(new GetModelsCommand({ restApiId: apiId }));
    assert.deepEqual(again.items?.map((m) => m.name).sort(), ['Empty', 'Error']);
  });

  // GetModelTemplate: https://docs.aws.amazon.com/apigateway/latest/api/API_GetModelTemplate.html
  it('GetModelTemplate: Empty as the AWS CLI reference shows it, through the AWS CLI', async () => {
    const { apiId } = await newApi('template');
    const run = promisify(execFile);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
    };
    const { stdout } = await run(
      'aws',
      ['apigateway', 'get-model-template', '--rest-api-id', apiId, '--model-name', 'Empty'].concat([
        '--endpoint-url',
        s.admin!,
        '--output',
        'json',
      ]),
      { env },
    );
    // https://docs.aws.amazon.com/cli/latest/reference/apigateway/get-model-template.html
    assert.deepEqual(JSON.parse(stdout), { value: "#set($inputRoot = $input.path('$'))\n{ }" });
  });

  it('GetModelTemplate: properties by type, nested objects, arrays, references to models', async () => {
    const { apiId } = await newApi('template2');
    const tag = {
      type: 'object',
      properties: { tagName: { type: 'string' }, tagValue: { type: 'string' } },
    };
    await apigw.send(
      new CreateModelCommand({
        restApiId: apiId,
        name: 'Tag',
        contentType: 'application/json',
        schema: JSON.stringify(tag),
      }),
    );
    await apigw.send(
      new CreateModelCommand({
        restApiId: apiId,
        name: 'Device',
        contentType: 'application/json',
        schema: JSON.stringify({
          type: 'object',
          properties: {
            name: { type: 'string' },
            age: { type: 'integer' },
            owner: { type: 'object', properties: { active: { type: 'boolean' } } },
            tags: {
              type: 'array',
              items: { $ref: `https://apigateway.amazonaws.com/restapis/${apiId}/models/Tag` },
            },
          },
        }),
      }),
    );
    const template = await apigw.send(
      new GetModelTemplateCommand({ restApiId: apiId, modelName: 'Device' }),
    );
    // The console's generated templates (strings quoted, numbers not, arrays as a #foreach
    // under AWS's ##TODO comment).
    assert.equal(
      template.value,
      [
        "#set($inputRoot = $input.path('$'))",
        '{',
        '  "name" : "$inputRoot.name",',
        '  "age" : $inputRoot.age,',
        '  "owner" : {',
        '    "active" : $inputRoot.owner.active',
        '  },',
        '  "tags" : [',
        '##TODO: Update this foreach loop to reference array from input json',
        '#foreach($elem in $inputRoot.tags)',
        ' {',
        '  "tagName" : "$elem.tagName",',
        '  "tagValue" : "$elem.tagValue"',
        '} ',
        '#if($foreach.hasNext),#end',
        '#end',
        '  ]',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(
      await failure(
        apigw.send(new GetModelTemplateCommand({ restApiId: apiId, modelName: 'Nope' })),
      ),
      { name: 'NotFoundException', message: 'Invalid Model Name specified' },
    );
  });

  it('CreateModel, GetModel, GetModels, UpdateModel, DeleteModel', async () => {
    const { apiId } = await newApi('models');
    const created = await apigw.send(
      new CreateModelCommand({
        restApiId: apiId,
        name: 'Pet',
        contentType: 'application/json',
        schema: PET_SCHEMA,
        description: 'a pet',
      }),
    );
    assert.match(created.id!, /^[a-z0-9]+$/);
    assert.equal(created.name, 'Pet');
    assert.equal(created.schema, PET_SCHEMA);
    const got = await apigw.send(new GetModelCommand({ restApiId: apiId, modelName: 'Pet' }));
    assert.deepEqual(
      { id: got.id, name: got.name, contentType: got.contentType, description: got.description },
      { id: created.id, name: 'Pet', contentType: 'application/json', description: 'a pet' },
    );
    const list = await apigw.send(new GetModelsCommand({ restApiId: apiId }));
    assert.deepEqual(list.items?.map((m) => m.name).sort(), ['Empty', 'Error', 'Pet']);
    const updated = await apigw.send(
      new UpdateModelCommand({
        restApiId: apiId,
        modelName: 'Pet',
        patchOperations: [{ op: 'replace', path: '/description', value: 'changed' }],
      }),
    );
    assert.equal(updated.description, 'changed');
    await apigw.send(new DeleteModelCommand({ restApiId: apiId, modelName: 'Pet' }));
    // moto's reproduction of AWS's message for an unknown model name.
    assert.deepEqual(
      await failure(apigw.send(new GetModelCommand({ restApiId: apiId, modelName: 'Pet' }))),
      { name: 'NotFoundException', message: 'Invalid Model Name specified' },
    );
  });

  it('refuses a duplicate name (409), a name that is not alphanumeric and a schema that is not a JSON object', async () => {
    const { apiId } = await newApi('model-errors');
    const create = (name: string, schema = PET_SCHEMA) =>
      apigw.send(
        new CreateModelCommand({ restApiId: apiId, name, contentType: 'application/json', schema }),
      );
    await create('Pet');
    assert.equal((await failure(create('Pet'))).name, 'ConflictException');
    assert.equal((await failure(create('my-pet'))).name, 'BadRequestException');
    assert.deepEqual(await failure(create('Other', '[1]')), {
      name: 'BadRequestException',
      message:
        'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]',
    });
  });
});

describe('request validators', () => {
  it('Create, Get, GetAll, Update, Delete with AWS shapes', async () => {
    const { apiId } = await newApi('validators');
    const created = await apigw.send(
      new CreateRequestValidatorCommand({
        restApiId: apiId,
        name: 'body',
        validateRequestBody: true,
      }),
    );
    // validateRequestParameters defaults to false.
    assert.deepEqual(
      {
        name: created.name,
        body: created.validateRequestBody,
        params: created.validateRequestParameters,
      },
      { name: 'body', body: true, params: false },
    );
    const id = created.id!;
    const updated = await apigw.send(
      new UpdateRequestValidatorCommand({
        restApiId: apiId,
        requestValidatorId: id,
        patchOperations: [{ op: 'replace', path: '/validateRequestParameters', value: 'true' }],
      }),
    );
    assert.equal(updated.validateRequestParameters, true);
    const got = await apigw.send(
      new GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: id }),
    );
    assert.equal(got.validateRequestParameters, true);
    const all = await apigw.send(new GetRequestValidatorsCommand({ restApiId: apiId }));
    assert.deepEqual(
      all.items?.map((v) => v.id),
      [id],
    );
    await apigw.send(
      new DeleteRequestValidatorCommand({ restApiId: apiId, requestValidatorId: id }),
    );
    assert.deepEqual(
      await failure(
        apigw.send(new GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: id })),
      ),
      { name: 'NotFoundException', message: 'Invalid Request Validator identifier specified' },
    );
  });
});

describe('a method validated end to end', () => {
  it('PutMethod with requestValidatorId, requestParameters and requestModels; deployed answers over HTTP', async () => {
    const { apiId, validator, method } = await petsApi('validated');
    // AWS refuses names of validators and models the API does not have (LocalStack's provider).
    assert.deepEqual(
      await failure(
        apigw.send(
          new PutMethodCommand({
            ...method,
            authorizationType: 'NONE',
            requestValidatorId: 'nope00',
          }),
        ),
      ),
      { name: 'BadRequestException', message: 'Invalid Request Validator identifier specified' },
    );
    assert.deepEqual(
      await failure(
        apigw.send(
          new PutMethodCommand({
            ...method,
            authorizationType: 'NONE',
            requestModels: { 'application/json': 'Nope' },
          }),
        ),
      ),
      { name: 'BadRequestException', message: 'Invalid model identifier specified: Nope' },
    );
    const put = await apigw.send(
      new PutMethodCommand({
        ...method,
        authorizationType: 'NONE',
        requestValidatorId: validator.id,
        requestParameters: { 'method.request.querystring.owner': true },
        requestModels: { 'application/json': 'Pet' },
      }),
    );
    assert.equal(put.requestValidatorId, validator.id);
    assert.deepEqual(put.requestModels, { 'application/json': 'Pet' });
    await apigw.send(
      new PutIntegrationCommand({
        ...method,
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      }),
    );
    // A model in use cannot be deleted, nor a validator in use.
    assert.equal(
      (await failure(apigw.send(new DeleteModelCommand({ restApiId: apiId, modelName: 'Pet' }))))
        .name,
      'BadRequestException',
    );
    assert.equal(
      (
        await failure(
          apigw.send(
            new DeleteRequestValidatorCommand({
              restApiId: apiId,
              requestValidatorId: validator.id!,
            }),
          ),
        )
      ).name,
      'BadRequestException',
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    const url = `${s.base}/restapis/${apiId}/dev/_user_request_/pets`;
    const send = (query: string, body: string) =>
      call(url + query, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const deadline = Date.now() + 30_000;
    let missing = await send('', '{}');
    while (missing.status === 403 && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 50));
      missing = await send('', '{}');
    }
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json(), { message: 'Missing required request parameters: [owner]' });
    const bad = await send('?owner=me', '{}');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json(), { message: 'Invalid request body' });
    // MOCK without integration responses answers 200 with an empty body.
    assert.equal((await send('?owner=me', '{"name": "Rex"}')).status !== 400, true);

    // TestInvokeMethod runs validation too (it skips only authorization).
    const test = await apigw.send(
      new TestInvokeMethodCommand({
        ...method,
        pathWithQueryString: '/pets?owner=me',
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    assert.equal(test.status, 400);
    assert.equal(test.body, '{"message":"Invalid request body"}');

    // UpdateMethod: removing the validator turns validation off (after a redeploy).
    const cleared = await apigw.send(
      new UpdateMethodCommand({
        ...method,
        patchOperations: [{ op: 'replace', path: '/requestValidatorId', value: '' }],
      }),
    );
    assert.equal(cleared.requestValidatorId, undefined);
    const method2 = await apigw.send(new GetMethodCommand(method));
    assert.deepEqual(method2.requestModels, { 'application/json': 'Pet' });
    // requestModels entries through UpdateMethod: a model the API lacks is refused; AWS's Empty
    // model is always there.
    const addModel = (value: string) =>
      apigw.send(
        new UpdateMethodCommand({
          ...method,
          patchOperations: [{ op: 'add', path: '/requestModels/text~1plain', value }],
        }),
      );
    assert.deepEqual(await failure(addModel('Nope')), {
      name: 'BadRequestException',
      message: 'Invalid model identifier specified: Nope',
    });
    assert.deepEqual((await addModel('Empty')).requestModels, {
      'application/json': 'Pet',
      'text/plain': 'Empty',
    });
  });

  it('GetExport and ImportRestApi carry models, validators and the method links', async () => {
    const { apiId, validator, method } = await petsApi('roundtrip');
    await apigw.send(
      new PutMethodCommand({
        ...method,
        authorizationType: 'NONE',
        requestValidatorId: validator.id,
        requestModels: { 'application/json': 'Pet' },
      }),
    );
    await apigw.send(
      new PutIntegrationCommand({
        ...method,
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    for (const exportType of ['oas30', 'swagger']) {
      const exported = await apigw.send(
        new GetExportCommand({
          restApiId: apiId,
          stageName: 'dev',
          exportType,
          parameters: { extensions: 'apigateway' },
        }),
      );
      const document = Buffer.from(exported.body!).toString();
      const imported = await apigw.send(new ImportRestApiCommand({ body: Buffer.from(document) }));
      const models = await apigw.send(new GetModelsCommand({ restApiId: imported.id! }));
      assert.deepEqual(
        models.items?.map((m) => [m.name, JSON.parse(m.schema!) as unknown]),
        [['Pet', JSON.parse(PET_SCHEMA)]],
        exportType,
      );
      const validators = await apigw.send(
        new GetRequestValidatorsCommand({ restApiId: imported.id! }),
      );
      assert.deepEqual(
        validators.items?.map((v) => [v.name, v.validateRequestBody, v.validateRequestParameters]),
        [['all', true, true]],
      );
      const resources = await apigw.send(
        new GetResourcesCommand({ restApiId: imported.id!, embed: ['methods'] }),
      );
      const post = resources.items?.find((r) => r.path === '/pets')?.resourceMethods?.POST;
      assert.equal(post?.requestValidatorId, validators.items?.[0]?.id, exportType);
      assert.deepEqual(post?.requestModels, { 'application/json': 'Pet' }, exportType);
    }
  });
});
