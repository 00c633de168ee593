import { SallyportError } from '../../errors.js';

/**
 * The machine cannot give a function the `sandbox` level (no bubblewrap, not root, no writable
 * cgroup memory controller, no namespaces). `serve` refuses to start rather than run the function
 * with less isolation than it asked for.
 */
export class SandboxUnavailableError extends SallyportError {
  readonly code = 'ERR_SANDBOX_UNAVAILABLE';
  constructor(missing: string) {
    super(`isolation 'sandbox' is not available on this machine: ${missing}`);
  }
}

/** A function the sandbox cannot run as configured (its code is not readable by other users). */
export class SandboxFunctionError extends SallyportError {
  readonly code = 'ERR_SANDBOX_FUNCTION';
  constructor(message: string) {
    super(message);
  }
}
