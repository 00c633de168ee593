// Velocity (VTL) mapping templates, parsed once per deployment and rendered per request, with
// the variables API Gateway defines ($input, $util, $context, $stageVariables) and a budget, so
// a template that loops or grows without bound fails in bounded time and memory.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
import { parse, type Compile } from 'velocityjs';
import { SallyportError } from '../../errors.js';
import { JAVA_METHODS } from './java-compat.js';
import { evaluateJsonPath } from './json-path.js';
import { UTIL } from './util.js';
import { ReferenceCompile } from './vtl-references.js';

export interface TemplateVariables {
  context?: Record<string, unknown>;
  stageVariables?: Record<string, string>;
  input?: TemplateInput;
}

/** `$input` as AWS defines it, over a raw payload (the request's, or the integration's answer). */
export interface TemplateInput {
  body: string;
  params: (name?: string) => unknown;
}

export interface CompiledTemplate {
  render(variables: TemplateVariables): string;
  /** Set when the template has no VTL in it (no `$`, no `#`): it always renders to this. */
  readonly constant?: string;
}

/** A template that failed while rendering: AWS's "Unable to transform request/response". */
export class TemplateRenderError extends SallyportError {
  readonly code = 'ERR_TEMPLATE_RENDER';
}

/**
 * The budget of one render. AWS caps `#foreach` at 1000 iterations and payloads at 10 MB
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html);
 * the step count bounds everything else a template can do (nested loops, macros).
 */
export const RENDER_LIMITS = { rangeLength: 1000, steps: 200_000, chars: 10 * 1024 * 1024 };

type Ast = Parameters<Compile['renderAstList']>[0] extends (infer A)[] | undefined ? A : never;
const CONFIG = { escape: false, customMethodHandlers: JAVA_METHODS };

/** velocityjs, counting its work: every block, reference and range is charged to the render. */
const STRING_ASTS = new WeakMap<object, Ast[]>();

class BoundedCompile extends ReferenceCompile {
  #steps = 0;

  #charge(size = 0): void {
    if (++this.#steps > RENDER_LIMITS.steps)
      throw new TemplateRenderError('template exceeded its evaluation budget');
    if (size > RENDER_LIMITS.chars) throw new TemplateRenderError('template output exceeded 10 MB');
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
        throw new TemplateRenderError(
          `range [${from}..${to}] exceeds ${RENDER_LIMITS.rangeLength} elements`,
        );
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

export function compileTemplate(text: string): CompiledTemplate {
  // Most templates of MOCK integrations are fixed JSON: no variables to build per request.
  if (!text.includes('$') && !text.includes('#')) return { render: () => text, constant: text };
  const asts = parse(text);
  const Renderer = text.includes('break') ? BreakingCompile : BoundedCompile;
  return {
    render(variables: TemplateVariables): string {
      // A Compile keeps per-render state (#stop, locals): one per render, the AST shared.
      const compiled = new Renderer(asts, CONFIG);
      try {
        // Silent: API Gateway renders a reference to nothing as an empty string, where Java
        // Velocity would print the reference's text.
        return compiled.render(contextOf(variables), undefined, true);
      } catch (error) {
        if (error instanceof TemplateRenderError) throw error;
        throw new TemplateRenderError((error as Error).message, { cause: error });
      }
    },
  };
}

function contextOf(variables: TemplateVariables): Record<string, unknown> {
  const input = variables.input;
  const out: Record<string, unknown> = {
    stageVariables: variables.stageVariables ?? {},
    util: UTIL,
    input: input && inputVariable(input),
  };
  // `$context` is read through, so a template that never names it never builds it; a
  // `#set($context = …)` replaces it as it would a plain value.
  let context: unknown;
  Object.defineProperty(out, 'context', {
    enumerable: true,
    configurable: true,
    get: () => (context ??= variables.context ?? {}),
    set: (value: unknown) => (context = value),
  });
  return out;
}

function inputVariable(input: TemplateInput) {
  let parsed: { value: unknown } | undefined;
  const document = () => {
    if (parsed) return parsed.value;
    // An empty payload reads as `{}`, as `$input.json('$')` shows it on AWS.
    const value: unknown = input.body === '' ? {} : JSON.parse(input.body);
    parsed = { value };
    return value;
  };
  return {
    body: input.body,
    json: (path: string) => {
      const value = evaluateJsonPath(document(), String(path));
      return value === undefined ? undefined : JSON.stringify(value);
    },
    path: (path: string) => evaluateJsonPath(document(), String(path)),
    params: input.params,
  };
}
