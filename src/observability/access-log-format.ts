// A stage's access log format (`accessLogSettings.format`): one line per request, with
// `$context` variables replaced by the request's values — only `$context`, no `$input`, no VTL
// directives, as AWS documents. A variable with no value renders as `-`, as in AWS's logs.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-access-logging.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html

/** Values by their name after `$context.` (`identity.sourceIp`, `authorizer.claims.sub`, …). */
export type ContextValues = (name: string) => string | number | boolean | undefined;

export type AccessLogLine = (values: ContextValues) => string;

// `$context.a.b` or `${context.a.b}`-free: AWS's formats use the bare form. Names are letters,
// digits, `_`, `-` and dots; a trailing dot is punctuation, not part of the name.
const VARIABLE = /\$context\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)/g;

/** Splits the format once into literal text and variable names; a line is then one join. */
export function compileAccessLogFormat(format: string): AccessLogLine {
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of format.matchAll(VARIABLE)) {
    literals.push(format.slice(last, match.index));
    names.push(match[1]!);
    last = match.index + match[0].length;
  }
  literals.push(format.slice(last));
  return (values) => {
    let line = literals[0]!;
    for (let i = 0; i < names.length; i++) {
      const value = values(names[i]!);
      line += (value === undefined || value === '' ? '-' : String(value)) + literals[i + 1]!;
    }
    return line;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime`: CLF's `dd/MMM/yyyy:HH:mm:ss +0000`, in UTC. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]!}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}
