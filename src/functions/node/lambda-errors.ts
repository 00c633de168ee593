// The Node.js runtime's error documents for errors the handler raises, built where they happen (a
// thrown error's class and custom `name` do not survive structured clone or a process boundary).
// What only the platform can see (timeouts, crashed environments) is in ../platform-errors.ts.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
import { SallyportError } from '../../errors.js';
import { types } from 'node:util';
import type { LambdaErrorDocument } from '../platform-errors.js';

export type { LambdaErrorDocument };

function looksLikeError(value: unknown): value is { name: string; message: string; stack: string } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    v.name !== '' &&
    typeof v.message === 'string' &&
    v.message !== '' &&
    typeof v.stack === 'string' &&
    v.stack !== ''
  );
}

/**
 * What the Node.js runtime posts for a thrown, rejected or `callback(err)` value: name, message and
 * the stack split into lines for errors; `typeof` and `toString()` for anything else (a thrown
 * string `'boom'` becomes `{"errorType":"string","errorMessage":"boom","trace":[]}`).
 * Mirrors `toRapidResponse` in aws-lambda-nodejs-runtime-interface-client (src/Errors.js).
 */
export function toErrorDocument(error: unknown): LambdaErrorDocument {
  try {
    if (types.isNativeError(error) || looksLikeError(error)) {
      return {
        errorType: error.name,
        errorMessage: error.message,
        trace: (error.stack ?? '').split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

/**
 * The runtime's error-log rendering: a tab, then the error as JSON with errorType, errorMessage,
 * its own enumerable fields and the stack as lines (`Invoke Error \t{"errorType":…}`).
 */
export function formatErrorForLog(error: unknown): string {
  try {
    return '\t' + JSON.stringify(error, (_key, value: unknown) => withErrorFields(value));
  } catch {
    return '\t' + JSON.stringify(toErrorDocument(error));
  }
}

function withErrorFields(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const fields: Record<string, unknown> = {
    errorType: value.name,
    errorMessage: value.message,
    code: (value as { code?: unknown }).code,
    ...value,
  };
  if (typeof value.stack === 'string') fields.stack = value.stack.split('\n');
  return fields;
}

/**
 * An init or runtime error class of the Node.js runtime, named `Runtime.<Class>`. It runs inside
 * sandboxes too: the sandbox binds the error base (SANDBOX_SHARED_MODULES in sandbox-host.ts).
 */
export class RuntimeError extends SallyportError {
  // A getter, not a field: the error document built from this error carries no `code`.
  get code() {
    return 'ERR_FUNCTION_RUNTIME' as const;
  }

  constructor(kind: string, message: string) {
    super(message);
    // Not enumerable, like a class's own name, so logged errors do not repeat it.
    Object.defineProperty(this, 'name', {
      value: `Runtime.${kind}`,
      configurable: true,
      writable: true,
    });
  }
}
