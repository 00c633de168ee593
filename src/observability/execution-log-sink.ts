// Where a stage's execution log goes locally (what API Gateway sends to CloudWatch's
// `API-Gateway-Execution-Logs_{restApiId}/{stage}`): a subscriber of `sallyport:execution-log`.
// By default each line is a record of the server's log (`execution`, at info, with the request
// id and the CloudWatch log group it would go to); `serve --execution-log FILE` writes them to a file instead, one line each in
// CloudWatch's export form: `2026-12-02T06:05:09.123Z (request id) Starting execution for …`.
import type { AccessLogSink } from './access-log.js';
import { executionLog, type ExecutionLogLine } from './channels.js';
import { cloudWatchLine } from './execution-log-format.js';
import type { Logger } from './logger.js';

export function startExecutionLog(logger: Logger, file: AccessLogSink | undefined): () => void {
  const listener = (message: unknown) => {
    const m = message as ExecutionLogLine;
    if (file) file.write(cloudWatchLine(m.time, m.requestId, m.line));
    else
      logger.info(
        {
          requestId: m.requestId,
          logGroup: `API-Gateway-Execution-Logs_${m.restApiId}/${m.stage}`,
          line: m.line,
        },
        'execution',
      );
  };
  executionLog.subscribe(listener);
  return () => {
    executionLog.unsubscribe(listener);
    file?.flush();
  };
}
