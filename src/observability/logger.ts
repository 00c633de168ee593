import { pino, type Logger } from 'pino';
import { isColorSupported } from 'pino-pretty';
import type { LogFormat } from './log-format.js';
import { prettyStream } from './pretty.js';

export type { Logger };
export { defaultLogFormat, LOG_FORMATS, type LogFormat } from './log-format.js';

/** Structured logs, one event per line. Tokens, API keys and signatures are never logged in clear. */
export function createLogger(
  options: { level?: string; format?: LogFormat; destination?: NodeJS.WritableStream } = {},
): Logger {
  const format = options.format ?? 'json';
  return pino(
    {
      level: options.level ?? process.env.SALLYPORT_LOG_LEVEL ?? 'info',
      base: undefined,
      redact: {
        paths: [
          'headers.authorization',
          'headers.Authorization',
          'token',
          'apiKey',
          'headers["x-api-key"]',
          '*.authorizationToken',
        ],
        censor: '[redacted]',
      },
    },
    format === 'pretty'
      ? prettyStream({
          colorize: isColorSupported,
          ...(options.destination && { destination: options.destination }),
        })
      : (options.destination ?? pino.destination({ sync: false })),
  );
}
