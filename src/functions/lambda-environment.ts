// The environment variables a function sees, computed once per pool (never per call).
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
import type { FunctionConfig, Settings } from '../model/types.js';

/** Version qualifier of the only version Sallyport runs. */
export const LATEST_VERSION = '$LATEST';

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/**
 * Unreserved variables: Lambda sets them, and the function's configuration may override them.
 * PATH is the host's, so child processes keep working outside Lambda's filesystem layout.
 */
function unreservedVariables(): Record<string, string> {
  const variables: Record<string, string> = { LANG: 'en_US.UTF-8' };
  if (process.env.PATH !== undefined) variables.PATH = process.env.PATH;
  return variables;
}

/**
 * Reserved variables: Lambda refuses to let a function's configuration set them, so here they
 * always win over `Environment.Variables`. AWS_LAMBDA_LOG_STREAM_NAME is set by each worker (one
 * log stream per execution environment). No credentials are ever passed.
 */
function reservedVariables(fn: FunctionConfig, settings: Settings): Record<string, string> {
  return {
    _HANDLER: fn.Handler,
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    // "Not defined for OS-only runtimes (the provided family)."
    ...(fn.Runtime.startsWith('provided') ? {} : { AWS_EXECUTION_ENV: `AWS_Lambda_${fn.Runtime}` }),
    AWS_LAMBDA_FUNCTION_NAME: fn.FunctionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.MemorySize),
    AWS_LAMBDA_FUNCTION_VERSION: LATEST_VERSION,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn.FunctionName),
    LAMBDA_TASK_ROOT: fn.Code,
    // Note: a worker thread shares the process's time zone; TZ documents Lambda's, it cannot
    // change the host's for one function.
    TZ: ':UTC',
  };
}

export function functionEnvironment(
  fn: FunctionConfig,
  settings: Settings,
): Record<string, string> {
  return {
    ...unreservedVariables(),
    ...fn.Environment.Variables,
    ...reservedVariables(fn, settings),
  };
}

/**
 * Lambda's init phase has its own budget, apart from the function's Timeout: module loading and
 * top-level code may take up to 10 s before the first invocation's Timeout starts.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
 */
export const INIT_TIMEOUT_MS = 10_000;
