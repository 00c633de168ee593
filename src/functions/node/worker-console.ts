// Inside a worker: console.* becomes Lambda's text log format, one line per call, posted to the
// main thread immediately (not buffered), so lines written before a hang or a crash survive.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
// Levels and line shape follow aws-lambda-nodejs-runtime-interface-client (src/LogPatch.js):
// `<ISO time>\t<request id>\t<LEVEL>\t<util.format(...)>`, request id `undefined` during init.
import { format } from 'node:util';
import type { MessagePort } from 'node:worker_threads';
import type { LogMessage } from './worker-protocol.js';

/** Which invocation the next line belongs to, and how many lines it has had. */
export interface LogScope {
  /** Printed in the line; `undefined` while the handler module loads, as on Lambda. */
  printedRequestId: string | undefined;
  /** The invocation the line is delivered to. */
  requestId: string;
  lines: number;
}

export function patchConsole(port: MessagePort, scope: LogScope): void {
  const post = (line: string) => {
    scope.lines++;
    const message: LogMessage = { kind: 'log', requestId: scope.requestId, line };
    port.postMessage(message);
  };
  const writer =
    (level: string) =>
    (...args: unknown[]): void => {
      post(`${new Date().toISOString()}\t${scope.printedRequestId}\t${level}\t${format(...args)}`);
    };
  const info = writer('INFO');
  Object.assign(console, {
    trace: writer('TRACE'),
    debug: writer('DEBUG'),
    info,
    log: info,
    warn: writer('WARN'),
    error: writer('ERROR'),
    fatal: writer('FATAL'),
  });

  // Raw writes reach the log as they are, without the prefix, as on Lambda.
  const rawWrite = (chunk: unknown, encoding?: unknown, done?: unknown): boolean => {
    const text =
      typeof chunk === 'string'
        ? chunk
        : Buffer.from(chunk as Uint8Array).toString(
            typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
          );
    const line = text.endsWith('\n') ? text.slice(0, -1) : text;
    if (line !== '') post(line);
    const callback = typeof encoding === 'function' ? encoding : done;
    if (typeof callback === 'function') queueMicrotask(callback as () => void);
    return true;
  };
  process.stdout.write = rawWrite;
  process.stderr.write = rawWrite;
}
