// Node.js in its own process (`Isolation: process`): a small runtime that speaks the Lambda
// Runtime API, with the same handler loader, context and error documents as the worker threads.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
import { format } from 'node:util';
import { loadHandler, type LambdaHandler } from './handler-loader.js';
import { environmentContext } from './lambda-context.js';
import { formatErrorForLog, RuntimeError, toErrorDocument } from './lambda-errors.js';
import { runHandler } from './run-handler.js';
import { RuntimeApiClient, type Answer } from './runtime-api-client.js';

const client = new RuntimeApiClient(process.env.AWS_LAMBDA_RUNTIME_API ?? '');

/** The POST of an error document to `path` (`/init/error`, `/invocation/{id}/error`). */
function errorRequest(path: string, error: unknown): string {
  const document = toErrorDocument(error);
  // A header value is one line of printable text: an error name is the user's to choose.
  const errorType = String(document.errorType).replace(/[^\t\x20-\x7e]/g, '');
  return client.post(
    path,
    JSON.stringify(document),
    `Lambda-Runtime-Function-Error-Type: ${errorType}\r\n`,
  );
}

// Lambda's text log format: `<ISO time>\t<request id>\t<LEVEL>\t<message>`, `undefined` during init.
let currentRequestId: string | undefined;
const writer =
  (level: string) =>
  (...args: unknown[]): void => {
    const line = `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}`;
    // One line per call, whatever the message holds: newlines are escaped as CloudWatch shows them.
    process.stdout.write(line.replaceAll('\n', '\r') + '\n');
  };
Object.assign(console, {
  trace: writer('TRACE'),
  debug: writer('DEBUG'),
  info: writer('INFO'),
  log: writer('INFO'),
  warn: writer('WARN'),
  error: writer('ERROR'),
  fatal: writer('FATAL'),
});

async function die(label: string, error: unknown, exitCode: number): Promise<never> {
  console.error(label, formatErrorForLog(error));
  const path =
    currentRequestId === undefined ? '/init/error' : `/invocation/${currentRequestId}/error`;
  await client.send(errorRequest(path, error))[0]!.catch(() => undefined);
  process.exit(exitCode);
}

process.on('uncaughtException', (error) => void die('Uncaught Exception', error, 129));
process.on('unhandledRejection', (reason) => {
  // The runtime builds this error with `new Error(reason)`, hence the message `String(reason)`.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const message = reason === undefined ? '' : String(reason);
  const error = new RuntimeError('UnhandledPromiseRejection', message);
  Object.assign(error, { reason });
  void die('Unhandled Promise Rejection', error, 128);
});

async function main(): Promise<void> {
  const environment = environmentContext(
    {
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? '',
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
      handler: process.env._HANDLER ?? '',
      taskRoot: process.env.LAMBDA_TASK_ROOT ?? process.cwd(),
      memorySize: Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 128),
      invokedFunctionArn: '',
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    },
    process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
  );
  let handler: LambdaHandler;
  try {
    handler = await loadHandler(
      process.env.LAMBDA_TASK_ROOT ?? process.cwd(),
      process.env._HANDLER ?? '',
    );
  } catch (error) {
    return die('Uncaught Exception', error, 129);
  }
  let nextAnswer = client.send(client.next())[0]!;
  for (;;) {
    let next: Answer;
    try {
      next = await nextAnswer;
    } catch {
      process.exit(0); // the gateway stopped this environment
    }
    const requestId = String(next.headers['lambda-runtime-aws-request-id']);
    currentRequestId = requestId;
    const traceId = next.headers['lambda-runtime-trace-id'];
    if (typeof traceId === 'string') process.env._X_AMZN_TRACE_ID = traceId;
    const task = {
      requestId,
      event: JSON.parse(next.body) as unknown,
      deadline: Number(next.headers['lambda-runtime-deadline-ms']),
    };
    const settled = await runHandler(
      handler,
      {
        ...environment,
        invokedFunctionArn: String(next.headers['lambda-runtime-invoked-function-arn']),
      },
      task,
    );
    let payload: string | undefined;
    let failure: unknown;
    if (settled.ok) {
      try {
        payload = JSON.stringify(settled.value === undefined ? null : settled.value) ?? 'null';
      } catch {
        failure = new Error('Unable to stringify response body');
      }
    } else {
      failure = settled.error;
    }
    let result: string;
    if (payload !== undefined) {
      result = client.post(`/invocation/${requestId}/response`, payload);
    } else {
      console.error('Invoke Error', formatErrorForLog(failure));
      result = errorRequest(`/invocation/${requestId}/error`, failure);
    }
    // The result and the next `next` in one write; the result's 202 needs nothing from us.
    const [accepted, following] = client.send(result, client.next());
    accepted!.catch(() => undefined);
    nextAnswer = following!;
  }
}

void main();
