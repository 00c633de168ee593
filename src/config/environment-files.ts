// Environment variables kept in files: `serve --env-vars env.json` in `sam local`'s format, and a
// `.env` file. As in SAM, a file only sets variables a function declares (its
// Environment.Variables): values for undeclared names are ignored. Precedence, lowest first: the
// project file, .env, env.json's "Parameters" (every function), env.json's entry for the function.
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-start-api.html
// (Environment variable files); SAM's rule lives in samcli/local/lambdafn/env_vars.py.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { FunctionConfig } from '../model/types.js';
import type { Project } from './project-file.js';

export interface EnvironmentFileOptions {
  /** `--env-vars`: {"FunctionName": {...}, "Parameters": {...}}. */
  envVars?: string | undefined;
  /** `--env-file`; default `.env` beside the project file, when there is one. */
  envFile?: string | undefined;
}

interface Overrides {
  dotenv: Record<string, string>;
  parameters: Record<string, string>;
  perFunction: Record<string, Record<string, string>>;
}

/** The project with the files' values applied, and the files read (for `serve --watch`). */
export async function withEnvironmentFiles(
  project: Project,
  options: EnvironmentFileOptions,
): Promise<{ project: Project; files: string[] }> {
  const files: string[] = [];
  const overrides: Overrides = { dotenv: {}, parameters: {}, perFunction: {} };
  const dotenv = options.envFile ? resolve(options.envFile) : join(project.dir, '.env');
  if (options.envFile !== undefined || existsSync(dotenv)) {
    overrides.dotenv = await readDotenv(dotenv);
    files.push(dotenv);
  }
  if (options.envVars !== undefined) {
    const file = resolve(options.envVars);
    Object.assign(overrides, await readEnvVars(file));
    files.push(file);
  }
  if (files.length === 0) return { project, files };
  const functions = project.functions.map((fn) => withOverrides(fn, overrides));
  return { project: { ...project, functions }, files };
}

function withOverrides(fn: FunctionConfig, overrides: Overrides): FunctionConfig {
  const Variables = { ...fn.Environment.Variables };
  const layers = [overrides.dotenv, overrides.parameters, overrides.perFunction[fn.FunctionName]];
  for (const name of Object.keys(Variables)) {
    for (const layer of layers)
      if (layer && Object.hasOwn(layer, name)) Variables[name] = layer[name]!;
  }
  return { ...fn, Environment: { Variables } };
}

async function readDotenv(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `--env-file ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
  return parseEnv(text) as Record<string, string>;
}

async function readEnvVars(file: string): Promise<Pick<Overrides, 'parameters' | 'perFunction'>> {
  const where = `--env-vars ${file}`;
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${where}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not JSON (${(error as Error).message})`, { cause: error });
  }
  if (!isObject(parsed))
    throw new Error(`${where}: expected {"FunctionName": {"VAR": "value"}, "Parameters": {...}}`);
  const perFunction: Record<string, Record<string, string>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    // SAM: "Environment variables {} in incorrect format" for an entry that is not an object.
    if (!isObject(value))
      throw new Error(
        `${where}: "${key}" must be an object of variables, got ${JSON.stringify(value)}`,
      );
    perFunction[key] = Object.fromEntries(
      Object.entries(value).map(([name, v]) => [name, stringified(v)]),
    );
  }
  const { Parameters: parameters = {}, ...rest } = perFunction;
  return { parameters, perFunction: rest };
}

/** As SAM passes values: true → "true", numbers as written, objects, arrays and null → "". */
function stringified(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
