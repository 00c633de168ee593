// A request's execution log: the lines API Gateway writes to CloudWatch for a stage whose
// methodSettings say `loggingLevel` ERROR or INFO, `dataTraceEnabled` adding headers and bodies.
// The level is read once per deployment (compile.ts); a method at OFF, or a gateway nobody
// listens to, gets no trace at all, so the steps' `request.executionLog?.…` is the whole cost.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
import { methodSettingFor, type MethodSetting } from '../model/usage-plans.js';
import { executionLog, type ExecutionLogLine } from '../observability/channels.js';
import { maskSecret, truncateLine } from '../observability/execution-log-format.js';

/** A method's logging, as deployed; undefined is OFF. */
export interface ExecutionLogLevel {
  /** INFO: the whole narrative; ERROR: only what went wrong. */
  readonly info: boolean;
  /** dataTraceEnabled: request and response headers and bodies. */
  readonly dataTrace: boolean;
}

export interface ExecutionTrace {
  readonly info: boolean;
  readonly data: boolean;
  /** Whether an error line was written: at ERROR the request then ends with its status line. */
  readonly failed: boolean;
  /** An INFO line. */
  line(message: string): void;
  /** An ERROR line: written at ERROR and at INFO. */
  error(message: string): void;
  /** A value never written whole (token, API key): masked wherever a line holds it. */
  secret(value: string): void;
}

/**
 * The method's own methodSettings entry (`{path without leading /}/{METHOD}`), else the stage's
 * `*\/*`, as AWS resolves every method setting.
 */
export function executionLogLevel(
  settings: Readonly<Record<string, MethodSetting>> | undefined,
  resourcePath: string,
  httpMethod: string,
): ExecutionLogLevel | undefined {
  const setting = methodSettingFor(settings, resourcePath, httpMethod);
  // AWS leaves loggingLevel out until it is set: logging off.
  if (!setting?.loggingLevel || setting.loggingLevel === 'OFF') return undefined;
  return { info: setting.loggingLevel === 'INFO', dataTrace: setting.dataTraceEnabled };
}

class Trace implements ExecutionTrace {
  readonly info: boolean;
  readonly data: boolean;
  failed = false;
  readonly #write: (line: string) => void;
  readonly #secrets: string[] = [];

  constructor(level: ExecutionLogLevel, write: (line: string) => void) {
    this.info = level.info;
    this.data = level.dataTrace;
    this.#write = write;
  }

  line(message: string): void {
    if (this.info) this.#write(this.#masked(message));
  }

  error(message: string): void {
    this.failed = true;
    this.#write(this.#masked(message));
  }

  secret(value: string): void {
    if (value.length > 0 && !this.#secrets.includes(value)) this.#secrets.push(value);
  }

  #masked(message: string): string {
    let text = message;
    for (const secret of this.#secrets) {
      // A short value would also mask ordinary words: only its JSON string form is masked (the
      // events and bodies); header maps mask such values by name.
      const whole = secret.length >= 8 ? secret : JSON.stringify(secret);
      if (text.includes(whole))
        text = text
          .split(whole)
          .join(secret.length >= 8 ? maskSecret(secret) : `"${maskSecret(secret)}"`);
    }
    return truncateLine(text);
  }
}

/** A data-plane request's trace, published on `sallyport:execution-log` line by line. */
export function openTrace(
  level: ExecutionLogLevel,
  at: { requestId: string; restApiId: string; stage: string },
  now: () => number,
): ExecutionTrace | undefined {
  if (!executionLog.hasSubscribers) return undefined;
  return new Trace(level, (line) =>
    executionLog.publish({ ...at, time: now(), line } satisfies ExecutionLogLine),
  );
}

/** The console's test: every line (INFO with data trace), handed to `push`. */
export function collectingTrace(push: (line: string) => void): ExecutionTrace {
  return new Trace({ info: true, dataTrace: true }, push);
}
