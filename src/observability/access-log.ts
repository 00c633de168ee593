// Access logs: for every stage with `accessLogSettings.format`, one line per request in that
// format (access-log-format.ts), written where `serve --access-log` says — standard output by
// default, or a file that `kill -HUP` reopens for logrotate. A subscriber of the request channel:
// the data plane does not know access logs exist.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-access-logging.html
import { pino } from 'pino';
import type { Stage } from '../model/types.js';
import {
  clfTime,
  compileAccessLogFormat,
  type AccessLogLine,
  type ContextValues,
} from './access-log-format.js';
import { requestAnswered, type RequestAnswered } from './channels.js';

export interface AccessLogSink {
  write(line: string): void;
  /** Reopens a file destination (after logrotate moved it); nothing for standard output. */
  reopen(): void;
  flush(): void;
}

/** `-`: standard output; anything else: a file, appended to, created with its folders. */
export function accessLogSink(destination: string): AccessLogSink {
  const stream =
    destination === '-'
      ? pino.destination({ dest: 1, sync: false })
      : pino.destination({ dest: destination, append: true, mkdir: true, sync: false });
  return {
    write: (line) => stream.write(line + '\n'),
    reopen: () => {
      if (destination !== '-') stream.reopen();
    },
    flush: () => stream.flushSync(),
  };
}

export class AccessLogs {
  readonly #lines = new Map<string, { format: string; line: AccessLogLine }>();
  readonly #sink: AccessLogSink;
  readonly #listener = (message: unknown) => this.#write(message as RequestAnswered);

  constructor(sink: AccessLogSink) {
    this.#sink = sink;
    requestAnswered.subscribe(this.#listener);
  }

  /** A stage was read: start, change or stop its lines as its settings say. */
  configure(stage: Stage): void {
    const key = `${stage.restApiId}\u0000${stage.stageName}`;
    const format = stage.accessLogSettings?.format;
    if (format === undefined) this.#lines.delete(key);
    else if (this.#lines.get(key)?.format !== format)
      this.#lines.set(key, { format, line: compileAccessLogFormat(format) });
  }

  reopen(): void {
    this.#sink.reopen();
  }

  close(): void {
    requestAnswered.unsubscribe(this.#listener);
    this.#sink.flush();
  }

  #write(m: RequestAnswered): void {
    if (m.apiId === undefined || this.#lines.size === 0) return;
    const entry = this.#lines.get(`${m.apiId}\u0000${m.stage ?? ''}`);
    if (entry) this.#sink.write(entry.line(contextValues(m)));
  }
}

/**
 * `$context` as access logs read it. Identity fields that only IAM, Cognito identity pools or
 * client certificates fill stay empty (`-`), as AWS logs them for other callers.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
 */
function contextValues(m: RequestAnswered): ContextValues {
  const note = m.authorization;
  return (name) => {
    switch (name) {
      case 'requestId':
      case 'awsEndpointRequestId':
        return m.requestId;
      case 'extendedRequestId':
        return m.extendedRequestId;
      case 'apiId':
        return m.apiId;
      case 'stage':
        return m.stage;
      case 'domainName':
        return m.domainName;
      case 'domainPrefix':
        return m.domainName?.split('.', 1)[0];
      case 'httpMethod':
        return m.method;
      case 'resourcePath':
        return m.resourcePath;
      case 'path':
        return m.url.split('?', 1)[0];
      case 'protocol':
        return m.protocol;
      case 'status':
        return m.status;
      case 'responseLength':
        return m.responseLength;
      case 'responseLatency':
        return m.latencyMs;
      case 'integrationLatency':
      case 'integration.latency':
        return m.integrationLatencyMs === undefined
          ? undefined
          : Math.round(m.integrationLatencyMs);
      case 'requestTime':
        return clfTime(m.requestTimeEpoch);
      case 'requestTimeEpoch':
        return m.requestTimeEpoch;
      case 'identity.sourceIp':
        return m.sourceIp;
      case 'identity.userAgent':
        return m.userAgent;
      case 'error.message':
        return m.error?.message ?? undefined;
      case 'error.messageString':
        return m.error?.message == null ? undefined : JSON.stringify(m.error.message);
      case 'error.responseType':
        return m.error?.type;
      case 'authorizer.principalId':
        return note?.principalId;
      case 'authorizer.latency':
      case 'authorizer.integrationLatency':
        return note?.latencyMs;
      case 'authorizer.status':
        return note ? authorizerStatus(m) : undefined;
    }
    if (name.startsWith('authorizer.claims.')) {
      const claim = note?.claims?.[name.slice('authorizer.claims.'.length)];
      return typeof claim === 'string' || typeof claim === 'number' || typeof claim === 'boolean'
        ? claim
        : undefined;
    }
    if (name.startsWith('authorizer.')) return note?.context?.[name.slice('authorizer.'.length)];
    return undefined;
  };
}

/** The status the authorizer step ended with: 200 when it let the request through. */
function authorizerStatus(m: RequestAnswered): number {
  switch (m.error?.type) {
    case 'UNAUTHORIZED':
    case 'EXPIRED_TOKEN':
      return 401;
    case 'ACCESS_DENIED':
      return 403;
    case 'AUTHORIZER_CONFIGURATION_ERROR':
    case 'AUTHORIZER_FAILURE':
      return 500;
    default:
      return 200;
  }
}
