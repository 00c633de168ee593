// The log as a person reads it on a terminal: one coloured line per request, the function's own
// output with the function's name, everything else as `LEVEL message key=value`.
// pino-pretty does the formatting; this file only says what a line shows.
import { PinoPretty, type MessageFormatFunc } from 'pino-pretty';

/** Fields the request line and the function lines show in their own words. */
const SHOWN_IN_MESSAGE = 'requestId,method,url,status,ms,detail,functionName,line,logGroup';

type Colors = Parameters<MessageFormatFunc>[3]['colors'];

function statusColour(status: number, colors: Colors): (text: string) => string {
  if (status >= 500) return colors.red;
  if (status >= 400) return colors.yellow;
  if (status >= 300) return colors.cyan;
  return colors.green;
}

export function prettyStream(options: { colorize: boolean; destination?: NodeJS.WritableStream }) {
  return PinoPretty({
    colorize: options.colorize,
    translateTime: 'SYS:HH:MM:ss',
    ignore: `pid,hostname,${SHOWN_IN_MESSAGE}`,
    singleLine: true,
    sync: true,
    destination: options.destination ?? 1,
    messageFormat: (log, messageKey, _level, { colors }) => {
      const raw = log[messageKey];
      const message = typeof raw === 'string' ? raw : JSON.stringify(raw ?? '');
      if (message === 'request' && typeof log.status === 'number') {
        const status = statusColour(log.status, colors)(String(log.status));
        const detail = typeof log.detail === 'string' ? `  ${log.detail}` : '';
        return `${String(log.method)} ${String(log.url)} ${status} ${String(log.ms)} ms${detail}`;
      }
      // An execution-log line: `(request id) line`, as CloudWatch shows it.
      if (message === 'execution' && typeof log.line === 'string')
        return `${colors.gray(`(${String(log.requestId)})`)} ${log.line}`;
      if (typeof log.functionName === 'string')
        return `${colors.gray(`[${log.functionName}]`)} ${message}`;
      return message;
    },
  });
}
