// Node.js in its own process (`Isolation: process`): a small runtime that speaks the Lambda
// Runtime API, with the same handler loader, context and error documents as the worker threads.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
import { Agent, request } from 'node:http';
import { format } from 'node:util';
import { loadHandler, type LambdaHandler } from './handler-loader.js';
import { environmentContext } from './lambda-context.js';
import { formatErrorForLog, RuntimeError, toErrorDocument } from './lambda-errors.js';
import { runHandler } from './run-handler.js';

const API = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(`${API}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function postError(path: string, error: unknown): Promise<Answer> {
  const document = toErrorDocument(error);
  return call('POST', path, JSON.stringify(document), {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Function-Error-Type': document.errorType,
  });
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
  await postError(path, error).catch(() => undefined);
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
  for (;;) {
    let next: Answer;
    try {
      next = await call('GET', '/invocation/next');
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
    if (payload !== undefined) {
      await call('POST', `/invocation/${requestId}/response`, payload, {
        'Content-Type': 'application/json',
      });
    } else {
      console.error('Invoke Error', formatErrorForLog(failure));
      await postError(`/invocation/${requestId}/error`, failure);
    }
  }
}

void main();
