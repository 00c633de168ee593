// Velocity (VTL) mapping templates, parsed once per deployment and rendered per request, with
// the variables API Gateway defines ($input, $util, $context, $stageVariables) and a budget, so
// a template that loops or grows without bound fails in bounded time and memory. A template is
// compiled to JavaScript source (vtl-compiler.ts) when it can be; the rest, and the tests'
// oracle, run on velocityjs's interpreter below, with the same budget.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
import { parse, type Compile } from 'velocityjs';
import { JAVA_METHODS } from './java-compat.js';
import {
  budgetExceeded,
  outputTooLarge,
  RENDER_LIMITS,
  rangeTooLong,
  TemplateRenderError,
} from './vtl-budget.js';
import { evaluateJsonPath } from './json-path.js';
import { UTIL } from './util.js';
import { compileVtl, RenderState } from './vtl-compiler.js';
import { ReferenceCompile } from './vtl-references.js';

export { RENDER_LIMITS, TemplateRenderError };

export interface TemplateVariables {
  context?: Record<string, unknown>;
  stageVariables?: Record<string, string>;
  input?: TemplateInput;
}

/** `$input` as AWS defines it, over a raw payload (the request's, or the integration's answer). */
export interface TemplateInput {
  body: string;
  params: (name?: string) => unknown;
  /** The body's JSON when the caller has parsed it already (undefined: `$input` parses it). */
  json?: unknown;
}

export interface CompiledTemplate {
  render(variables: TemplateVariables): string;
  /** Set when the template has no VTL in it (no `$`, no `#`): it always renders to this. */
  readonly constant?: string;
}

type Ast = Parameters<Compile['renderAstList']>[0] extends (infer A)[] | undefined ? A : never;
const CONFIG = { escape: false, customMethodHandlers: JAVA_METHODS };

/** velocityjs, counting its work: every block, reference and range is charged to the render. */
const STRING_ASTS = new WeakMap<object, Ast[]>();

class BoundedCompile extends ReferenceCompile {
  #steps = 0;

  #charge(size = 0): void {
    if (++this.#steps > RENDER_LIMITS.steps) throw budgetExceeded();
    if (size > RENDER_LIMITS.chars) throw outputTooLarge();
  }

  override renderAstList(asts?: Ast[], contextId?: string): string {
    this.#charge();
    const out = super.renderAstList(asts, contextId);
    this.#charge(out.length);
    return out;
  }

  /** Java arithmetic: `/` between two integers is integer division (`5 / 2` is 2). */
  protected override getExpression(ast: Ast): string {
    const math = ast as { type: string; operator?: string; expression?: Ast[] };
    if (math.type !== 'math' || math.operator !== '/' || !math.expression)
      return super.getExpression(ast);
    const [a, b] = math.expression.map((e) => this.getExpression(e) as unknown);
    const quotient = Number(a) / Number(b);
    return (Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(quotient) : quotient) as never;
  }

  protected override getReferences(ast: Ast, isVal?: boolean): string {
    this.#charge();
    const value: unknown = super.getReferences(ast, isVal);
    if (typeof value === 'string') this.#charge(value.length);
    return value as string;
  }

  protected override getLiteral(ast: Ast): string {
    const literal = ast as { type: string; isRange?: boolean; isEval?: boolean; value?: unknown };
    // A double-quoted string with references: velocityjs parses its text on every evaluation;
    // parsed once here, per AST node (so per deployment).
    if (literal.type === 'string' && literal.isEval === true) {
      const text = literal.value as string;
      if (!text.includes('$') && !text.includes('#')) return text;
      let asts = STRING_ASTS.get(ast);
      if (!asts) STRING_ASTS.set(ast, (asts = parse(text)));
      return this.renderAstList(asts, this.contextId);
    }
    if (literal.type === 'array' && literal.isRange === true && Array.isArray(literal.value)) {
      const [from, to] = literal.value.map((bound) =>
        typeof bound === 'object' ? Number(super.getReferences(bound as Ast, true)) : Number(bound),
      );
      if (Math.abs((to ?? 0) - (from ?? 0)) >= RENDER_LIMITS.rangeLength)
        throw rangeTooLong(from!, to!);
    }
    return super.getLiteral(ast);
  }
}

/**
 * For templates with `#break`: one node at a time, so `#break` ends the iteration where it
 * stands, as in Java Velocity (velocityjs renders the rest of the iteration before it stops the
 * loop). Only those templates pay for the stepping.
 */
