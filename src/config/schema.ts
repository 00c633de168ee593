// The shape of sallyport.yaml, with AWS's own limits, validated once here so the rest of the code
// trusts typed values.
import {
  ACCESS_LOG_PRESETS,
  accessLogFormatProblem,
  type AccessLogPreset,
} from '../model/access-log-rules.js';
import { z } from 'zod';
import type { FunctionRuntime } from '../model/types.js';
import { DEPRECATED_RUNTIME_NAMES } from '../functions/runtimes/runtime-versions.js';

export { NODE_RUNTIMES, PROVIDED_RUNTIMES, PYTHON_RUNTIMES, RUNTIMES } from './runtimes.js';
import { RUNTIMES } from './runtimes.js';

const PROJECT_RUNTIMES = new Set<unknown>([...RUNTIMES, ...DEPRECATED_RUNTIME_NAMES]);

// https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
// https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-Handler
// (max 128, no whitespace); Node.js resolves `dir/file.export` inside the code folder.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
const NODE_HANDLER =
  /^(?:[A-Za-z0-9_@-][A-Za-z0-9_.@-]*\/)*[A-Za-z0-9_@-]+\.[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;
// Python: `module.function`, the module a dotted or slashed path to a .py file in the code folder
// (`pkg/mod.handler` or `pkg.mod.handler`). https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
const PYTHON_HANDLER = /^(?:[A-Za-z_]\w*[/.])*[A-Za-z_]\w*\.[A-Za-z_]\w*$/;
// Lambda's own pattern; `provided` runtimes read _HANDLER however they like.
const ANY_HANDLER = /^[^\s]+$/;
// https://docs.aws.amazon.com/lambda/latest/api/API_Environment.html
const ENV_KEY = /^[a-zA-Z]([a-zA-Z0-9_])+$/;
// Lambda sets these itself and refuses them in a function's configuration.
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
const RESERVED_ENV_KEYS = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);
// "The total size of all environment variables doesn't exceed 4 KB."
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
const ENV_MAX_BYTES = 4096;
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html (stageName) and
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-stages.html
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDeployment.html (variables) and
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
// (key at most 64 characters, value at most 512).
const STAGE_VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
const STAGE_VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]+$/;
const STAGE_VARIABLE_VALUE_MAX = 512;
const STAGE_VARIABLES_MAX = 100;
export const API_ID = /^[a-z0-9]{10}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** YAML turns `debug`, `5` and `true` into different types; AWS's values are all strings. */
const scalarString = z
  .union([z.string(), z.number(), z.boolean()], { error: 'expected a string' })
  .transform(String);

const settingsSchema = z.strictObject({
  region: z
    .string()
    .regex(REGION, { error: 'expected an AWS region name such as us-east-1' })
    .default('us-east-1'),
  // Quoted or not: YAML reads an unquoted 123456789012 as a number.
  accountId: scalarString
    .pipe(z.string().regex(ACCOUNT_ID, { error: 'expected 12 digits (quote it in YAML)' }))
    .default('123456789012'),
});

const environmentSchema = z
  .strictObject({
    Variables: z
      .record(
        z
          .string()
          .regex(ENV_KEY, {
            error: 'environment variable names start with a letter, then letters, digits or _',
          })
          .refine((key) => !RESERVED_ENV_KEYS.has(key), {
            error: 'is reserved by Lambda and cannot be set',
          }),
        scalarString,
      )
      .nullish()
      .transform((v) => v ?? {}),
  })
  .refine(
    (env) =>
      Object.entries(env.Variables).reduce(
        (bytes, [key, value]) => bytes + Buffer.byteLength(key) + Buffer.byteLength(value),
        0,
      ) <= ENV_MAX_BYTES,
    { error: 'environment variables exceed Lambda’s 4 KB limit' },
  );

export const functionSchema = z
  .strictObject({
    // Deprecated runtimes are accepted: old projects name them; they run on the nearest supported.
    Runtime: z.custom<FunctionRuntime>(
      (value) => PROJECT_RUNTIMES.has(value as string),
      // The deprecated ones are accepted, not offered.
      {
        error: (issue) =>
          issue.input === undefined
            ? 'required'
            : `expected one of ${RUNTIMES.join(', ')} (got ${JSON.stringify(issue.input)})`,
      },
    ),
    Handler: z
      .string()
      .max(128, { error: 'must be at most 128 characters' })
      .regex(ANY_HANDLER, { error: 'must not be empty or contain whitespace' }),
    Code: z.string().min(1, { error: 'expected a folder path' }),
    // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-Timeout
    Timeout: z
      .number()
      .int()
      .min(1, { error: 'must be between 1 and 900 seconds' })
      .max(900, { error: 'must be between 1 and 900 seconds' })
      .default(3),
    // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-MemorySize
    MemorySize: z
      .number()
      .int()
      .min(128, { error: 'must be between 128 and 10240 MB' })
      .max(10240, { error: 'must be between 128 and 10240 MB' })
      .default(128),
    Environment: environmentSchema.optional(),
    // Sallyport's own: worker threads (Node.js only), a child process per environment, or a
    // sandboxed process (docs/security.md, "Isolation levels").
    Isolation: z.enum(['thread', 'process', 'sandbox']).optional(),
  })
  .superRefine((fn, ctx) => {
    const { Runtime, Handler } = fn;
    const node = Runtime.startsWith('nodejs');
    const python = Runtime.startsWith('python');
    if (node && !NODE_HANDLER.test(Handler)) {
      ctx.addIssue({
        code: 'custom',
        path: ['Handler'],
        message: `expected file.export or dir/file.export, e.g. index.handler (got "${Handler}")`,
      });
    }
    if (python && !PYTHON_HANDLER.test(Handler)) {
      ctx.addIssue({
        code: 'custom',
        path: ['Handler'],
        message: `expected module.function or package/module.function, e.g. lambda_function.lambda_handler (got "${Handler}")`,
      });
    }
    if (!node && fn.Isolation === 'thread') {
      ctx.addIssue({
        code: 'custom',
        path: ['Isolation'],
        message: `only Node.js functions can run in threads; ${Runtime} runs in a process`,
      });
    }
  });

