// Where AWS's Java Velocity and velocityjs differ, the Java behaviour, as velocityjs method
// handlers (its supported extension point, `customMethodHandlers`). Template authors write Java:
// `$s.length()`, `$s.isEmpty()`, `$s.contains("x")`, `$s.replaceAll("[0-9]", "#")`,
// `$list.add($x)` (true, not the new length), `$a.equals($b)`.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
// https://velocity.apache.org/engine/1.7/user-guide.html
import { RE2JS } from 're2js';
import type { Compile } from 'velocityjs';

type CompileConfig = NonNullable<ConstructorParameters<typeof Compile>[1]>;
type Handler = NonNullable<CompileConfig['customMethodHandlers']>[number];
type Call = Parameters<Handler['match']>[0];

const on =
  (property: string, kind: (context: unknown) => boolean) =>
  ({ property: p, context }: Call) =>
    p === property && kind(context);
const isString = (c: unknown) => typeof c === 'string';
const isList = (c: unknown) => Array.isArray(c);
const isMap = (c: unknown) => typeof c === 'object' && c !== null && !Array.isArray(c);
const any = () => true;

/** Java's String.replaceAll / replaceFirst: a regex (RE2, linear time) and `$1` groups. */
function replace(text: string, regex: unknown, replacement: unknown, all: boolean): string {
  const matcher = RE2JS.compile(String(regex)).matcher(text);
  return all ? matcher.replaceAll(String(replacement)) : matcher.replaceFirst(String(replacement));
}

export const JAVA_METHODS: Handler[] = [
  {
    uid: 'java: String.length',
    match: on('length', isString),
    resolve: ({ context }) => (context as string).length,
  },
  {
    uid: 'java: isEmpty',
    match: on('isEmpty', (c) => isString(c) || isList(c) || isMap(c)),
    resolve: ({ context }) =>
      typeof context === 'string' || Array.isArray(context)
        ? context.length === 0
        : Object.keys(context as object).length === 0,
  },
  {
    uid: 'java: contains',
    match: on('contains', (c) => isString(c) || isList(c)),
    resolve: ({ context, params }) =>
      typeof context === 'string'
        ? context.includes(String(params[0]))
        : (context as unknown[]).includes(params[0]),
  },
  {
    uid: 'java: Map.containsKey',
    match: on('containsKey', isMap),
    resolve: ({ context, params }) => Object.hasOwn(context as object, String(params[0])),
  },
  {
    uid: 'java: String.replaceAll',
    match: on('replaceAll', isString),
    resolve: ({ context, params }) => replace(context as string, params[0], params[1], true),
  },
  {
    uid: 'java: String.replaceFirst',
    match: on('replaceFirst', isString),
    resolve: ({ context, params }) => replace(context as string, params[0], params[1], false),
  },
  {
    uid: 'java: String.matches',
    match: on('matches', isString),
    resolve: ({ context, params }) =>
      RE2JS.compile(String(params[0]))
        .matcher(context as string)
        .matches(),
  },
  {
    uid: 'java: String.equalsIgnoreCase',
    match: on('equalsIgnoreCase', isString),
    resolve: ({ context, params }) =>
      (context as string).toLowerCase() === String(params[0]).toLowerCase(),
  },
  {
    uid: 'java: equals',
    match: on('equals', any),
    resolve: ({ context, params }) => context === params[0],
  },
  // Java's List.add returns true; velocityjs returns the new length, which a bare `$l.add(1)` prints.
  {
    uid: 'java: List.add',
    match: on('add', isList),
    resolve: ({ context, params }) => ((context as unknown[]).push(params[0]), true),
  },
  { uid: 'java: toString', match: on('toString', any), resolve: ({ context }) => String(context) },
];
