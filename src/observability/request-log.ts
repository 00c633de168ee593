// The request log: one line per answered request — method, URL, status, latency and, for methods
// with an authorizer, the authorization outcome in a few words (authorization-summary.ts). At
// info level; answers the gateway gave in its own name with a 5xx at warn, so `--log-level warn`
// still shows what an operator must fix. On a terminal, pretty.ts turns the line into colour.
import type { Logger } from './logger.js';
import { describeAuthorization } from './authorization-summary.js';
import { requestAnswered, type RequestAnswered } from './channels.js';

export interface RequestLogLine {
  requestId: string;
  method: string;
  url: string;
  status: number;
  ms: number;
  /** The authorization outcome, or why the gateway answered on its own. */
  detail?: string;
}

export function startRequestLog(logger: Logger, now: () => number = Date.now): () => void {
  const listener = (message: unknown) => {
    const m = message as RequestAnswered;
    const level = m.status >= 500 && m.error ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const line: RequestLogLine = {
      requestId: m.requestId,
      method: m.method,
      url: m.url,
      status: m.status,
      ms: m.latencyMs,
    };
    const detail = describeAuthorization(m, now()) ?? gatewayAnswer(m);
    if (detail !== undefined) line.detail = detail;
    logger[level](line, 'request');
  };
  requestAnswered.subscribe(listener);
  return () => requestAnswered.unsubscribe(listener);
}

/** A gateway response that did not come from authorization: its message, and the reason if logged. */
export function gatewayAnswer(m: Pick<RequestAnswered, 'error'>): string | undefined {
  if (!m.error) return undefined;
  const said = m.error.message ?? m.error.type;
  // An error that words its own log line (`Execution failed due to configuration error: …`).
  if (m.error.logMessage !== said) return m.error.logMessage;
  return m.error.reason ? `${said}: ${m.error.reason}` : said;
}
