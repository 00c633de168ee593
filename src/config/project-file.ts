// Loads sallyport.yaml: the functions Sallyport runs and the APIs it serves.
import type { ApiStage, QuotaSettings, ThrottleSettings } from '../model/usage-plans.js';
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { AccessLogSettings, FunctionConfig, Settings } from '../model/types.js';
import { ProjectFileError } from './errors.js';
import { projectFileSchema, type ProjectFile } from './schema.js';
import { restApiIdFor } from '../support/stable-id.js';
import { closest } from '../support/closest.js';
import { parseYaml, yamlLocator, type YamlPosition } from '../support/yaml.js';
import { formatKeyPath, formatZodIssue, type KeyPath } from '../support/zod-issue.js';
import { knownKeysAt } from '../support/zod-keys.js';
import type { z } from 'zod';

export interface StageDefinition {
  stageName: string;
  variables: Record<string, string>;
  /** The format with presets resolved; set on the stage as UpdateStage would. */
  accessLogSettings?: AccessLogSettings;
}

export interface ApiDefinition {
  name: string;
  /** From the file, or derived from the name so it stays stable across restarts. */
  id: string;
  /** Absolute path of the OpenAPI 2.0/3.0 document. */
  openapiFile: string;
  /**
   * The document itself, when it was built from a SAM template or serverless.yml rather than read
   * from `openapiFile` (which then names the template, for messages and watching).
   */
  document?: unknown;
  stages: StageDefinition[];
}

export interface Project {
  /** Absolute path of sallyport.yaml. */
  file: string;
  /** The folder holding it; relative paths in the file are relative to it. */
  dir: string;
  settings: Settings;
  functions: FunctionConfig[];
  apis: ApiDefinition[];
  usagePlans: UsagePlanDefinition[];
  /** Settings of a SAM template or serverless.yml accepted with no local effect, one line per kind. */
  notEmulated?: string[];
}

/** A usage plan of the project file: its API stages named by API id, its keys by name. */
export interface UsagePlanDefinition {
  name: string;
  description?: string | undefined;
  throttle?: ThrottleSettings | undefined;
  quota?: QuotaSettings | undefined;
  apiStages: ApiStage[];
  apiKeys: {
    name: string;
    value?: string | undefined;
    enabled: boolean;
    description?: string | undefined;
  }[];
}

const FILE_NAMES = ['sallyport.yaml', 'sallyport.yml'];
// The Node.js runtime looks for the handler module with these extensions, in this order.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
const NODE_MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs'];

/** `pathArg` is sallyport.yaml itself or the folder holding it (sallyport.yaml or .yml). */
export async function loadProject(pathArg: string): Promise<Project> {
  const file = await findProjectFile(resolve(pathArg), pathArg);
  const name = basename(file);
  const text = await readFile(file, 'utf8');
  const raw = parseYaml(text);
  if (!raw.ok) {
    throw new ProjectFileError(
      'ERR_PROJECT_YAML_SYNTAX',
      file,
      `${name}:${raw.line}:${raw.column}: ${raw.reason}`,
    );
  }
  const where: Where = { file, locate: yamlLocator(text) };
  const parsed = projectFileSchema.safeParse(raw.value ?? {}, { reportInput: true });
  if (!parsed.success) throw schemaProblems(where, parsed.error.issues);
  const dir = dirname(file);
  const functions = await toFunctions(parsed.data, where, dir);
  const apis = await toApis(parsed.data, where, dir);
  const usagePlans = toUsagePlans(parsed.data, apis, where);
  return { file, dir, settings: parsed.data.settings, functions, apis, usagePlans };
}

/** Each plan's API stages must be APIs and stages of this file; a key name is one key. */
function toUsagePlans(
  data: ProjectFile,
  apis: ApiDefinition[],
  file: Where,
): UsagePlanDefinition[] {
  const keyPlans = new Map<string, string>();
  return Object.entries(data.usagePlans).map(([name, plan]) => {
    const apiStages = plan.apiStages.map((apiStage, index) => {
      const where = `usagePlans.${name}.apiStages[${index}]`;
      const api = apis.find((a) => a.name === apiStage.api);
      if (!api) throw invalid(file, `${where}.api`, `no API named "${apiStage.api}" in apis`);
      if (!api.stages.some((s) => s.stageName === apiStage.stage))
        throw invalid(file, `${where}.stage`, `API "${api.name}" has no stage "${apiStage.stage}"`);
      const stage: ApiStage = { apiId: api.id, stage: apiStage.stage };
      if (apiStage.throttle) stage.throttle = apiStage.throttle;
      return stage;
    });
    const apiKeys = Object.entries(plan.apiKeys).map(([keyName, key]) => {
      const other = keyPlans.get(keyName);
      if (other !== undefined)
        throw invalid(
          file,
          `usagePlans.${name}.apiKeys.${keyName}`,
          `also a key of plan "${other}": name a key once`,
        );
      keyPlans.set(keyName, name);
      return { name: keyName, ...key };
    });
    return {
      name,
      description: plan.description,
      throttle: plan.throttle,
      quota: plan.quota,
      apiStages,
      apiKeys,
    };
  });
}

