// Shared setup for the function-plane tests: fixture configs and a capturing logger.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { FunctionsInvoker } from '../../../src/functions/functions-invoker.js';
import type { InvokeResult } from '../../../src/functions/invoker.js';
import type { FunctionConfig, Settings } from '../../../src/model/types.js';
import { createLogger, type Logger } from '../../../src/observability/logger.js';
import { TSX_WORKER_SCRIPT } from './tsx-worker-script.js';

export const fixtures = fileURLToPath(new URL('../../fixtures/functions/', import.meta.url));
export const settings: Settings = { region: 'eu-west-1', accountId: '123456789012' };

export function fn(
  name: string,
  folder: string,
  handler: string,
  overrides: Partial<FunctionConfig> = {},
): FunctionConfig {
  return {
    FunctionName: name,
    Runtime: 'nodejs20.x',
    Handler: handler,
    Code: join(fixtures, folder),
    Timeout: 3,
    MemorySize: 128,
    Environment: { Variables: {} },
    ...overrides,
  };
}

export interface LogRecord {
  functionName: string;
  requestId: string;
  msg: string;
}

/** A logger whose records land in an array, synchronously. */
export function capturingLogger() {
  const records: LogRecord[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) records.push(JSON.parse(line) as LogRecord);
      }
      done();
    },
  });
  // Debug: START, END and REPORT are debug lines, and these tests read them.
  return { logger: createLogger({ destination, level: 'debug' }), records };
}

export function payloadOf(result: InvokeResult): unknown {
  return JSON.parse(result.payload) as unknown;
}

/** The one Invoker, over these (Node.js) functions in worker threads, run from the sources. */
export function threadsInvoker(functions: FunctionConfig[], logger: Logger, maxThreads = 1) {
  return new FunctionsInvoker({
    functions,
    settings,
    logger,
    maxThreads,
    workerScript: TSX_WORKER_SCRIPT,
  });
}
