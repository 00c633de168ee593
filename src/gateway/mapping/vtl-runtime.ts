// What a compiled template calls while it renders (vtl-compiler.ts emits the calls): the parts of
// velocityjs's evaluation that are the same for every template — Java method dispatch, the
// prototype guard of `#set`, list and map printing, ranges — written once here, so the generated
// source holds only the template's own shape. Each function is velocityjs's behaviour as the
// interpreter (vtl.ts, vtl-references.ts) has it; the compiler's property test holds them equal.
import { JAVA_METHODS } from './java-compat.js';
import { budgetExceeded, outputTooLarge, RENDER_LIMITS, rangeTooLong } from './vtl-budget.js';
import { blocked, methodHandlers, type Handler } from './vtl-references.js';

/** The locals of one `#foreach`, in velocityjs's list of scopes (`conditions`, innermost first). */
interface Scope {
  vars: Record<string, unknown>;
}

/** One render's state: the root variables, the scopes, the budget spent. */
export class RenderState {
  steps = 0;
  readonly conditions: Scope[] = [];
  current: Scope | undefined;
  constructor(readonly context: Record<string, unknown>) {}
}

export const HANDLERS = methodHandlers(JAVA_METHODS);

/** `$x.name(args)` answered by the first Java handler that matches, else the object's own. */
function dispatch(
  handlers: readonly Handler[],
  name: string,
  base: unknown,
  params: unknown[],
  where: MethodSite,
): unknown {
  const call = { property: name, params, context: base };
  for (const handler of handlers) if (handler.match(call)) return handler.resolve(call) as unknown;
  const fn = (base as Record<string, unknown>)[name];
  if (typeof fn !== 'function') return undefined;
  try {
    return (fn as (...a: unknown[]) => unknown).apply(base, params);
  } catch (error) {
    throw annotate(error, where);
  }
}

/** Where a method is called, for the message of an error it throws (velocityjs's wording). */
export interface MethodSite {
  ref: string;
  name: string;
  line: number | undefined;
  column: number | undefined;
}

function annotate(error: unknown, { ref, name, line, column }: MethodSite): unknown {
  if (error instanceof Error) error.message += ` on $${ref}…${name}() at L/N ${line}:${column}`;
  return error;
}

/** Java arithmetic: `/` between two integers is integer division (`5 / 2` is 2). */
function divide(x: unknown, y: unknown): number {
  const quotient = Number(x) / Number(y);
  return Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(quotient) : quotient;
}

/** `[a..b]` once its bounds are read: its length checked first (AWS's 1000), then built. */
function checkRange(from: number, to: number): void {
  if (Math.abs(to - from) >= RENDER_LIMITS.rangeLength) throw rangeTooLong(from, to);
}
function range(begin: number, end: number): number[] {
  if (Number.isNaN(begin) || Number.isNaN(end)) return [];
  const out: number[] = [];
  if (begin < end) for (let i = begin; i <= end; i++) out.push(i);
  else for (let i = begin; i >= end; i--) out.push(i);
  return out;
}

/** velocityjs's prototype guard for #set paths (compile/prototype-guard.ts). */
function isBlockedKey(base: unknown, key: string, isEnd = false): boolean {
  if (key === '__proto__') return true;
  if (key === 'prototype' && typeof base === 'function') return true;
  return (
    !isEnd &&
    (key === 'constructor' || key === 'prototype') &&
    !(
      (typeof base === 'object' || typeof base === 'function') &&
      base !== null &&
      Object.prototype.hasOwnProperty.call(base, key)
    )
  );
}

interface SetPath {
  blocked: boolean;
  rootRef?: unknown;
  shouldSetRoot?: boolean;
  baseRef?: unknown;
  key?: string;
}

/** velocityjs's resolveSetPath, as it is. */
function resolveSetPath(context: Record<string, unknown>, id: string, keys: string[]): SetPath {
  if (keys.length === 0) return { blocked: isBlockedKey(context, id, true) };
  if (isBlockedKey(context, id, false)) return { blocked: true };
  let rootRef = context[id];
  let shouldSetRoot = false;
  if (typeof rootRef !== 'object') {
    rootRef = {};
    shouldSetRoot = true;
  }
  let baseRef = rootRef;
  for (let i = 0; i < keys.length; i++) {
    if (baseRef === undefined || baseRef === null)
      return {
        blocked: keys.slice(i).some((key, j) => {
          const isEnd = i + j === keys.length - 1;
          return key === '__proto__' || (!isEnd && (key === 'constructor' || key === 'prototype'));
        }),
        rootRef,
        shouldSetRoot,
      };
    const key = keys[i]!;
    const isEnd = keys.length === i + 1;
    if (isBlockedKey(baseRef, key, isEnd)) return { blocked: true };
    if (isEnd) return { blocked: false, rootRef, shouldSetRoot, baseRef, key };
    baseRef = (baseRef as Record<string, unknown>)[key];
  }
  return { blocked: false, rootRef, shouldSetRoot };
}

/** The end of velocityjs's setValue for a path (`#set($a.b[c] = v)`), once `v` is evaluated. */
function assignPath(target: Record<string, unknown>, id: string, keys: string[], val: unknown) {
  const path = resolveSetPath(target, id, keys);
  if (path.blocked) return;
  if (path.shouldSetRoot) target[id] = path.rootRef;
  if (path.key !== undefined) (path.baseRef as Record<string, unknown>)[path.key] = val;
}

/** velocityjs's `format`: lists as Java's `[a, b]`, plain maps as `{k=v}`, the rest as it is. */
function format(value: unknown): unknown {
  if (Array.isArray(value)) return '[' + value.map((v) => format(v)).join(', ') + ']';
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    if (object.toString.toString().indexOf('[native code]') === -1) return value;
    return (
      '{' +
      Object.keys(object)
        .map((k) => `${k}=${format(object[k]) as string}`)
        .join(', ') +
      '}'
    );
  }
  return value;
}

/** Everything the generated source reaches, passed to it as one argument (`R`). */
export const RUNTIME = {
  limits: RENDER_LIMITS,
  budgetExceeded,
  outputTooLarge,
  blocked,
  dispatch,
  annotate,
  divide,
  checkRange,
  range,
  isBlockedKey,
  resolveSetPath,
  assignPath,
  format,
  hasOwn: Object.hasOwn,
};