async function findProjectFile(absolute: string, pathArg: string): Promise<string> {
  const stats = await stat(absolute).catch(() => undefined);
  if (!stats) {
    throw new ProjectFileError(
      'ERR_PROJECT_NOT_FOUND',
      absolute,
      `${pathArg}: no such file or folder`,
    );
  }
  if (!stats.isDirectory()) return absolute;
  for (const candidate of FILE_NAMES) {
    const file = join(absolute, candidate);
    if (await isFile(file)) return file;
  }
  throw new ProjectFileError(
    'ERR_PROJECT_NOT_FOUND',
    absolute,
    `${pathArg}: no sallyport.yaml or sallyport.yml in this folder`,
  );
}

async function toFunctions(data: ProjectFile, file: Where, dir: string): Promise<FunctionConfig[]> {
  const functions: FunctionConfig[] = [];
  for (const [FunctionName, fn] of Object.entries(data.functions)) {
    const keyPath = `functions.${FunctionName}`;
    const Code = resolve(dir, fn.Code);
    if (!(await isDirectory(Code))) {
      throw invalid(file, `${keyPath}.Code`, `folder not found: ${fn.Code}`);
    }
    const missing = await checkHandlerCode(fn.Runtime, fn.Handler, Code, fn.Code);
    if (missing) throw invalid(file, `${keyPath}.${missing.key}`, missing.message);
    const config: FunctionConfig = {
      FunctionName,
      Runtime: fn.Runtime,
      Handler: fn.Handler,
      Code,
      Timeout: fn.Timeout,
      MemorySize: fn.MemorySize,
      Environment: { Variables: fn.Environment?.Variables ?? {} },
    };
    if (fn.Isolation) config.Isolation = fn.Isolation;
    functions.push(config);
  }
  return functions;
}

async function toApis(data: ProjectFile, file: Where, dir: string): Promise<ApiDefinition[]> {
  const apis: ApiDefinition[] = [];
  const ids = new Map<string, number>();
  for (const [index, api] of data.apis.entries()) {
    const id = api.id ?? restApiIdFor(api.name);
    const other = ids.get(id);
    if (other !== undefined) {
      throw invalid(file, `apis[${index}].id`, `duplicate API id "${id}" (also apis[${other}])`);
    }
    ids.set(id, index);
    const openapiFile = resolve(dir, api.openapi);
    if (!(await isFile(openapiFile))) {
      throw invalid(file, `apis[${index}].openapi`, `file not found: ${api.openapi}`);
    }
    const stages = Object.entries(api.stages).map(([stageName, stage]) => {
      const definition: StageDefinition = { stageName, variables: stage.variables };
      if (stage.accessLogSettings) definition.accessLogSettings = stage.accessLogSettings;
      return definition;
    });
    apis.push({ name: api.name, id, openapiFile, stages });
  }
  return apis;
}

/** What the runtime will look for in the code folder at init, checked now so a typo fails at load. */
export async function checkHandlerCode(
  runtime: string,
  handler: string,
  code: string,
  codeArg: string,
): Promise<{ key: string; message: string } | undefined> {
  if (runtime.startsWith('provided')) {
    // https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html: an executable `bootstrap`.
    const bootstrap = join(code, 'bootstrap');
    if (!(await isFile(bootstrap)))
      return {
        key: 'Code',
        message: `no bootstrap file in ${codeArg} (${runtime} runs Code/bootstrap)`,
      };
    if (!(await isExecutable(bootstrap)))
      return { key: 'Code', message: `${codeArg}/bootstrap is not executable (chmod +x it)` };
    return undefined;
  }
  if (runtime.startsWith('python')) {
    const candidates = pythonModuleFiles(handler);
    for (const candidate of candidates) if (await isFile(join(code, candidate))) return undefined;
    const moduleName = handler.slice(0, handler.lastIndexOf('.'));
    return {
      key: 'Handler',
      message: `handler module "${moduleName}" not found in ${codeArg} (looked for ${candidates.join(', ')})`,
    };
  }
  const moduleName = handlerModule(handler);
  if (await findModule(code, moduleName)) return undefined;
  const tried = [...NODE_MODULE_EXTENSIONS, '.ts'].map((ext) => moduleName + ext).join(', ');
  return {
    key: 'Handler',
    message: `handler module "${moduleName}" not found in ${codeArg} (looked for ${tried})`,
  };
}

