// Which isolation level each function runs at: its own `Isolation`, else the gateway's default
// (`serve --isolation`). Threads can only run Node.js, so under the default `thread` every other
// runtime runs at `process`, the least it supports: a level is raised for a runtime, never lowered.
// docs/security.md, "Isolation levels".
import { SallyportError } from '../errors.js';
import type { FunctionConfig, FunctionIsolation } from '../model/types.js';

export const ISOLATION_LEVELS: readonly FunctionIsolation[] = ['thread', 'process', 'sandbox'];

/** The default when `serve --isolation` is not given: today's behaviour, the fastest. */
export const DEFAULT_ISOLATION: FunctionIsolation = 'thread';

/** A function asks for a level its runtime cannot run at (`thread` for Python or `provided`). */
export class IsolationUnsupportedError extends SallyportError {
  readonly code = 'ERR_ISOLATION_UNSUPPORTED';
  constructor(functionName: string, runtime: string, level: string) {
    super(
      `function ${functionName}: ${runtime} cannot run at isolation '${level}' (threads run Node.js only; use 'process' or 'sandbox')`,
    );
  }
}

export function isIsolationLevel(value: string): value is FunctionIsolation {
  return (ISOLATION_LEVELS as readonly string[]).includes(value);
}

export function isolationOf(
  config: FunctionConfig,
  defaultLevel: FunctionIsolation,
): FunctionIsolation {
  const node = config.Runtime.startsWith('nodejs');
  if (config.Isolation !== undefined) {
    if (config.Isolation === 'thread' && !node)
      throw new IsolationUnsupportedError(config.FunctionName, config.Runtime, 'thread');
    return config.Isolation;
  }
  return defaultLevel === 'thread' && !node ? 'process' : defaultLevel;
}
