// velocityjs's reference and method evaluation, without the work a mapping template never needs.
// Profiling the console's "Method Request passthrough" template showed most of a render in
// velocityjs's getReferences: it rebuilds each reference's source text (`$a.b($c)`, recursively,
// on every evaluation) to look it up as a context key, and tries each of its ~25 method handlers
// in turn on every method call, and writes an `eval` helper onto every object a method is called
// on. Here the text is never needed (API Gateway renders quietly, and no context key is a
// reference's text: the context holds `input`, `util`, `context`, `stageVariables` and what
// `#set` adds), and the handlers that can answer a method name are picked once per name.
// Same order of evaluation and the same answers; docs/performance.md has the numbers.
import { Compile } from 'velocityjs';

type Ast = Parameters<Compile['renderAstList']>[0] extends (infer A)[] | undefined ? A : never;
type CompileConfig = NonNullable<ConstructorParameters<typeof Compile>[1]>;
export type Handler = NonNullable<CompileConfig['customMethodHandlers']>[number];

interface Property {
  type: 'method' | 'property' | 'index';
  id: string | Ast;
  /** `false` for a call without arguments. */
  args?: Ast[] | false;
}
interface Reference {
  type: string;
  id: string;
  prue?: boolean;
  args?: Ast[] | false;
  path?: Property[];
  pos?: { first_line: number; first_column: number };
}

/** The keys velocityjs refuses to walk through (its prototype guard), kept as it keeps them. */
export const blocked = (base: unknown, key: string) =>
  key === '__proto__' ||
  (key === 'prototype' && typeof base === 'function') ||
  ((key === 'constructor' || key === 'prototype') && !Object.hasOwn(base as object, key));

/** One value of each kind a handler's `match` tells apart (string, list, map, number, boolean). */
const PROBES: unknown[] = ['', [], {}, Object.create(null), 0, false];

/**
 * The handlers that may answer `property`, in their order: those whose `match` holds for some
 * kind of value (a handler that throws on a probe is kept). Built once per name and handler list.
 */
const candidatesByList = new WeakMap<readonly Handler[], Map<string, Handler[]>>();
export function candidates(handlers: readonly Handler[], property: string): Handler[] {
  let byName = candidatesByList.get(handlers);
  if (!byName) candidatesByList.set(handlers, (byName = new Map<string, Handler[]>()));
  let found = byName.get(property);
  if (!found) {
    found = handlers.filter((handler) =>
      PROBES.some((context) => {
        try {
          return handler.match({ property, params: [], context });
        } catch {
          return true;
        }
      }),
    );
    byName.set(property, found);
  }
  return found;
}

interface Internals {
  context: Record<string, unknown>;
  defines: Record<string, Ast[]>;
  conditions: string[];
  local: Record<string, Record<string, unknown> | undefined>;
  config: CompileConfig;
  renderAstList(asts?: Ast[]): string;
  getLiteral(ast: Ast): unknown;
  getReferences(ast: Ast, isVal?: boolean): unknown;
}

/** velocityjs's handler list for a config: ours then its own, built once, not per render. */
const handlerLists = new WeakMap<readonly Handler[], Handler[]>();

/** The handlers velocityjs tries for a method call with `own` configured: ours, then its own. */
export function methodHandlers(own: Handler[]): readonly Handler[] {
  return handlerLists.get(own) ?? new ReferenceCompile([], { customMethodHandlers: own }).handlers;
}

export class ReferenceCompile extends Compile {
  get handlers(): readonly Handler[] {
    return (this as unknown as Internals).config.customMethodHandlers ?? [];
  }

  constructor(asts: ConstructorParameters<typeof Compile>[0], config: CompileConfig) {
    super(asts, config);
    // velocityjs concatenates its handlers to ours in every constructor: keep the first list,
    // so `candidates` finds its cache on every render.
    const own = config.customMethodHandlers;
    const self = this as unknown as Internals;
    if (own) {
      const list = handlerLists.get(own);
      if (list) self.config.customMethodHandlers = list;
      else handlerLists.set(own, self.config.customMethodHandlers ?? []);
    }
  }

  /** `$a.b.c()` read from the context or a loop's locals; always quiet (undefined → ''). */
  protected override getReferences(ast: Ast, isVal?: boolean): string {
    const self = this as unknown as Internals;
    const ref = ast as unknown as Reference;
    if (ref.prue) {
      const define = self.defines[ref.id];
      if (Array.isArray(define)) return self.renderAstList(define);
    }
    const context = self.context;
    let ret: unknown = blocked(context, ref.id) ? undefined : context[ref.id];
    if (ret !== undefined && ref.args !== undefined)
      ret = this.callMethod(ref as unknown as Property, context, ref);
    for (const contextId of self.conditions) {
      const local = self.local[contextId];
      if (local && Object.hasOwn(local, ref.id)) {
        ret = local[ref.id];
        break;
      }
    }
    if (ref.path) {
      for (const property of ref.path) {
        if (ret === undefined || ret === null) {
          ret = undefined;
          break;
        }
        ret = this.attribute(property, ret, ref);
      }
    }
    return (isVal && ret === undefined ? '' : ret) as string;
  }

  private attribute(property: Property, base: unknown, ref: Reference): unknown {
    if (property.type === 'method') return this.callMethod(property, base, ref);
    const self = this as unknown as Internals;
    const key =
      property.type === 'property'
        ? (property.id as string)
        : (property.id as { type: string; value?: unknown }).type === 'references'
          ? self.getReferences(property.id as Ast)
          : (property.id as { value?: unknown }).value;
    if (blocked(base, String(key))) return undefined;
    return (base as Record<string, unknown>)[key as string];
  }

  /** `$x.name(args)`: a Java method (the handlers) or the object's own function. */
  private callMethod(property: Property, base: unknown, ref: Reference): unknown {
    const self = this as unknown as Internals;
    const name = property.id as string;
    if (blocked(base, name)) return undefined;
    const params = (property.args || []).map((arg) => self.getLiteral(arg));
    const call = { property: name, params, context: base };
    for (const handler of candidates(self.config.customMethodHandlers ?? [], name))
      if (handler.match(call)) return handler.resolve(call);
    const fn = (base as Record<string, unknown>)[name];
    if (typeof fn !== 'function') return undefined;
    try {
      return (fn as (...args: unknown[]) => unknown).apply(base, params);
    } catch (error) {
      if (error instanceof Error) {
        const pos = ref.pos;
        error.message += ` on $${ref.id}…${name}() at L/N ${pos?.first_line}:${pos?.first_column}`;
      }
      throw error;
    }
  }
}
