// What a SAM template or a serverless.yml converter hands over, checked by the same rules as
// sallyport.yaml (schema.ts) and turned into the same Project, so deploy, functions and stages
// downstream never know which format a project came from.
import { dirname } from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '../../model/types.js';
import { ProjectFileError } from '../errors.js';
import {
  checkHandlerCode,
  isDirectory,
  type ApiDefinition,
  type Project,
  type StageDefinition,
} from '../project-file.js';
import { functionSchema, stageSchema } from '../schema.js';
import { formatZodIssue } from '../../support/zod-issue.js';
import type { FunctionConfig } from '../../model/types.js';

export interface ConvertedFunction {
  name: string;
  /** Where the function is written, e.g. `template.yaml:12:3: Resources.Hello`. */
  where: string;
  /** In sallyport.yaml's shape: Runtime, Handler, Code (absolute), Timeout, MemorySize, Environment. */
  config: Record<string, unknown>;
}

export interface ConvertedApi {
  name: string;
  /** The id the template's `Ref`s already resolved to. */
  id: string;
  where: string;
  /** The built OpenAPI document, or (absent) `openapiFile` read as sallyport.yaml's are. */
  document?: unknown;
  openapiFile?: string;
  stages: { stageName: string; variables: Record<string, unknown>; where: string }[];
}

export interface ConvertedProject {
  file: string;
  settings?: Partial<Settings>;
  functions: ConvertedFunction[];
  apis: ConvertedApi[];
  notEmulated: string[];
}

/** Thrown by converters: the message already says file:line:column and key path. */
export function sourceError(file: string, where: string, message: string): ProjectFileError {
  return new ProjectFileError('ERR_PROJECT_INVALID', file, `${where}: ${message}`);
}

export async function toProject(converted: ConvertedProject): Promise<Project> {
  const { file } = converted;
  const settings: Settings = { ...DEFAULT_SETTINGS, ...converted.settings };
  const functions: FunctionConfig[] = [];
  const names = new Map<string, string>();
  for (const fn of converted.functions) {
    const other = names.get(fn.name);
    if (other)
      throw sourceError(file, fn.where, `function name "${fn.name}" also used at ${other}`);
    names.set(fn.name, fn.where);
    functions.push(await toFunction(file, fn));
  }
  const apis: ApiDefinition[] = converted.apis.map((api) => {
    const stages = api.stages.map((stage): StageDefinition => {
      const parsed = stageSchema.safeParse({ variables: stage.variables }, { reportInput: true });
      if (!parsed.success) {
        const { path, message } = formatZodIssue(parsed.error.issues[0]!);
        throw sourceError(file, stage.where, `${path.join('.')}: ${message}`);
      }
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(stage.stageName))
        throw sourceError(
          file,
          stage.where,
          `stage name "${stage.stageName}": letters, digits, - and _ only (at most 128)`,
        );
      return { stageName: stage.stageName, variables: parsed.data.variables };
    });
    const definition: ApiDefinition = {
      name: api.name,
      id: api.id,
      openapiFile: api.openapiFile ?? file,
      stages,
    };
    if (api.document !== undefined) definition.document = api.document;
    return definition;
  });
  return {
    file,
    dir: dirname(file),
    settings,
    functions,
    apis,
    usagePlans: [],
    notEmulated: converted.notEmulated,
  };
}

async function toFunction(file: string, fn: ConvertedFunction): Promise<FunctionConfig> {
  const parsed = functionSchema.safeParse(fn.config, { reportInput: true });
  if (!parsed.success) {
    const { path, message } = formatZodIssue(parsed.error.issues[0]!);
    throw sourceError(file, fn.where, `${path.join('.')}: ${message}`);
  }
  const data = parsed.data;
  if (!(await isDirectory(data.Code)))
    throw sourceError(file, fn.where, `code folder not found: ${data.Code}`);
  const missing = await checkHandlerCode(data.Runtime, data.Handler, data.Code, data.Code);
  if (missing) throw sourceError(file, fn.where, `${missing.key}: ${missing.message}`);
  const config: FunctionConfig = {
    FunctionName: fn.name,
    Runtime: data.Runtime,
    Handler: data.Handler,
    Code: data.Code,
    Timeout: data.Timeout,
    MemorySize: data.MemorySize,
    Environment: { Variables: data.Environment?.Variables ?? {} },
  };
  if (data.Isolation) config.Isolation = data.Isolation;
  return config;
}