class BreakingCompile extends BoundedCompile {
  override renderAstList(asts?: Ast[], contextId?: string): string {
    let out = '';
    for (const ast of asts ?? this.asts) {
      if (this.runState.break || this.runState.stop) break;
      out += super.renderAstList([ast], contextId);
    }
    return out;
  }
}

type Render = (variables: TemplateVariables) => string;

/**
 * Compiled to source when every construct is one the compiler knows (vtl-compiler.ts),
 * interpreted by velocityjs otherwise (#macro, #define, #break, #stop, #evaluate, …).
 * `interpret` forces the interpreter: the tests' oracle.
 */
export function compileTemplate(text: string, { interpret = false } = {}): CompiledTemplate {
  // Most templates of MOCK integrations are fixed JSON: no variables to build per request.
  if (!text.includes('$') && !text.includes('#')) return { render: () => text, constant: text };
  const asts = parse(text);
  const compiled = interpret ? undefined : compileVtl(asts);
  return {
    render: failingAsTemplateError(
      compiled
        ? (variables) => compiled(new RenderState(contextOf(variables)))
        : interpreter(asts, text.includes('break')),
    ),
  };
}

function interpreter(asts: Ast[], breaks: boolean): Render {
  const Renderer = breaks ? BreakingCompile : BoundedCompile;
  // A Compile keeps per-render state (#stop, locals): one per render, the AST shared.
  // Silent: API Gateway renders a reference to nothing as an empty string, where Java Velocity
  // would print the reference's text.
  return (variables) => new Renderer(asts, CONFIG).render(contextOf(variables), undefined, true);
}

function failingAsTemplateError(render: Render): Render {
  return (variables) => {
    try {
      return render(variables);
    } catch (error) {
      if (error instanceof TemplateRenderError) throw error;
      throw new TemplateRenderError((error as Error).message, { cause: error });
    }
  };
}

/**
 * The root variables of one render. `$context` is read through, so a template that never names
 * it never builds it, and `$util` and `$stageVariables` are copied on first read, so a template's
 * `$util.put(…)` or `$stageVariables.put(…)` never reaches the next request (they are shared by
 * every request of the stage); `#set($context = …)` replaces any of them as a plain value.
 * (Accessors on the prototype, not `defineProperty` per render: no dictionary-mode object.)
 */
const UNSET = Symbol('unset');

class RootVariables {
  readonly input: InputVariable | undefined;
  #variables: TemplateVariables;
  #context: unknown;
  #util: unknown = UNSET;
  #stageVariables: unknown = UNSET;

  constructor(variables: TemplateVariables) {
    this.#variables = variables;
    this.input = variables.input && new InputVariable(variables.input);
  }
  get context(): unknown {
    return (this.#context ??= this.#variables.context ?? {});
  }
  set context(value: unknown) {
    this.#context = value;
  }
  get util(): unknown {
    if (this.#util === UNSET) this.#util = { ...UTIL };
    return this.#util;
  }
  set util(value: unknown) {
    this.#util = value;
  }
  get stageVariables(): unknown {
    if (this.#stageVariables === UNSET)
      this.#stageVariables = { ...this.#variables.stageVariables };
    return this.#stageVariables;
  }
  set stageVariables(value: unknown) {
    this.#stageVariables = value;
  }
}

function contextOf(variables: TemplateVariables): Record<string, unknown> {
  return new RootVariables(variables) as unknown as Record<string, unknown>;
}

/** `$input` of one render: the payload parsed at most once, whichever method reads it first. */
class InputVariable {
  readonly body: string;
  readonly #input: TemplateInput;
  #parsed: { value: unknown } | undefined;

  constructor(input: TemplateInput) {
    this.#input = input;
    this.body = input.body;
    if (input.json !== undefined) this.#parsed = { value: input.json };
  }
  json(path: string): string | undefined {
    const value = evaluateJsonPath(this.#document(), String(path));
    return value === undefined ? undefined : JSON.stringify(value);
  }
  path(path: string): unknown {
    return evaluateJsonPath(this.#document(), String(path));
  }
  params(name?: string): unknown {
    return this.#input.params(name);
  }
  #document(): unknown {
    if (this.#parsed) return this.#parsed.value;
    // An empty payload reads as `{}`, as `$input.json('$')` shows it on AWS.
    const value: unknown = this.body === '' ? {} : JSON.parse(this.body);
    this.#parsed = { value };
    return value;
  }
}