export const stageSchema = z
  .strictObject({
    variables: z
      .record(
        z.string().regex(STAGE_VARIABLE_NAME, {
          error: 'stage variable names can only contain letters, digits and _ (at most 64)',
        }),
        scalarString.pipe(
          z
            .string()
            .max(STAGE_VARIABLE_VALUE_MAX, { error: 'must be at most 512 characters' })
            .regex(STAGE_VARIABLE_VALUE, {
              error: 'stage variable values can only contain letters, digits and -._~:/?#&=,',
            }),
        ),
      )
      .nullish()
      .transform((v) => v ?? {})
      .refine((v) => Object.keys(v).length <= STAGE_VARIABLES_MAX, {
        error: 'at most 100 stage variables per stage',
      }),
    // The stage's access log: a format, or the name of a console preset (CLF, JSON, XML, CSV).
    accessLogSettings: z
      .strictObject({
        format: z
          .string()
          .transform((f) =>
            f in ACCESS_LOG_PRESETS ? ACCESS_LOG_PRESETS[f as AccessLogPreset] : f,
          )
          .superRefine((format, ctx) => {
            const problem = accessLogFormatProblem(format);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
        destinationArn: z.string().optional(),
      })
      .optional(),
  })
  .nullish()
  .transform((stage) => stage ?? { variables: {}, accessLogSettings: undefined });

const apiSchema = z.strictObject({
  name: z.string().min(1, { error: 'must not be empty' }),
  id: z
    .string()
    .regex(API_ID, { error: 'expected 10 lowercase letters or digits, e.g. a1b2c3d4e5' })
    .optional(),
  openapi: z.string().min(1, { error: 'expected a file path' }),
  stages: z
    .record(
      z.string().regex(STAGE_NAME, {
        error: 'stage names can only contain letters, digits, - and _ (at most 128)',
      }),
      stageSchema,
    )
    .nullish()
    .transform((v) => v ?? {}),
});

// Usage plans and their API keys, as CreateUsagePlan and CreateApiKey take them; APIs are named
// as in `apis`. https://docs.aws.amazon.com/apigateway/latest/api/API_CreateUsagePlan.html
const throttleSchema = z.strictObject({
  rateLimit: z.number().min(0, { error: 'must be 0 or more' }),
  burstLimit: z.number().int().min(0, { error: 'must be 0 or more' }).optional(),
});

const usagePlanSchema = z.strictObject({
  description: z.string().optional(),
  throttle: throttleSchema.optional(),
  quota: z
    .strictObject({
      limit: z.number().int().min(0, { error: 'must be 0 or more' }),
      period: z.enum(['DAY', 'WEEK', 'MONTH']),
      offset: z.number().int().min(0).max(27).default(0),
    })
    .optional(),
  apiStages: z
    .array(
      z.strictObject({
        api: z.string().min(1, { error: 'expected the name of an API in apis' }),
        stage: z.string().regex(STAGE_NAME, { error: 'expected a stage name' }),
        throttle: z.record(z.string(), throttleSchema).optional(),
      }),
    )
    .default([]),
  apiKeys: z
    .record(
      z.string().min(1),
      z
        .strictObject({
          value: z
            .string()
            .regex(/^[\x21-\x7e]{20,128}$/, { error: 'must be 20 to 128 characters, no spaces' })
            .optional(),
          enabled: z.boolean().default(true),
          description: z.string().optional(),
        })
        .nullish()
        .transform((key) => key ?? { enabled: true }),
    )
    .nullish()
    .transform((v) => v ?? {}),
});

export const projectFileSchema = z
  .strictObject({
    settings: settingsSchema.nullish().transform((v) => v ?? settingsSchema.parse({})),
    functions: z
      .record(
        z.string().regex(FUNCTION_NAME, {
          error: 'function names can only contain letters, digits, - and _ (at most 64)',
        }),
        functionSchema,
      )
      .nullish()
      .transform((v) => v ?? {}),
    apis: z
      .array(apiSchema)
      .nullish()
      .transform((v) => v ?? []),
    usagePlans: z
      .record(z.string().min(1), usagePlanSchema)
      .nullish()
      .transform((v) => v ?? {}),
  })
  .superRefine((project, ctx) => {
    const seen = new Map<string, number>();
    project.apis.forEach((api, index) => {
      const first = seen.get(api.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['apis', index, 'name'],
          message: `duplicate API name "${api.name}" (also apis[${first}].name)`,
        });
      } else seen.set(api.name, index);
    });
  });

/** sallyport.yaml as written, after defaults. */
export type ProjectFile = z.output<typeof projectFileSchema>;
/** sallyport.yaml as a person may write it. */
export type ProjectFileInput = z.input<typeof projectFileSchema>;
