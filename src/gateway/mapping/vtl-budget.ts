// The budget of one render, shared by the compiled templates and the interpreter, so a template
// that loops or grows without bound fails the same way on either path.
import { SallyportError } from '../../errors.js';

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

export const budgetExceeded = () =>
  new TemplateRenderError('template exceeded its evaluation budget');
export const outputTooLarge = () => new TemplateRenderError('template output exceeded 10 MB');
export const rangeTooLong = (from: number, to: number) =>
  new TemplateRenderError(`range [${from}..${to}] exceeds ${RENDER_LIMITS.rangeLength} elements`);
