// The Lambda control API driven by @aws-sdk/client-lambda over real HTTP against the admin
// server, with a SQLite store and the real function plane.
// https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  RemovePermissionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { createAdminServer } from '../../../src/control/admin/server.js';
import { loadFunctions } from '../../../src/control/lambda/load-functions.js';
import { registerLambdaRoutes } from '../../../src/control/lambda/routes.js';
import { FunctionsInvoker } from '../../../src/functions/functions-invoker.js';
import { DEFAULT_SETTINGS } from '../../../src/model/types.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { ChangeEvent } from '../../../src/store/store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { waitFor } from '../../store/wait-for.js';
import { makeZip } from './make-zip.js';
import { TSX_WORKER_SCRIPT } from '../../functions/node/tsx-worker-script.js';

const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const ROLE = 'arn:aws:iam::123456789012:role/lambda-role';
const ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

const code = (version: number) =>
  makeZip([
    {
      path: 'index.js',
      content: `exports.handler = async (event) => ({ v: ${version}, got: event, greeting: process.env.GREETING ?? 'hello' });
exports.fail = async () => { console.log('about to fail'); throw new Error('nope'); };`,
    },
  ]);

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('Lambda control API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-lambda-'));
  const logger = createLogger({ level: 'silent' });
  const store = new SqliteStore(join(dataDir, 'sallyport.db'));
  const invoker = new FunctionsInvoker({
    functions: [],
    settings: DEFAULT_SETTINGS,
    logger,
    maxThreads: 1,
    workerScript: TSX_WORKER_SCRIPT,
  });
  const events: ChangeEvent[] = [];
  let loads = Promise.resolve();
  store.subscribe((event) => {
    events.push(event);
    // What a serving node does: reload the function plane from the store on every change.
    loads = loads.then(async () => invoker.setFunctions(await loadFunctions(store, dataDir)));
  });
  let server: Server;
  let endpoint: string;
  let lambda: LambdaClient;

  before(async () => {
    server = createAdminServer({
      logger,
      authenticate: () => () => undefined,
      register: [
        registerLambdaRoutes({
          store,
          invoker,
          settings: DEFAULT_SETTINGS,
          dataDir,
          logger,
          now: () => NOW,
        }),
      ],
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    lambda = new LambdaClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
  });

  after(async () => {
    lambda.destroy();
    await new Promise((resolve) => server.close(resolve));
    await loads;
    await invoker.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const create = (name: string, extra: Partial<CreateFunctionCommandInput> = {}) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: code(1) },
        ...extra,
      }),
    );

  /** Invokes until the node has loaded the function (the reload follows the change event). */
  const invokeWhenLoaded = async (
    name: string,
    payload: unknown,
    expect: (body: unknown) => boolean,
  ) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const out = await lambda
        .send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload) }))
        .catch((e: Error) => e);
      if (!(out instanceof Error)) {
        const body: unknown = JSON.parse(text(out.Payload));
        if (expect(body)) return { out, body };
      }
      if (Date.now() > deadline)
        throw new Error(
          `function ${name} not loaded: ${out instanceof Error ? out.message : text(out.Payload)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('CreateFunction answers 201 with the FunctionConfiguration and unpacks the code', async () => {
    const zip = code(1);
    const out = await create('hello', {
      Environment: { Variables: { GREETING: 'hi' } },
      Description: 'says hi',
    });
    assert.equal(out.$metadata.httpStatusCode, 201);
    const { $metadata: _, ...config } = out;
    assert.deepEqual(config, {
      FunctionName: 'hello',
      FunctionArn: ARN('hello'),
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      CodeSize: zip.length,
      Description: 'says hi',
      Timeout: 3,
      MemorySize: 128,
      LastModified: '2024-01-02T03:04:05.678+0000',
      CodeSha256: createHash('sha256').update(zip).digest('base64'),
      Version: '$LATEST',
      Environment: { Variables: { GREETING: 'hi' } },
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: config.RevisionId,
      // https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/hello' },
    });
    assert.match(config.RevisionId ?? '', /^[0-9a-f-]{36}$/);
    const hex = createHash('sha256').update(zip).digest('hex');
    assert.match(
      readFileSync(join(dataDir, 'functions', 'hello', hex, 'index.js'), 'utf8'),
      /exports\.handler/,
    );
    assert.deepEqual(events.at(-1), { kind: 'function', scope: '', id: 'hello' });
  });

  it('Invoke RequestResponse answers the payload, with $LATEST and the log tail when asked', async () => {
    const { out, body } = await invokeWhenLoaded('hello', { a: 1 }, () => true);
    assert.deepEqual(body, { v: 1, got: { a: 1 }, greeting: 'hi' });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.LogResult, undefined);

    const tail = await lambda.send(
      new InvokeCommand({ FunctionName: ARN('hello'), LogType: 'Tail' }),
    );
    const log = Buffer.from(tail.LogResult ?? '', 'base64').toString('utf8');
    assert.match(log, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST/m);
    assert.match(log, /^REPORT RequestId: /m);
  });

  it('Invoke Event answers 202 and DryRun 204, without a payload', async () => {
    const event = await lambda.send(
      new InvokeCommand({ FunctionName: 'hello', InvocationType: 'Event', Payload: '{}' }),
    );
    assert.equal(event.StatusCode, 202);
    const dry = await lambda.send(
      new InvokeCommand({ FunctionName: 'hello', InvocationType: 'DryRun' }),
    );
    assert.equal(dry.StatusCode, 204);
  });

  it('a function error is a 200 with X-Amz-Function-Error: Unhandled and the error payload', async () => {
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'hello', Handler: 'index.fail' }),
    );
    const deadline = Date.now() + 30_000;
    let out;
    do {
      out = await lambda.send(new InvokeCommand({ FunctionName: 'hello', LogType: 'Tail' }));
      if (Date.now() > deadline) throw new Error('handler change not loaded');
    } while (out.FunctionError === undefined);
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const body = JSON.parse(text(out.Payload)) as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, 'Error');
    assert.equal(body.errorMessage, 'nope');
    assert.match(Buffer.from(out.LogResult ?? '', 'base64').toString(), /about to fail/);
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'hello', Handler: 'index.handler' }),
    );
  });

  it('UpdateFunctionConfiguration changes the environment and timeout that the function runs with', async () => {
    const out = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'hello',
        Timeout: 10,
        MemorySize: 256,
        Environment: { Variables: { GREETING: 'bonjour' } },
      }),
    );
    assert.equal(out.Timeout, 10);
    assert.equal(out.MemorySize, 256);
    assert.deepEqual(out.Environment, { Variables: { GREETING: 'bonjour' } });
    await invokeWhenLoaded('hello', {}, (b) => (b as { greeting: string }).greeting === 'bonjour');
  });

  it('UpdateFunctionCode swaps the code: new CodeSha256, the new handler runs', async () => {
    const zip = code(2);
    const out = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'hello', ZipFile: zip }),
    );
    assert.equal(out.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.equal(out.CodeSize, zip.length);
    await invokeWhenLoaded('hello', {}, (b) => (b as { v: number }).v === 2);
  });

  it('GetFunction answers Configuration and Code; by name, ARN or partial ARN', async () => {
    for (const ref of ['hello', ARN('hello'), '123456789012:function:hello', 'hello:$LATEST']) {
      const out = await lambda.send(new GetFunctionCommand({ FunctionName: ref }));
      assert.equal(out.Configuration?.FunctionName, 'hello');
      assert.equal(out.Configuration?.Timeout, 10);
      assert.equal(out.Code?.RepositoryType, 'S3');
    }
  });

  it('unknown functions: ResourceNotFoundException 404, as the SDK parses it', async () => {
    await assert.rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })),
      (e: Error & { $metadata: { httpStatusCode: number }; Type?: string }) => {
        assert.equal(e.name, 'ResourceNotFoundException');
        assert.equal(e.message, `Function not found: ${ARN('nope')}`);
        assert.equal(e.$metadata.httpStatusCode, 404);
        assert.equal(e.Type, 'User');
        return true;
      },
    );
    await assert.rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: 'hello', Qualifier: '3' })),
      {
        name: 'ResourceNotFoundException',
        message: `Function not found: ${ARN('hello')}:3`,
      },
    );
    for (const send of [
      () => lambda.send(new InvokeCommand({ FunctionName: 'nope' })),
      () => lambda.send(new DeleteFunctionCommand({ FunctionName: 'nope' })),
      () => lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'nope', ZipFile: code(1) })),
      () => lambda.send(new GetPolicyCommand({ FunctionName: 'nope' })),
    ])
      await assert.rejects(send(), { name: 'ResourceNotFoundException' });
  });

  it('the error body is {"Type":"User","message":…} with x-amzn-ErrorType', async () => {
    const response = await fetch(`${endpoint}/2015-03-31/functions/nope`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    assert.deepEqual(await response.json(), {
      Type: 'User',
      message: `Function not found: ${ARN('nope')}`,
    });
  });

  it('CreateFunction refuses an existing name (409), S3 and image code, unsafe zips', async () => {
    await assert.rejects(
      create('hello'),
      (e: Error & { $metadata: { httpStatusCode: number } }) => {
        assert.equal(e.name, 'ResourceConflictException');
        assert.equal(e.message, 'Function already exist: hello');
        assert.equal(e.$metadata.httpStatusCode, 409);
        return true;
      },
    );
    await assert.rejects(create('s3', { Code: { S3Bucket: 'b', S3Key: 'k.zip' } }), {
      name: 'InvalidParameterValueException',
      message:
        'Code from S3 (S3Bucket, S3Key) is not supported by Sallyport: send the zip inline as ZipFile',
    });
    await assert.rejects(create('img', { Code: { ImageUri: '1.dkr.ecr/x:1' } }), {
      name: 'InvalidParameterValueException',
    });
    await assert.rejects(
      create('evil', { Code: { ZipFile: makeZip([{ path: '../../evil.js', content: 'x' }]) } }),
      {
        name: 'InvalidParameterValueException',
        message:
          /^Could not unzip uploaded file\. Please check your file, then try to upload again\./,
      },
    );
    assert.equal(existsSync(join(dataDir, 'evil.js')), false);
    assert.equal(existsSync(join(dataDir, 'functions', 'evil.js')), false);
    await assert.rejects(create('noruntime', { Runtime: undefined }), {
      name: 'InvalidParameterValueException',
      message:
        'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    });
    await assert.rejects(create('bad/name'), { name: 'ValidationException' });
    await assert.rejects(create('slow', { Timeout: 901 }), { name: 'ValidationException' });
    await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: 's3' })), {
      name: 'ResourceNotFoundException',
    });
  });

  it('ListFunctions pages with MaxItems and NextMarker', async () => {
    await create('second');
    await create('third');
    const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    assert.deepEqual(
      first.Functions?.map((f) => f.FunctionName),
      ['hello', 'second'],
    );
    assert.ok(first.NextMarker);
    const rest = await lambda.send(
      new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }),
    );
    assert.deepEqual(
      rest.Functions?.map((f) => f.FunctionName),
      ['third'],
    );
    assert.equal(rest.NextMarker, undefined);
    const all = await lambda.send(new ListFunctionsCommand({}));
    assert.equal(all.Functions?.length, 3);
  });

  it('AddPermission, GetPolicy and RemovePermission keep the resource policy', async () => {
    const sourceArn = 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/*/GET/sayhello';
    const added = await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'hello',
        StatementId: 'apigw',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: sourceArn,
      }),
    );
    assert.equal(added.$metadata.httpStatusCode, 201);
    const statement = {
      Sid: 'apigw',
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: ARN('hello'),
      Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
    };
    assert.deepEqual(JSON.parse(added.Statement ?? ''), statement);
    await assert.rejects(
      lambda.send(
        new AddPermissionCommand({
          FunctionName: 'hello',
          StatementId: 'apigw',
          Action: 'lambda:InvokeFunction',
          Principal: '*',
        }),
      ),
      {
        name: 'ResourceConflictException',
        message:
          'The statement id (apigw) provided already exists. Please provide a new statement id, or remove the existing statement.',
      },
    );
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: 'hello' }));
    assert.deepEqual(JSON.parse(policy.Policy ?? ''), {
      Version: '2012-10-17',
      Id: 'default',
      Statement: [statement],
    });
    const removed = await lambda.send(
      new RemovePermissionCommand({ FunctionName: 'hello', StatementId: 'apigw' }),
    );
    assert.equal(removed.$metadata.httpStatusCode, 204);
    await assert.rejects(
      lambda.send(new RemovePermissionCommand({ FunctionName: 'hello', StatementId: 'apigw' })),
      {
        name: 'ResourceNotFoundException',
        message: 'Statement apigw is not found in resource policy.',
      },
    );
    await assert.rejects(lambda.send(new GetPolicyCommand({ FunctionName: 'hello' })), {
      name: 'ResourceNotFoundException',
      message: 'The resource you requested does not exist.',
    });
  });

  it('DeleteFunction answers 204, removes the function, its code and policy, and it stops running', async () => {
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'third',
        StatementId: 's',
        Action: 'lambda:InvokeFunction',
        Principal: '123456789012',
      }),
    );
    const out = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'third' }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    assert.deepEqual(events.at(-1), { kind: 'function', scope: '', id: 'third' });
    await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'third' })), {
      name: 'ResourceNotFoundException',
    });
    assert.equal(existsSync(join(dataDir, 'functions', 'third')), false);
    assert.deepEqual(await store.list('permission', 'third'), []);
    assert.deepEqual(await store.list('code', 'third'), []);
    await waitFor(() => !invoker.has('third'), 30_000, 'the invoker to drop the function');
  });

  it('functions survive a restart: a new node loads them from the store and runs them', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'sallyport-lambda-node2-'));
    try {
      const functions = await loadFunctions(store, otherDir);
      assert.deepEqual(
        functions.map((f) => f.FunctionName),
        ['hello', 'second'],
      );
      const hello = functions[0]!;
      assert.equal(hello.Code.startsWith(join(otherDir, 'functions', 'hello')), true);
      assert.ok(existsSync(join(hello.Code, 'index.js')));
      const node2 = new FunctionsInvoker({
        functions,
        settings: DEFAULT_SETTINGS,
        logger,
        maxThreads: 1,
        workerScript: TSX_WORKER_SCRIPT,
      });
      try {
        const result = await node2.invoke({ functionName: 'hello', event: { n: 2 } });
        assert.deepEqual(JSON.parse(result.payload), { v: 2, got: { n: 2 }, greeting: 'bonjour' });
      } finally {
        await node2.close();
      }
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
