// The execution log TestInvokeMethod and TestInvokeAuthorizer return, in the console's format:
// "Execution log for request {id}" then one "{Java Date.toString() in UTC} : {message}" per line
// (api-gateway-create-api-as-simple-proxy-for-lambda.html shows one). It is the data plane's own
// execution trace (gateway/execution-trace.ts), always at INFO with data trace, as the console's
// test is, collected instead of published.
import { collectingTrace, type ExecutionTrace } from '../../gateway/execution-trace.js';
import { javaDate } from '../../observability/execution-log-format.js';

export class ExecutionLog {
  readonly #lines: string[] = [];
  readonly trace: ExecutionTrace;

  constructor(now: () => number) {
    this.trace = collectingTrace((line) => this.#lines.push(`${javaDate(now())} : ${line}`));
  }

  line(message: string): void {
    this.trace.line(message);
  }

  text(requestId: string): string {
    return [`Execution log for request ${requestId}`, ...this.#lines, ''].join('\n');
  }
}
