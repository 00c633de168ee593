// The stored function and its wire shape. The stored document is a FunctionConfig (what the
// invoker runs, as sallyport.yaml produces it) plus the Lambda fields the API reports.
// https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
import { RUNTIMES } from '../../config/schema.js';
import { lambdaFunctionArn } from '../../model/arn.js';
import type { FunctionConfig, FunctionRuntime, Settings } from '../../model/types.js';
import { invalidParameter, validation } from './errors.js';

export interface StoredFunction extends FunctionConfig {
  Role: string;
  Description: string;
  CodeSha256: string;
  /** Hex of the same hash: the code folder's name and the stored package's id. */
  CodeHash: string;
  CodeSize: number;
  /** Epoch milliseconds. */
  LastModified: number;
  RevisionId: string;
  Architectures: string[];
  /** Set for functions from sallyport.yaml: the project folder that holds the code. */
  LocalCode?: string;
}

/**
 * CreateFunction's answer describes a function still being created: `State: Pending` with its
 * reason and no `LastUpdateStatus`; every later read finds it `Active`, as real CreateFunction
 * answers show (`"State": "Pending", "StateReason": "The function is being created.",
 * "StateReasonCode": "Creating"`).
 * https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
 */
const CREATING = {
  State: 'Pending',
  StateReason: 'The function is being created.',
  StateReasonCode: 'Creating',
} as const;
const READY = { State: 'Active', LastUpdateStatus: 'Successful' } as const;

/** FunctionConfiguration as Lambda returns it (GetFunction's Configuration, CreateFunction, …). */
export function toFunctionConfiguration(
  fn: StoredFunction,
  settings: Settings,
  creating = false,
): Record<string, unknown> {
  const variables = fn.Environment.Variables;
  return {
    FunctionName: fn.FunctionName,
    FunctionArn: lambdaFunctionArn(settings, fn.FunctionName),
    Runtime: fn.Runtime,
    Role: fn.Role,
    Handler: fn.Handler,
    CodeSize: fn.CodeSize,
    Description: fn.Description,
    Timeout: fn.Timeout,
    MemorySize: fn.MemorySize,
    LastModified: lambdaTimestamp(fn.LastModified),
    CodeSha256: fn.CodeSha256,
    Version: '$LATEST',
    // Lambda leaves Environment out when the function has no variables.
    ...(Object.keys(variables).length > 0 ? { Environment: { Variables: variables } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: fn.RevisionId,
    ...(creating ? CREATING : READY),
    PackageType: 'Zip',
    Architectures: fn.Architectures,
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.FunctionName}` },
  };
}

/** Lambda's LastModified: ISO 8601 with milliseconds and a `+0000` offset. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function checkFunctionName(name: unknown): string {
  if (typeof name !== 'string' || name === '')
    throw validation(
      "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null",
    );
  if (!NAME.test(name))
    throw validation(
      `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    );
  return name;
}

/** The configuration fields CreateFunction and UpdateFunctionConfiguration share. */
export interface ConfigurationInput {
  Runtime?: FunctionRuntime;
  Handler?: string;
  Role?: string;
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  Environment?: { Variables: Record<string, string> };
  Architectures?: string[];
}

export function checkConfiguration(body: Record<string, unknown>): ConfigurationInput {
  const out: ConfigurationInput = {};
  if (body.Runtime !== undefined) {
    if (!(RUNTIMES as readonly unknown[]).includes(body.Runtime))
      throw invalidParameter(
        `The runtime parameter of ${JSON.stringify(body.Runtime)} is not supported by Sallyport; use one of ${RUNTIMES.join(', ')}.`,
      );
    out.Runtime = body.Runtime as FunctionRuntime;
  }
  if (body.Handler !== undefined) out.Handler = string(body.Handler, 'handler', 128);
  if (body.Role !== undefined) {
    const role = string(body.Role, 'role', 2048);
    if (!/^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/.test(role))
      throw validation(
        `1 validation error detected: Value '${role}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+`,
      );
    out.Role = role;
  }
  if (body.Description !== undefined)
    out.Description = string(body.Description, 'description', 256, true);
  if (body.Timeout !== undefined) out.Timeout = integer(body.Timeout, 'timeout', 1, 900);
  if (body.MemorySize !== undefined)
    out.MemorySize = integer(body.MemorySize, 'memorySize', 128, 10240);
  if (body.Environment !== undefined) out.Environment = { Variables: variables(body.Environment) };
  if (body.Architectures !== undefined) {
    const a = body.Architectures;
    if (!Array.isArray(a) || a.length !== 1 || (a[0] !== 'x86_64' && a[0] !== 'arm64'))
      throw validation(
        "1 validation error detected: Value at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1, and each member must be x86_64 or arm64",
      );
    out.Architectures = [a[0] as string];
  }
  return out;
}

function string(value: unknown, member: string, max: number, empty = false): string {
  if (typeof value !== 'string' || (!empty && value === '') || value.length > max)
    throw validation(
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  return value;
}

function integer(value: unknown, member: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const bound =
      typeof value === 'number' && value < min
        ? `greater than or equal to ${min}`
        : `less than or equal to ${max}`;
    throw validation(
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have value ${bound}`,
    );
  }
  return value;
}

/**
 * "The total size of the set of environment variables doesn't exceed 4 KB", measured as Lambda
 * measures it: the variables as compact JSON, in UTF-8 bytes.
 * https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-deployment.html
 */
export const MAX_ENVIRONMENT_BYTES = 4096;

function variables(environment: unknown): Record<string, string> {
  const vars = (environment as { Variables?: unknown } | null)?.Variables ?? {};
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars))
    throw invalidParameter('Environment.Variables must be a map of strings');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(vars)) {
    if (!/^[a-zA-Z]([a-zA-Z0-9_])*$/.test(key))
      throw validation(
        `1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]`,
      );
    if (typeof value !== 'string')
      throw invalidParameter(`Environment variable ${key} must be a string`);
    out[key] = value;
  }
  const measured = JSON.stringify(out);
  if (Buffer.byteLength(measured) > MAX_ENVIRONMENT_BYTES)
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  return out;
}
