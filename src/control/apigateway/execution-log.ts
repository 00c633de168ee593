// The execution log TestInvokeMethod and TestInvokeAuthorizer return, in the console's format:
// "Execution log for request {id}" then one "{Java Date.toString() in UTC} : {message}" per line.
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

export function javaDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]!} ${MONTHS[d.getUTCMonth()]!} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export class ExecutionLog {
  readonly #now: () => number;
  readonly #lines: string[] = [];

  constructor(now: () => number) {
    this.#now = now;
  }

  line(message: string): void {
    this.#lines.push(`${javaDate(this.#now())} : ${message}`);
  }

  text(requestId: string): string {
    return [`Execution log for request ${requestId}`, ...this.#lines, ''].join('\n');
  }
}
