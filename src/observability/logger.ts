import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured logs, one event per line. Tokens, API keys and signatures are never logged in clear. */
export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
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
    options.destination ?? pino.destination({ sync: false }),
  );
}
