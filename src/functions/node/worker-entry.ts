// The file each worker thread runs: one warm Lambda execution environment. It takes invocations
// from its parentPort and answers on the same port, after the invocation's log lines, so the
// result never overtakes them. It loads the
// handler on its first invocation (the init phase), then runs one invocation at a time with the
// runtime's semantics: async or callback handlers, the first completion wins, the result is
// JSON-serialised once here, errors become Lambda error documents here (a thrown error's class
// and custom name would not survive the thread boundary).
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { functionTraceHeader } from '../trace-header.js';
import { MAX_RESPONSE_PAYLOAD_BYTES, responseTooLargeErrorDocument } from '../platform-errors.js';
import { EventNotJsonError } from '../invoker.js';
import { handlerEvent } from './handler-event.js';
import { loadHandler, type LambdaHandler } from './handler-loader.js';
import { environmentContext } from './lambda-context.js';
import { formatErrorForLog, RuntimeError, toErrorDocument } from './lambda-errors.js';
import { runHandler } from './run-handler.js';
import { patchConsole, type LogScope } from './worker-console.js';
import { resultMessage } from './worker-protocol.js';
import type {
  FatalMessage,
  InitializedMessage,
  InvokeMessage,
  InvokeOutcome,
  InvokeTask,
  PendingTask,
  RefusedMessage,
  WorkerSettings,
} from './worker-protocol.js';

const settings = workerData as WorkerSettings;
const port = parentPort!;

// One log stream per execution environment: `YYYY/MM/DD/[$LATEST]<32 hex>`.
const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[${settings.functionVersion}]${randomBytes(16).toString('hex')}`;
process.env.AWS_LAMBDA_LOG_STREAM_NAME = logStreamName;
const environment = environmentContext(settings, logStreamName);

const scope: LogScope = { printedRequestId: undefined, requestId: '', lines: 0 };
patchConsole(port, scope);

let handler: LambdaHandler | undefined;
let maxMemoryUsedMB = 0;

// As the runtime does: an uncaught exception or unhandled rejection is logged, posted as the
// current invocation's error, and ends the environment (exit 129 / 128); the pool replaces it.
process.on('uncaughtException', (error) => die('Uncaught Exception', error, 129));
process.on('unhandledRejection', (reason) => {
  // The runtime builds this error with `new Error(reason)`, hence the message `String(reason)`.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const message = reason === undefined ? '' : String(reason);
  const error = new RuntimeError('UnhandledPromiseRejection', message);
  Object.assign(error, { reason });
  die('Unhandled Promise Rejection', error, 128);
});

function die(label: string, error: unknown, exitCode: number): never {
  console.error(label, formatErrorForLog(error));
  const message: FatalMessage = {
    kind: 'fatal',
    requestId: scope.requestId,
    error: toErrorDocument(error),
  };
  port.postMessage(message);
  process.exit(exitCode);
}

// The pool may send the next invocations before this one ends (so this thread never waits for a
// wake-up between two); they still run strictly one at a time, in order, as on Lambda.
const waiting: InvokeMessage[] = [];
let running = false;
port.on('message', (message: InvokeMessage | InvokeMessage[]) => {
  if (Array.isArray(message)) waiting.push(...message);
  else waiting.push(message);
  if (!running) void runWaiting();
});

async function runWaiting(): Promise<void> {
  running = true;
  for (let next = waiting.shift(); next !== undefined; next = waiting.shift()) {
    const { requestId, timeoutMs } = next;
    let event: unknown;
    try {
      event = handlerEvent(next);
    } catch (error) {
      // Only JSON text is refused; any other failure is this runtime's own bug, and fatal.
      if (!(error instanceof EventNotJsonError)) throw error;
      const refused: RefusedMessage = { kind: 'refused', requestId, reason: error.reason };
      port.postMessage(refused);
      continue;
    }
    // The runtime sets it per invocation, for the X-Ray SDK and for code that logs it.
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
    process.env._X_AMZN_TRACE_ID = next.traceId ?? functionTraceHeader();
    const outcome = await invoke({ requestId, event, timeoutMs });
    port.postMessage(resultMessage(requestId, outcome));
  }
  running = false;
}

async function invoke(pending: PendingTask): Promise<InvokeOutcome> {
  scope.requestId = pending.requestId;
  scope.lines = 0;
  let initDurationMs: number | undefined;
  if (handler === undefined) {
    scope.printedRequestId = undefined;
    const initStarted = performance.now();
    try {
      handler = await loadHandler(settings.taskRoot, settings.handler);
    } catch (error) {
      die('Uncaught Exception', error, 129);
    }
    initDurationMs = performance.now() - initStarted;
    const initialized: InitializedMessage = { kind: 'initialized', requestId: pending.requestId };
    port.postMessage(initialized);
  }
  // The deadline counts from the moment the handler really starts: init has its own budget.
  const task: InvokeTask = {
    requestId: pending.requestId,
    event: pending.event,
    deadline: Date.now() + pending.timeoutMs,
  };
  scope.printedRequestId = task.requestId;

  const started = performance.now();
  const settled = await runHandler(handler, environment, task);
  const durationMs = performance.now() - started;

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
  const outcome: InvokeOutcome = { payload: '', logLines: 0, durationMs, maxMemoryUsedMB: 0 };
  if (payload !== undefined && exceedsResponseLimit(payload)) {
    // Lambda's 6 MB synchronous response quota, as the Runtime API path enforces it.
    outcome.error = responseTooLargeErrorDocument();
    outcome.payload = JSON.stringify(outcome.error);
  } else if (payload !== undefined) {
    outcome.payload = payload;
  } else {
    console.error('Invoke Error', formatErrorForLog(failure));
    outcome.error = toErrorDocument(failure);
    outcome.payload = JSON.stringify(outcome.error);
  }
  if (initDurationMs !== undefined) outcome.initDurationMs = initDurationMs;
  outcome.logLines = scope.lines;
  outcome.maxMemoryUsedMB = memoryUsedMB();
  return outcome;
}

/** UTF-8 takes 1 to 3 bytes per UTF-16 unit: most payloads are judged without counting. */
function exceedsResponseLimit(payload: string): boolean {
  if (payload.length > MAX_RESPONSE_PAYLOAD_BYTES) return true;
  if (payload.length * 3 <= MAX_RESPONSE_PAYLOAD_BYTES) return false;
  return Buffer.byteLength(payload) > MAX_RESPONSE_PAYLOAD_BYTES;
}

/** The environment's high-water mark of its own V8 heap, in MB, as REPORT's Max Memory Used. */
function memoryUsedMB(): number {
  const heap = getHeapStatistics();
  const used = Math.ceil((heap.used_heap_size + heap.external_memory) / (1024 * 1024));
  if (used > maxMemoryUsedMB) maxMemoryUsedMB = used;
  return maxMemoryUsedMB;
}
