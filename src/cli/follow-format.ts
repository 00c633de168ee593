// How `sallyport logs --follow --format pretty` shows a line: the request log's line (method,
// URL, coloured status, latency, the decision in a few words), then the authorization trace
// indented under it, and the request's execution-log lines.
import type { AuthorizationTrace } from '../observability/authorization-trace.js';
import type { FollowLine } from '../observability/follow-lines.js';

export interface Paint {
  status(status: number, text: string): string;
  dim(text: string): string;
}

const ESC = '\u001b[';
/** ANSI colours (a terminal, and NO_COLOR unset), or none. */
export function paintFor(colour: boolean): Paint {
  if (!colour) return { status: (_s, t) => t, dim: (t) => t };
  const code = (status: number) =>
    status >= 500 ? 31 : status >= 400 ? 33 : status >= 300 ? 36 : 32;
  return {
    status: (s, t) => `${ESC}${code(s)}m${t}${ESC}39m`,
    dim: (t) => `${ESC}90m${t}${ESC}39m`,
  };
}

export function prettyLine(line: FollowLine, paint: Paint): string {
  switch (line.kind) {
    case 'dropped':
      return paint.dim(
        `… ${line.count} lines dropped: this follower read slower than requests came`,
      );
    case 'execution':
      return `    ${paint.dim('│')} ${line.line}`;
    case 'request': {
      const head = `${line.time.slice(11, 19)} ${line.method} ${line.url} ${paint.status(line.status, String(line.status))} ${line.ms} ms`;
      const text = line.detail ? `${head}  ${line.detail}` : head;
      return line.authorization ? `${text}\n${traceLines(line.authorization, paint)}` : text;
    }
  }
}

function traceLines(trace: AuthorizationTrace, paint: Paint): string {
  const parts = [`authorizer ${trace.authorizer} (${trace.type})`];
  if (trace.identity) parts.push(`identity ${trace.identity.join(', ')}`);
  if (trace.cache === 'hit')
    parts.push(
      `cache hit, ${trace.ttlSeconds ?? '?'} s left, issued for ${trace.cachedFor ?? '?'}`,
    );
  else if (trace.cache === 'miss') parts.push(`cache miss, TTL ${trace.ttlSeconds ?? 0} s`);
  if (trace.latencyMs !== undefined) parts.push(`authorizer ${trace.latencyMs} ms`);
  if (trace.methodArn) parts.push(`method ARN ${trace.methodArn}`);
  const lines = [`    ${parts.join('; ')}`];
  for (const s of trace.statements ?? []) {
    const state = !s.applies ? 'does not apply' : s.matched ? 'matches' : 'does not match';
    lines.push(`    Statement[${s.index}] ${s.effect} ${s.resources.join(', ')}: ${state}`);
  }
  lines.push(`    verdict: ${trace.verdict}`);
  return paint.dim(lines.join('\n'));
}
