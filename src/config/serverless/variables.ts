// serverless.yml's `${source:address, fallback}` variables, resolved as the Serverless Framework
// resolves them: innermost first, a whole-value variable keeps its type, a fallback is used when
// the source has no value. https://www.serverless.com/framework/docs/providers/aws/guide/variables
import type { Path } from '../source/located-yaml.js';

export interface VariableSources {
  /** The whole serverless.yml, for `${self:…}`. */
  self: unknown;
  env: Record<string, string | undefined>;
  /** `${opt:…}`: the command-line options (stage, region). */
  options: Record<string, string>;
  /** `${sls:stage}` and `${aws:region}` / `${aws:accountId}`. */
  stage: () => string;
  region: () => string;
  accountId: string;
  fail(path: Path, message: string): never;
}

// `${` not followed by AWS:: (CloudFormation's own Fn::Sub syntax) or stageVariables.
const START = /^\$\{(?!AWS::|stageVariables\.)/;
/** Sources that exist on AWS but cannot be read on this machine; a fallback is used if given. */
const REMOTE_SOURCES = new Set(['ssm', 'cf', 's3', 'aws:cf', 'sls:instanceId']);

export function resolveVariables(
  value: unknown,
  sources: VariableSources,
  path: Path,
  depth = 0,
): unknown {
  if (depth > 20)
    sources.fail(path, 'variables nest too deeply (a ${self:…} that refers to itself?)');
  if (typeof value === 'string') return resolveString(value, sources, path, depth);
  if (Array.isArray(value))
    return value.map((v, i) => resolveVariables(v, sources, [...path, i], depth));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = resolveVariables(v, sources, [...path, k], depth);
    return out;
  }
  return value;
}

function resolveString(text: string, sources: VariableSources, path: Path, depth: number): unknown {
  let current = text;
  for (;;) {
    const found = innermost(current);
    if (!found) return current;
    const { start, end } = found;
    const resolved = resolveExpression(current.slice(start + 2, end), sources, path, depth);
    // The whole string was one variable: its value keeps its type (a number, a mapping).
    if (start === 0 && end === current.length - 1) {
      return typeof resolved === 'string'
        ? resolveString(resolved, sources, path, depth + 1)
        : resolved;
    }
    if (typeof resolved === 'object' && resolved !== null)
      sources.fail(
        path,
        `\${${current.slice(start + 2, end)}} is a mapping or list inside a string`,
      );
    current = current.slice(0, start) + String(resolved) + current.slice(end + 1);
  }
}

/** The first `${…}` holding no other `${`, so nested variables resolve from the inside out. */
export function innermost(text: string): { start: number; end: number } | undefined {
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{' && START.test(text.slice(i, i + 32))) start = i;
    else if (text[i] === '}' && start >= 0) return { start, end: i };
  }
  return undefined;
}

/** `source:address, fallback, …`: the first part with a value wins. */
function resolveExpression(
  expression: string,
  sources: VariableSources,
  path: Path,
  depth: number,
): unknown {
  const parts = splitTopLevel(expression);
  for (const [i, part] of parts.entries()) {
    const value = resolvePart(part.trim(), sources, path, depth, i < parts.length - 1);
    if (value !== undefined && value !== null) return value;
  }
  return sources.fail(
    path,
    `\${${expression}} has no value (add a fallback: \${${parts[0]!.trim()}, 'default'})`,
  );
}

function splitTopLevel(expression: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let current = '';
  for (const ch of expression) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ',') {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function resolvePart(
  part: string,
  sources: VariableSources,
  path: Path,
  depth: number,
  hasFallback: boolean,
): unknown {
  const quoted = /^(['"])(.*)\1$/s.exec(part);
  if (quoted) return quoted[2];
  if (/^-?\d+(\.\d+)?$/.test(part)) return Number(part);
  if (part === 'true' || part === 'false') return part === 'true';
  if (part.startsWith('file('))
    sources.fail(
      path,
      `\${${part}}: file() variables are not read by Sallyport: put the values in custom`,
    );
  const colon = part.indexOf(':');
  if (colon < 0)
    sources.fail(path, `\${${part}}: expected source:address (self:, env:, opt:, sls:, aws:)`);
  const source = part.slice(0, colon);
  const address = part.slice(colon + 1);
  switch (source) {
    case 'self':
      return selfValue(sources, address, path, depth);
    case 'env':
      return sources.env[address];
    case 'opt':
      return sources.options[address];
    case 'sls':
      if (address === 'stage') return sources.stage();
      break;
    case 'aws':
      if (address === 'region') return sources.region();
      if (address === 'accountId') return sources.accountId;
      break;
  }
  if (REMOTE_SOURCES.has(source) || REMOTE_SOURCES.has(part.split(':').slice(0, 2).join(':'))) {
    if (hasFallback) return undefined;
    sources.fail(
      path,
      `\${${part}} is read from AWS, which a local gateway does not do: add a fallback (\${${part}, 'local value'})`,
    );
  }
  return sources.fail(path, `\${${part}}: unknown variable source "${source}"`);
}

function selfValue(sources: VariableSources, address: string, path: Path, depth: number): unknown {
  let value: unknown = sources.self;
  for (const key of address.split('.').filter(Boolean)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return resolveVariables(value, sources, path, depth + 1);
}
