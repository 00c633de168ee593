// Mapping templates compiled once per deployment into a tree of JavaScript closures, from
// velocityjs's parse: each node becomes a function of the render's state, so a render walks no
// AST, builds no reference text, registers no context ids. The closures do what the interpreter
// (velocityjs + vtl-references.ts + vtl.ts's budget) does, step for step — the same evaluation
// order, scoping quirks, method handlers, budget charges and output — and a property test renders
// random templates both ways and compares the bytes (test/gateway/mapping/vtl-compiler.test.ts).
// A construct not compiled here (#macro, #define, #break, #stop, #evaluate, #parse, …) makes
// `compileVtl` answer undefined, and the template is interpreted.
//
// Closures rather than generated source (`new Function`): nothing from a template's text is ever
// turned into code (no quoting of identifiers or strings to get right, no injection surface, works
// under --disallow-code-generation-from-strings), stack traces point at this file, and V8 inlines
// the small monomorphic closures well enough that the remaining cost is the work itself.
import { parse } from 'velocityjs';
import { JAVA_METHODS } from './java-compat.js';
import { budgetExceeded, outputTooLarge, RENDER_LIMITS, rangeTooLong } from './vtl-budget.js';
import { blocked, candidates, methodHandlers, type Handler } from './vtl-references.js';

/** The nodes of velocityjs's AST this compiler reads (a loose view of its `parse()` output). */
interface Node {
  type: string;
  id?: string | Node;
  value?: unknown;
  args?: Node[] | false;
  path?: Node[];
  prue?: boolean;
  isEval?: boolean;
  isRange?: boolean;
  operator?: string;
  expression?: Node[];
  condition?: Node;
  equal?: [Node, Node];
  from?: Node;
  to?: string;
  pos?: { first_line: number; first_column: number };
}
type Item = string | Node | Item[];

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

type Value = (s: RenderState) => unknown;
type Text = (s: RenderState) => string;
type Ref = (s: RenderState, isVal?: boolean) => unknown;

/** Thrown while compiling a construct this compiler leaves to the interpreter. */
class Unsupported extends Error {}

const HANDLERS = methodHandlers(JAVA_METHODS);

/** The names velocityjs's prototype guard may refuse; any other name is never `blocked`. */
const guardedName = (name: string) =>
  name === '__proto__' || name === 'constructor' || name === 'prototype';

