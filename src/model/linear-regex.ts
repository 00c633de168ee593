// Regular expressions that a client's input is matched against on the data plane. They run on
// RE2 (re2js, pure JavaScript): matching time is linear in the input, so no expression can make a
// request — or, since matching is synchronous, every other request — wait on backtracking.
// AWS evaluates these expressions with Java's java.util.regex; RE2 accepts nearly the same
// syntax but not backreferences (\1), lookahead/lookbehind ((?=…), (?!…), (?<=…), (?<!…)),
// atomic groups ((?>…)) or possessive quantifiers (a*+). Those are refused when the
// expression is configured, with RE2's reason, never at request time.
import { SallyportError } from '../errors.js';
import { RE2JS } from 're2js';

/** What RE2 leaves out of Java's regex syntax; said in every refusal so the fix is obvious. */
const UNSUPPORTED =
  'Sallyport matches with a linear-time engine (RE2 syntax), which does not support backreferences, lookahead/lookbehind, atomic groups or possessive quantifiers';

export class UnsupportedRegexError extends SallyportError {
  readonly code = 'ERR_UNSUPPORTED_REGEX';
  constructor(expression: string, reason: string) {
    super(`'${expression}': ${reason}. ${UNSUPPORTED}`);
  }
}

/** The whole input must match, as with Java's `String.matches`. */
export function compileFullMatch(expression: string): (input: string) => boolean {
  const re = compile(expression);
  return (input) => re.matches(input);
}

/** Some part of the input must match, as with Java's `Matcher.find`. */
export function compileFind(expression: string): (input: string) => boolean {
  const re = compile(expression);
  return (input) => re.test(input);
}

/**
 * ajv's `code.regExp` engine for JSON Schema `pattern` and `patternProperties` (request
 * validation models): the same linear-time matching, so a model's pattern cannot stall the
 * gateway on a crafted body. JSON Schema patterns search (ECMA 262 `test`), so this finds.
 */
export const linearRegExpEngine = Object.assign(
  (pattern: string): { test: (input: string) => boolean } => {
    const re = compile(pattern);
    return { test: (input) => re.test(input) };
  },
  { code: 'sallyport.linearRegExpEngine' },
);

function compile(expression: string): RE2JS {
  try {
    return RE2JS.compile(expression);
  } catch (error) {
    throw new UnsupportedRegexError(expression, (error as Error).message);
  }
}