/**
 * `pkg/mod.handler` or `pkg.mod.handler` → `pkg/mod.py` or the package `pkg/mod/__init__.py`, as
 * Python's import of `pkg.mod` finds them. https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
 */
function pythonModuleFiles(handler: string): string[] {
  const modulePath = handler.slice(0, handler.lastIndexOf('.')).replaceAll('.', '/');
  return [`${modulePath}.py`, `${modulePath}/__init__.py`];
}

/** `dir/file.export.path` → `dir/file`: the module is the part before the first dot of the last segment. */
function handlerModule(handler: string): string {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  return handler.slice(0, dot);
}

async function findModule(codeDir: string, moduleName: string): Promise<boolean> {
  // A .ts handler is compiled when its function starts (functions/node/typescript-build.ts).
  for (const ext of [...NODE_MODULE_EXTENSIONS, '.ts']) {
    if (await isFile(join(codeDir, moduleName + ext))) return true;
  }
  return false;
}

/** The project file and where each of its keys sits, for messages that name file:line:column. */
interface Where {
  file: string;
  locate: (path: readonly PropertyKey[], key?: boolean) => YamlPosition;
}

/** One problem as a line: `sallyport.yaml:7:5: functions.fn.Runtime: message`. */
function problemLine(where: Where, path: KeyPath, message: string, key?: string): string {
  const { line, column } = where.locate(
    key === undefined ? path : [...path, key],
    key !== undefined,
  );
  const keyPath = formatKeyPath(path);
  return `${basename(where.file)}:${line}:${column}: ${keyPath === '' ? '' : `${keyPath}: `}${message}`;
}

function invalid(where: Where, keyPath: string, message: string): ProjectFileError {
  const path = keyPath.split(/\.|\[(\d+)\]/).filter((step) => step !== undefined && step !== '');
  const steps = path.map((step) => (/^\d+$/.test(step) ? Number(step) : step));
  return new ProjectFileError(
    'ERR_PROJECT_INVALID',
    where.file,
    problemLine(where, steps, message),
    keyPath,
  );
}

/** Every schema problem at once, each at its line, an unknown key with the nearest known one. */
function schemaProblems(where: Where, issues: readonly z.core.$ZodIssue[]): ProjectFileError {
  const problems: { line: number; text: string }[] = [];
  // A misspelt required key is one mistake: "did you mean 'Runtime'?" says it; "Runtime: required" would repeat it.
  const suggested = new Set<string>();
  const add = (path: KeyPath, message: string, key?: string) =>
    problems.push({
      line: where.locate(key === undefined ? path : [...path, key], key !== undefined).line,
      text: problemLine(where, path, message, key),
    });
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownKeysAt(projectFileSchema, issue.path);
    for (const key of issue.keys) {
      const near = closest(key, known);
      if (near) suggested.add(formatKeyPath([...issue.path, near]));
      const hint = near ? ` — did you mean '${near}'?` : ` (known: ${known.join(', ')})`;
      add(issue.path, `unknown key '${key}'${hint}`, key);
    }
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const { path, message } = formatZodIssue(issue);
    if (message === 'required' && suggested.has(formatKeyPath(path))) continue;
    add(path, message);
  }
  const lines = problems.sort((a, b) => a.line - b.line).map((p) => p.text);
  const message =
    lines.length === 1
      ? lines[0]!
      : `${basename(where.file)}: ${lines.length} problems\n${lines.map((l) => `  ${l}`).join('\n')}`;
  return new ProjectFileError(
    'ERR_PROJECT_INVALID',
    where.file,
    message,
    formatKeyPath(issues[0]?.path ?? []),
  );
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