/** The template as a function of its root variables, or undefined when it must be interpreted. */
export function compileVtl(asts: Item[]): ((s: RenderState) => string) | undefined {
  try {
    return compileList(asts);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

// --- the budget, charged where vtl.ts's BoundedCompile charges it -----------------------------

function charge(s: RenderState): void {
  if (++s.steps > RENDER_LIMITS.steps) throw budgetExceeded();
}
function chargeSize(s: RenderState, size: number): void {
  charge(s);
  if (size > RENDER_LIMITS.chars) throw outputTooLarge();
}

// --- lists of nodes (velocityjs's renderAstList) ---------------------------------------------

/** A list of nodes rendered in the current scope: an #if branch, a quoted string, the template. */
function compileList(items: Item[]): Text {
  const parts = compileParts(items);
  return (s) => {
    charge(s);
    let out = '';
    for (let i = 0; i < parts.length; i++) out += parts[i]!(s);
    chargeSize(s, out.length);
    return out;
  };
}

/** A #foreach body: entering it makes its scope the innermost (velocityjs's contextId rules). */
function compileBody(items: Item[]): (s: RenderState, scope: Scope) => string {
  const parts = compileParts(items);
  return (s, scope) => {
    charge(s);
    if (scope !== s.current && !s.conditions.includes(scope)) s.conditions.unshift(scope);
    s.current = scope;
    let out = '';
    for (let i = 0; i < parts.length; i++) out += parts[i]!(s);
    chargeSize(s, out.length);
    return out;
  };
}

function compileParts(items: Item[]): Text[] {
  const parts: Text[] = [];
  let text = '';
  const flush = () => {
    if (text === '') return;
    const constant = text;
    parts.push(() => constant);
    text = '';
  };
  for (const item of items) {
    if (typeof item === 'string') {
      text += item;
      continue;
    }
    if (Array.isArray(item)) {
      flush();
      parts.push(compileBlock(item));
      continue;
    }
    switch (item.type) {
      case 'comment':
        break;
      case 'raw':
        text += String(item.value);
        break;
      case 'references': {
        flush();
        const ref = compileReference(item);
        parts.push((s) => {
          const value = ref(s, true);
          return (typeof value === 'string' ? value : format(value)) as string;
        });
        break;
      }
      case 'set': {
        flush();
        const set = compileSet(item);
        parts.push((s) => (set(s), ''));
        break;
      }
      default:
        throw new Unsupported(item.type);
    }
  }
  flush();
  return parts;
}

function compileBlock(block: Item[]): Text {
  const head = block[0] as Node;
  if (head.type === 'if') return compileIf(block);
  if (head.type === 'foreach') return compileForeach(block);
  throw new Unsupported(head.type);
}

/** `#if/#elseif/#else`: conditions in order until one holds; its branch (maybe none) rendered. */
function compileIf(block: Item[]): Text {
  const branches: { condition: Value | undefined; body: Text }[] = [];
  let condition: Value | undefined;
  let body: Item[] = [];
  const close = () => branches.push({ condition, body: compileList(body) });
  for (const [i, item] of block.entries()) {
    const type = typeof item === 'object' && !Array.isArray(item) ? item.type : undefined;
    if (type === 'if' || type === 'elseif' || type === 'else') {
      if (i > 0) close();
      condition = type === 'else' ? undefined : compileExpression((item as Node).condition!);
      body = [];
    } else body.push(item);
  }
  close();
  const none = compileList([]);
  return (s) => {
    for (const branch of branches)
      if (branch.condition === undefined || branch.condition(s)) return branch.body(s) || '';
    return none(s) || '';
  };
}

/** `#foreach($x in …)`, as velocityjs's getBlockEach, its leftovers included. */
function compileForeach(block: Item[]): Text {
  const head = block[0] as Node;
  const from = compileLiteral({ ...head.from!, pos: head.pos });
  const to = head.to!;
  const body = compileBody(block.slice(1));
  return (s) => {
    const source = from(s);
    const local: Record<string, unknown> = {
      foreach: { count: 0, index: 0, hasNext: false },
      velocityCount: 0,
    };
    const scope: Scope = { vars: local };
    const kind = Object.prototype.toString.call(source);
    if (!source || (kind !== '[object Array]' && kind !== '[object Object]')) return '';
    const items = Array.isArray(source) ? source : Object.values(source);
    const length = items.length;
    let out = '';
    for (let i = 0; i < length; i++) {
      if (!(i in items)) continue; // Array.prototype.forEach skips holes
      local[to] = items[i];
      local.foreach = { count: i + 1, index: i, hasNext: i + 1 < length };
      local.velocityCount = i + 1;
      scope.vars = local;
      out += body(s, scope);
    }
    // velocityjs leaves a loop over a map (no `length`) in the scopes: its last values stay visible.
    if ((source as { length?: unknown }).length) {
      scope.vars = {};
      s.conditions.shift();
      s.current = s.conditions[0];
    }
    return out || '';
  };
}

// --- references ($a.b[c].d(e)) ------------------------------------------------------------------

/** A reference, charged to the budget as BoundedCompile.getReferences charges it. */
function compileReference(ast: Node): Ref {
  const read = compileReferenceRead(ast);
  return (s, isVal) => {
    charge(s);
    const value = read(s, isVal);
    if (typeof value === 'string') chargeSize(s, value.length);
    return value;
  };
}

/** ReferenceCompile.getReferences: the root or a loop's local, then the path; quiet. */
function compileReferenceRead(ast: Node): Ref {
  const id = ast.id as string;
  const guarded = guardedName(id);
  const call = ast.args !== undefined ? compileMethod(ast, ast) : undefined;
  const path = (ast.path ?? []).map((property) => compileAttribute(property, ast));
  const lookup = (s: RenderState): unknown => {
    const context = s.context;
    let ret: unknown = guarded && blocked(context, id) ? undefined : context[id];
    if (ret !== undefined && call) ret = call(s, context);
    const scopes = s.conditions;
    for (let i = 0; i < scopes.length; i++) {
      const vars = scopes[i]!.vars;
      if (Object.hasOwn(vars, id)) return vars[id];
    }
    return ret;
  };
  if (path.length === 0)
    return (s, isVal) => {
      const ret = lookup(s);
      return isVal && ret === undefined ? '' : ret;
    };
  return (s, isVal) => {
    let ret = lookup(s);
    for (let i = 0; i < path.length; i++) {
      if (ret === undefined || ret === null) {
        ret = undefined;
        break;
      }
      ret = path[i]!(s, ret);
    }
    return isVal && ret === undefined ? '' : ret;
  };
}

type Attribute = (s: RenderState, base: unknown) => unknown;

function compileAttribute(property: Node, ref: Node): Attribute {
  if (property.type === 'method') return compileMethod(property, ref);
  if (property.type === 'property') {
    const key = property.id as string;
    if (!guardedName(key)) return (_s, base) => (base as Record<string, unknown>)[key];
    return (_s, base) => (blocked(base, key) ? undefined : (base as Record<string, unknown>)[key]);
  }
  const index = property.id as Node;
  const key: Value = index.type === 'references' ? compileReference(index) : () => index.value;
  return (s, base) => {
    const k = key(s);
    return blocked(base, String(k)) ? undefined : (base as Record<string, unknown>)[k as string];
  };
}

/** `$x.name(args)`: a Java method (the handlers that may answer `name`) or the object's own. */
function compileMethod(property: Node, ref: Node): Attribute {
  const name = property.id as string;
  const args = (property.args || []).map(compileLiteral);
  const handlers: Handler[] = candidates(HANDLERS, name);
  const apply = (base: unknown, params: unknown[]): unknown => {
    const fn = (base as Record<string, unknown>)[name];
    if (typeof fn !== 'function') return undefined;
    try {
      return (fn as (...a: unknown[]) => unknown).apply(base, params);
    } catch (error) {
      if (error instanceof Error) {
        const pos = ref.pos;
        error.message += ` on $${ref.id as string}…${name}() at L/N ${pos?.first_line}:${pos?.first_column}`;
      }
      throw error;
    }
  };
  const evaluate = (s: RenderState): unknown[] => {
    const params = new Array<unknown>(args.length);
    for (let i = 0; i < args.length; i++) params[i] = args[i]!(s);
    return params;
  };
  // Most names no handler answers (`escapeJavaScript`, `json`, `params`): a plain call.
  if (handlers.length === 0 && !guardedName(name)) return (s, base) => apply(base, evaluate(s));
  return (s, base) => {
    if (blocked(base, name)) return undefined;
    const params = evaluate(s);
    const call = { property: name, params, context: base };
    for (const handler of handlers)
      if (handler.match(call)) return handler.resolve(call) as unknown;
    return apply(base, params);
  };
}

// --- literals and expressions -------------------------------------------------------------------

/** velocityjs's getLiteral (with vtl.ts's quoted strings and range bound). */
function compileLiteral(ast: Node): Value {
  switch (ast.type) {
    case 'string': {
      const text = ast.value as string;
      if (ast.isEval !== true || (!text.includes('$') && !text.includes('#'))) return () => text;
      // Parsed here, once; a string that does not parse is left to the interpreter, which fails
      // the render when (and only when) it evaluates the string.
      let asts: Item[];
      try {
        asts = parse(text);
      } catch {
        throw new Unsupported('unparsable string');
      }
      return compileList(asts);
    }
    case 'integer': {
      const n = parseInt(ast.value as string, 10);
      return () => n;
    }
    case 'decimal': {
      const n = parseFloat(ast.value as string);
      return () => n;
    }
    case 'bool': {
      const b = ({ true: true, false: false, null: null } as Record<string, unknown>)[
        ast.value as string
      ];
      return () => b;
    }
    case 'array':
      return ast.isRange === true ? compileRange(ast) : compileArray(ast);
    case 'map': {
      const entries = Object.entries((ast.value ?? {}) as Record<string, Node>).map(
        ([key, value]) => [key, compileLiteral(value)] as const,
      );
      return (s) => {
        const out: Record<string, unknown> = {};
        for (const [key, value] of entries) out[key] = value(s);
        return out;
      };
    }
    default: {
      const ref = compileReference(ast);
      return (s) => ref(s);
    }
  }
}

function compileArray(ast: Node): Value {
  const items = (ast.value as Node[]).map(compileLiteral);
  return (s) => items.map((item) => item(s));
}

/** `[a..b]`: its length checked first (AWS's 1000), then built as velocityjs builds it. */
function compileRange(ast: Node): Value {
  const bounds = (ast.value as (string | number | Node)[]).map((bound) => {
    if (typeof bound !== 'object') {
      const checked = Number(bound);
      const value = typeof bound === 'string' ? parseInt(bound, 10) : bound;
      return { checked: () => checked, value: () => value };
    }
    // The check reads the bound uncharged and quiet; velocityjs then reads it again.
    const quiet = compileReferenceRead(bound);
    const charged = compileReference(bound);
    return {
      checked: (s: RenderState) => Number(quiet(s, true)),
      value: (s: RenderState) => charged(s),
    };
  });
  const [low, high] = bounds as [(typeof bounds)[number], (typeof bounds)[number]];
  return (s) => {
    const from = low.checked(s);
    const to = high.checked(s);
    if (Math.abs(to - from) >= RENDER_LIMITS.rangeLength) throw rangeTooLong(from, to);
    const begin = low.value(s) as number;
    const end = high.value(s) as number;
    if (Number.isNaN(begin) || Number.isNaN(end)) return [];
    const out: number[] = [];
    if (begin < end) for (let i = begin; i <= end; i++) out.push(i);
    else for (let i = begin; i >= end; i--) out.push(i);
    return out;
  };
}

type Binary = (a: Value, b: Value) => Value;

const BINARY: Record<string, Binary> = {
  '+': (a, b) => (s) => (a(s) as number) + (b(s) as number),
  '-': (a, b) => (s) => (a(s) as number) - (b(s) as number),
  '*': (a, b) => (s) => (a(s) as number) * (b(s) as number),
  '%': (a, b) => (s) => (a(s) as number) % (b(s) as number),
  '||': (a, b) => (s) => a(s) || b(s),
  '&&': (a, b) => (s) => a(s) && b(s),
  '>': (a, b) => (s) => (a(s) as number) > (b(s) as number),
  '<': (a, b) => (s) => (a(s) as number) < (b(s) as number),
  '>=': (a, b) => (s) => (a(s) as number) >= (b(s) as number),
  '<=': (a, b) => (s) => (a(s) as number) <= (b(s) as number),
  // Velocity's `==` as velocityjs evaluates it: JavaScript's loose equality.
  '==': (a, b) => (s) => a(s) == b(s),
  '!=': (a, b) => (s) => a(s) != b(s),
  // Java arithmetic: `/` between two integers is integer division (`5 / 2` is 2).
  '/': (a, b) => (s) => {
    const x = a(s);
    const y = b(s);
    const quotient = Number(x) / Number(y);
    return Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(quotient) : quotient;
  },
};

/** velocityjs's getExpression: `math` nodes as JavaScript operators, anything else a literal. */
function compileExpression(ast: Node): Value {
  if (ast.type !== 'math') return compileLiteral(ast);
  const operands = (ast.expression ?? []).map(compileExpression);
  const [a, b] = operands as [Value, Value];
  const operator = ast.operator!;
  if (operator === 'minus') return (s) => -(a(s) as number);
  if (operator === 'not') return (s) => !a(s);
  if (operator === 'parenthesis') return a;
  const binary = Object.hasOwn(BINARY, operator) ? BINARY[operator] : undefined;
  return binary ? binary(a, b) : () => undefined;
}

// --- #set ---------------------------------------------------------------------------------------

/** velocityjs's setValue: into the innermost scope that holds the name, else the root. */
function compileSet(ast: Node): (s: RenderState) => void {
  const [ref, valueAst] = ast.equal!;
  const id = ref.id as string;
  const hasPath = ref.path !== undefined;
  const keys: Value[] = (ref.path ?? []).map((step) => {
    if (step.type === 'property') return () => step.id;
    if (step.type === 'index' && step.id) {
      const key = compileLiteral(step.id as Node);
      return (s) => String(key(s));
    }
    return () => '';
  });
  const value = valueAst.type === 'math' ? compileExpression(valueAst) : compileLiteral(valueAst);
  return (s) => {
    let target = s.context;
    for (const scope of s.conditions) {
      if (Object.prototype.hasOwnProperty.call(scope.vars, id)) {
        target = scope.vars;
        break;
      }
    }
    const pathKeys = keys.map((key) => key(s) as string);
    if (resolveSetPath(target, id, pathKeys).blocked) return;
    const val = value(s);
    if (!hasPath) {
      target[id] = val;
      return;
    }
    const setPath = resolveSetPath(target, id, pathKeys);
    if (setPath.blocked) return;
    if (setPath.shouldSetRoot) target[id] = setPath.rootRef;
    if (setPath.key !== undefined) (setPath.baseRef as Record<string, unknown>)[setPath.key] = val;
  };
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

// --- output -------------------------------------------------------------------------------------

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
