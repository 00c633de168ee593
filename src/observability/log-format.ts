// The server log's two forms. Apart from logger.ts so commands can offer the choice without
// loading the logger.
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Pretty on a terminal, JSON lines for machines (pipes, files, log shippers). */
export function defaultLogFormat(stream: { isTTY?: boolean } = process.stdout): LogFormat {
  return stream.isTTY ? 'pretty' : 'json';
}
