// Mapping templates compiled once per deployment into JavaScript source, from velocityjs's parse:
// each list, reference, method call, loop and `#set` of the template becomes a function of its
// own in one generated module, so a render walks no AST, builds no reference text, and every
// property read and call site in it sees one shape (V8 keeps them monomorphic and inlines them).
// The generated code does what the interpreter (velocityjs + vtl-references.ts + vtl.ts's budget)
// does, step for step — the same evaluation order, scoping quirks, method handlers, budget charges
// and output — and a property test renders random templates both ways and compares the bytes
// (test/gateway/mapping/vtl-compiler.test.ts). A construct not compiled here (#macro, #define,
// #break, #stop, #evaluate, #parse, …) makes `compileVtl` answer undefined, and the template is
// interpreted; so does a process that forbids code generation from strings.
//
// Nothing of a template's text becomes code: its strings and property names enter the source only
// as JSON string literals (JSON.stringify of a string is a JavaScript string literal), numbers as
// the digits of a safe integer or else through the constants array `K`, like every other value,
// and the identifiers are the compiler's own (f0, f1, …). docs/DESIGN-notes.md says why generated
// source replaced the closures.
import { parse } from 'velocityjs';
import { candidates } from './vtl-references.js';
import { HANDLERS, RenderState, RUNTIME } from './vtl-runtime.js';

export { RenderState };

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

/** Thrown while compiling a construct this compiler leaves to the interpreter. */
class Unsupported extends Error {}

/** The names velocityjs's prototype guard may refuse; any other name is never `blocked`. */
const guardedName = (name: string) =>
  name === '__proto__' || name === 'constructor' || name === 'prototype';

/** The template as a function of its render state, or undefined when it must be interpreted. */
export function compileVtl(asts: Item[]): ((s: RenderState) => string) | undefined {
  let module: { source: string; constants: unknown[] };
  try {
    module = new Emitter(asts).module();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  let factory: (runtime: typeof RUNTIME, constants: unknown[]) => (s: RenderState) => string;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source is built above from JSON literals and the compiler's own names only
    factory = new Function('R', 'K', module.source) as typeof factory;
  } catch (error) {
    // --disallow-code-generation-from-strings: the interpreter renders the template instead.
    if (error instanceof EvalError) return undefined;
    throw error;
  }
  return factory(RUNTIME, module.constants);
}

/** The budget, charged where vtl.ts's BoundedCompile charges it (inline: it runs on every node). */
const CHARGE = 'if (++s.steps > L.steps) throw budgetExceeded();';
const chargeSize = (length: string) => `${CHARGE} if (${length} > L.chars) throw outputTooLarge();`;

/** A name or text from the AST, checked to be a string before it is quoted into the source. */
function str(value: unknown): string {
  if (typeof value !== 'string') throw new Unsupported(`not a string: ${typeof value}`);
  return value;
}
const quote = (value: unknown) => JSON.stringify(str(value));

class Emitter {
  readonly #functions: string[] = [];
  readonly #constants: unknown[] = [];
  /** Double-quoted strings with references, parsed once (by their text). */
  readonly #strings = new Map<string, Item[]>();
  /** The names a `#foreach` scope can hold: only these are looked up in the scopes. */
  readonly #scoped = new Set<string>();
  readonly #top: string;

  constructor(asts: Item[]) {
    this.#collectScoped(asts);
    this.#top = this.#list(asts);
  }

  module(): { source: string; constants: unknown[] } {
    const names = Object.keys(RUNTIME).filter((name) => name !== 'limits');
    const source = [
      "'use strict';",
      `const L = R.limits;`,
      `const { ${names.join(', ')} } = R;`,
      ...this.#functions,
      `return ${this.#top};`,
    ].join('\n');
    return { source, constants: this.#constants };
  }

  #function(params: string, body: string[]): string {
    const name = `f${this.#functions.length}`;
    this.#functions.push(`function ${name}(${params}) {\n  ${body.join('\n  ')}\n}`);
    return name;
  }

  #constant(value: unknown): string {
    this.#constants.push(value);
    return `K[${this.#constants.length - 1}]`;
  }

  #number(n: number): string {
    return Number.isSafeInteger(n) && n >= 0 ? String(n) : this.#constant(n);
  }

  #parsedString(text: string): Item[] | undefined {
    if (!this.#strings.has(text)) {
      let asts: Item[] | undefined;
      try {
        asts = parse(text);
      } catch {
        asts = undefined;
      }
      this.#strings.set(text, asts as Item[]);
    }
    return this.#strings.get(text);
  }

  /** Every `#foreach` variable in the template, its quoted strings included. */
  #collectScoped(item: unknown): void {
    if (Array.isArray(item)) {
      for (const x of item) this.#collectScoped(x);
      return;
    }
    if (typeof item !== 'object' || item === null) return;
    const node = item as Node;
    if (node.type === 'foreach') {
      this.#scoped.add(String(node.to));
      this.#scoped.add('foreach');
      this.#scoped.add('velocityCount');
    }
    if (node.type === 'string' && node.isEval === true && typeof node.value === 'string')
      this.#collectScoped(this.#parsedString(node.value));
    for (const value of Object.values(node)) this.#collectScoped(value);
  }

  // --- lists of nodes (velocityjs's renderAstList) -------------------------------------------

  /** A list of nodes rendered in the current scope: an #if branch, a quoted string, the template. */
  #list(items: Item[]): string {
    return this.#function('s', [
      CHARGE,
      "let o = '';",
      ...this.#parts(items),
      chargeSize('o.length'),
      'return o;',
    ]);
  }

  /** A #foreach body: entering it makes its scope the innermost (velocityjs's contextId rules). */
  #body(items: Item[]): string {
    return this.#function('s, scope', [
      CHARGE,
      'if (scope !== s.current && !s.conditions.includes(scope)) s.conditions.unshift(scope);',
      's.current = scope;',
      "let o = '';",
      ...this.#parts(items),
      chargeSize('o.length'),
      'return o;',
    ]);
  }

  /** The statements appending a list's output to `o`. */
  #parts(items: Item[]): string[] {
    const parts: string[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') parts.push(`o += ${JSON.stringify(text)};`);
      text = '';
    };
    for (const item of items) {
      if (typeof item === 'string') {
        text += item;
        continue;
      }
      if (Array.isArray(item)) {
        flush();
        parts.push(`o += ${this.#block(item)}(s);`);
        continue;
      }
      switch (item.type) {
        case 'comment':
          break;
        case 'raw':
          text += String(item.value);
          break;
        case 'references':
          flush();
          parts.push(
            `{ const v = ${this.#reference(item)}(s, true); o += typeof v === 'string' ? v : format(v); }`,
          );
          break;
        case 'set':
          flush();
          parts.push(`${this.#set(item)}(s);`);
          break;
        default:
          throw new Unsupported(item.type);
      }
    }
    flush();
    return parts;
  }

  #block(block: Item[]): string {
    const head = block[0] as Node;
    if (head.type === 'if') return this.#if(block);
    if (head.type === 'foreach') return this.#foreach(block);
    throw new Unsupported(head.type);
  }

  /** `#if/#elseif/#else`: conditions in order until one holds; its branch (maybe none) rendered. */
  #if(block: Item[]): string {
    const lines: string[] = [];
    let condition: string | undefined;
    let body: Item[] = [];
    const close = () => {
      const branch = this.#list(body);
      lines.push(
        condition === undefined
          ? `return ${branch}(s) || '';`
          : `if (${condition}) return ${branch}(s) || '';`,
      );
    };
    for (const [i, item] of block.entries()) {
      const type = typeof item === 'object' && !Array.isArray(item) ? item.type : undefined;
      if (type === 'if' || type === 'elseif' || type === 'else') {
        if (i > 0) close();
        condition = type === 'else' ? undefined : this.#expression((item as Node).condition!);
        body = [];
      } else body.push(item);
    }
    close();
    lines.push(`return ${this.#list([])}(s) || '';`);
    return this.#function('s', lines);
  }

  /** `#foreach($x in …)`, as velocityjs's getBlockEach, its leftovers included. */
  #foreach(block: Item[]): string {
    const head = block[0] as Node;
    const from = this.#literal({ ...head.from!, pos: head.pos });
    const to = quote(head.to);
    const body = this.#body(block.slice(1));
    return this.#function('s', [
      `const source = ${from};`,
      'const local = { foreach: { count: 0, index: 0, hasNext: false }, velocityCount: 0 };',
      'const scope = { vars: local };',
      'const kind = Object.prototype.toString.call(source);',
      "if (!source || (kind !== '[object Array]' && kind !== '[object Object]')) return '';",
      'const items = Array.isArray(source) ? source : Object.values(source);',
      'const length = items.length;',
      "let o = '';",
      'for (let i = 0; i < length; i++) {',
      '  if (!(i in items)) continue;', // Array.prototype.forEach skips holes
      `  local[${to}] = items[i];`,
      '  local.foreach = { count: i + 1, index: i, hasNext: i + 1 < length };',
      '  local.velocityCount = i + 1;',
      '  scope.vars = local;',
      `  o += ${body}(s, scope);`,
      '}',
      // velocityjs leaves a loop over a map (no `length`) in the scopes: its last values stay.
      'if (source.length) { scope.vars = {}; s.conditions.shift(); s.current = s.conditions[0]; }',
      "return o || '';",
    ]);
  }

  // --- references ($a.b[c].d(e)) ----------------------------------------------------------------

  /**
   * ReferenceCompile.getReferences: the root or a loop's local, then the path; quiet. Charged to
   * the budget as BoundedCompile.getReferences charges it, unless `charged` is false (a range's
   * bounds are first read uncharged).
   */
  #reference(ast: Node, charged = true): string {
    const id = str(ast.id);
    const key = JSON.stringify(id);
    const call = ast.args !== undefined ? this.#method(ast, ast) : undefined;
    const path = (ast.path ?? []).map((property) => this.#attribute(property, ast));
    const lines = charged ? [CHARGE] : [];
    lines.push(
      'const c = s.context;',
      guardedName(id)
        ? `let v = blocked(c, ${key}) ? undefined : c[${key}];`
        : `let v = c[${key}];`,
    );
    // velocityjs calls a root method before it looks at the scopes, whatever they hold.
    if (call) lines.push(`if (v !== undefined) v = ${call}(s, c);`);
    if (this.#scoped.has(id))
      lines.push(
        'for (const scope of s.conditions)',
        `  if (hasOwn(scope.vars, ${key})) { v = scope.vars[${key}]; break; }`,
      );
    if (path.length > 0) {
      lines.push('p: {');
      for (const step of path)
        lines.push('  if (v === undefined || v === null) { v = undefined; break p; }', `  ${step}`);
      lines.push('}');
    }
    lines.push("if (isVal && v === undefined) v = '';");
    if (charged) lines.push(`if (typeof v === 'string') { ${chargeSize('v.length')} }`);
    lines.push('return v;');
    return this.#function('s, isVal', lines);
  }

  /** One step of a reference's path, as a statement that replaces `v` by the step's value. */
  #attribute(property: Node, ref: Node): string {
    if (property.type === 'method') return `v = ${this.#method(property, ref)}(s, v);`;
    if (property.type === 'property') {
      const id = str(property.id);
      const key = JSON.stringify(id);
      return guardedName(id) ? `v = blocked(v, ${key}) ? undefined : v[${key}];` : `v = v[${key}];`;
    }
    const index = property.id as Node;
    const key =
      index.type === 'references' ? `${this.#reference(index)}(s)` : this.#constant(index.value);
    return `{ const k = ${key}; v = blocked(v, String(k)) ? undefined : v[k]; }`;
  }

  /** `$x.name(args)`: a Java method (the handlers that may answer `name`) or the object's own. */
  #method(property: Node, ref: Node): string {
    const name = str(property.id);
    const key = JSON.stringify(name);
    const args = (property.args || []).map((arg) => this.#literal(arg));
    const handlers = candidates(HANDLERS, name);
    const site = this.#constant({
      ref: ref.id,
      name,
      line: ref.pos?.first_line,
      column: ref.pos?.first_column,
    });
    // Most names no handler answers (`escapeJavaScript`, `json`, `params`): a plain call.
    if (handlers.length === 0 && !guardedName(name)) {
      const params = args.map((_, i) => `a${i}`);
      return this.#function('s, base', [
        ...args.map((arg, i) => `const a${i} = ${arg};`),
        `const fn = base[${key}];`,
        'if (typeof fn !== "function") return undefined;',
        `try { return fn.call(${['base', ...params].join(', ')}); }`,
        `catch (error) { throw annotate(error, ${site}); }`,
      ]);
    }
    return this.#function('s, base', [
      `if (blocked(base, ${key})) return undefined;`,
      `return dispatch(${this.#constant(handlers)}, ${key}, base, [${args.join(', ')}], ${site});`,
    ]);
  }

  // --- literals and expressions -------------------------------------------------------------------

  /** velocityjs's getLiteral (with vtl.ts's quoted strings and range bound), as an expression. */
  #literal(ast: Node): string {
    switch (ast.type) {
      case 'string': {
        const text = str(ast.value);
        if (ast.isEval !== true || (!text.includes('$') && !text.includes('#')))
          return JSON.stringify(text);
        // A string that does not parse is left to the interpreter, which fails the render when
        // (and only when) it evaluates the string.
        const asts = this.#parsedString(text);
        if (!asts) throw new Unsupported('unparsable string');
        return `${this.#list(asts)}(s)`;
      }
      case 'integer':
        return this.#number(parseInt(ast.value as string, 10));
      case 'decimal':
        return this.#number(parseFloat(ast.value as string));
      case 'bool':
        return ast.value === 'true' || ast.value === 'false' || ast.value === 'null'
          ? ast.value
          : 'undefined';
      case 'array':
        if (ast.isRange === true) return this.#range(ast);
        return `[${(ast.value as Node[]).map((item) => this.#literal(item)).join(', ')}]`;
      case 'map': {
        const entries = Object.entries((ast.value ?? {}) as Record<string, Node>);
        return `${this.#function('s', [
          'const o = {};',
          ...entries.map(([key, value]) => `o[${quote(key)}] = ${this.#literal(value)};`),
          'return o;',
        ])}(s)`;
      }
      default:
        return `${this.#reference(ast)}(s)`;
    }
  }

  /** `[a..b]`: its length checked first (AWS's 1000), then built as velocityjs builds it. */
  #range(ast: Node): string {
    const bounds = (ast.value as (string | number | Node)[]).map((bound) => {
      if (typeof bound !== 'object')
        return {
          checked: this.#constant(Number(bound)),
          value: this.#constant(typeof bound === 'string' ? parseInt(bound, 10) : bound),
        };
      // The check reads the bound uncharged and quiet; velocityjs then reads it again.
      return {
        checked: `Number(${this.#reference(bound, false)}(s, true))`,
        value: `${this.#reference(bound)}(s)`,
      };
    });
    const [low, high] = bounds;
    if (!low || !high) throw new Unsupported('range bounds');
    return `${this.#function('s', [
      `const from = ${low.checked};`,
      `const to = ${high.checked};`,
      'checkRange(from, to);',
      `const begin = ${low.value};`,
      `return range(begin, ${high.value});`,
    ])}(s)`;
  }

  /** velocityjs's getExpression: `math` nodes as JavaScript operators, anything else a literal. */
  #expression(ast: Node): string {
    if (ast.type !== 'math') return this.#literal(ast);
    const operands = (ast.expression ?? []).map((e) => `(${this.#expression(e)})`);
    const [a, b] = operands;
    const operator = ast.operator!;
    if (a === undefined) throw new Unsupported('no operand');
    if (operator === 'minus') return `(-${a})`;
    if (operator === 'not') return `(!${a})`;
    if (operator === 'parenthesis') return a;
    if (operator !== '/' && !BINARY.has(operator)) return 'undefined';
    if (b === undefined) throw new Unsupported('no operand');
    // Java arithmetic: `/` between two integers is integer division (`5 / 2` is 2).
    if (operator === '/') return `divide(${a}, ${b})`;
    // Velocity's `==` as velocityjs evaluates it: JavaScript's loose equality.
    return `(${a} ${operator} ${b})`;
  }

  // --- #set ---------------------------------------------------------------------------------------

  /** velocityjs's setValue: into the innermost scope that holds the name, else the root. */
  #set(ast: Node): string {
    const [ref, valueAst] = ast.equal!;
    const id = str(ref.id);
    const key = JSON.stringify(id);
    const keys = (ref.path ?? []).map((step) => {
      if (step.type === 'property') return quote(step.id);
      if (step.type === 'index' && step.id) return `String(${this.#literal(step.id as Node)})`;
      return "''";
    });
    const value = this.#expression(valueAst);
    const lines = ['let target = s.context;'];
    if (this.#scoped.has(id))
      lines.push(
        'for (const scope of s.conditions)',
        `  if (hasOwn(scope.vars, ${key})) { target = scope.vars; break; }`,
      );
    if (ref.path === undefined)
      lines.push(`if (isBlockedKey(target, ${key}, true)) return;`, `target[${key}] = ${value};`);
    else
      lines.push(
        `const keys = [${keys.join(', ')}];`,
        `if (resolveSetPath(target, ${key}, keys).blocked) return;`,
        `assignPath(target, ${key}, keys, ${value});`,
      );
    return this.#function('s', lines);
  }
}

const BINARY = new Set(['+', '-', '*', '%', '||', '&&', '>', '<', '>=', '<=', '==', '!=']);
