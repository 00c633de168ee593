// Where `serve` reads its project from, as something it can read again (`serve --watch`): each
// read gives the project and every file it was made of. sallyport.yaml is one source; a SAM
// template (--template) or a serverless.yml (--serverless) is another, converted on each read
// into the project sallyport.yaml would give.
import { Command } from 'commander';
import type { EnvironmentFileOptions } from '../config/environment-files.js';
import type { Project } from '../config/project-file.js';
import { projectFor } from './options.js';

export interface SourcedProject {
  project: Project;
  /**
   * The files read to make it (project file, OpenAPI documents, environment files); the
   * functions' code folders are watched as well, from `project.functions`.
   */
  files: string[];
}

export interface ProjectSource {
  /** Reads the project (again); throws, as at start, on a mistake. Undefined: no project. */
  read(): Promise<SourcedProject | undefined>;
}

/**
 * `--template` or `--serverless`, else `--config`, else ./sallyport.yaml when there is one
 * (options.ts, projectFor).
 */
export function projectSourceFor(options: ProjectSourceOptions): ProjectSource {
  return {
    async read() {
      const project = (await projectFromSource(options)) ?? (await projectFor(options.config));
      if (!project) return undefined;
      return { project, files: [project.file, ...project.apis.map((api) => api.openapiFile)] };
    },
  };
}

/** The source's projects with `--env-vars` and `.env` applied; those files are read too. */
export function withEnvironment(
  source: ProjectSource,
  options: EnvironmentFileOptions,
): ProjectSource {
  return {
    async read() {
      const sourced = await source.read();
      if (!sourced) return undefined;
      const { withEnvironmentFiles } = await import('../config/environment-files.js');
      const { project, files } = await withEnvironmentFiles(sourced.project, options);
      return { project, files: [...sourced.files, ...files] };
    },
  };
}

export interface ProjectSourceOptions {
  config?: string;
  template?: string;
  serverless?: string;
  parameterOverrides?: string[];
  stage?: string;
  region?: string;
}

export function addProjectSourceOptions(command: Command): Command {
  return command
    .option(
      '-t, --template <path>',
      'a SAM or CloudFormation template (or the folder holding template.yaml) instead of sallyport.yaml',
    )
    .option(
      '--parameter-overrides <Key=Value...>',
      "the template's parameter values, as `sam deploy` takes them (Key=Value or ParameterKey=Key,ParameterValue=Value)",
    )
    .option(
      '--serverless <path>',
      'a Serverless Framework serverless.yml (or the folder holding it) instead of sallyport.yaml',
    )
    .option(
      '--stage <name>',
      'with --serverless: the stage, ${opt:stage} (default: provider.stage, else dev)',
    )
    .option(
      '--region <name>',
      'with --serverless: the region, ${opt:region} (default: provider.region, else us-east-1)',
    );
}

/** The project a --template or --serverless names, else undefined (sallyport.yaml's turn). */
export async function projectFromSource(
  options: ProjectSourceOptions,
): Promise<Project | undefined> {
  const given = [
    options.config && '--config',
    options.template && '--template',
    options.serverless && '--serverless',
  ].filter(Boolean);
  if (given.length > 1) throw new Error(`${given.join(' and ')}: name one project`);
  if (options.parameterOverrides && !options.template)
    throw new Error('--parameter-overrides goes with --template');
  if ((options.stage || options.region) && !options.serverless)
    throw new Error('--stage and --region go with --serverless');
  // The loaders are imported when named, so commands that only define these options stay light.
  if (options.template) {
    const { loadSamTemplate } = await import('../config/sam/load-template.js');
    return loadSamTemplate(options.template, {
      parameterOverrides: parseParameterOverrides(options.parameterOverrides ?? []),
    });
  }
  if (options.serverless) {
    const { loadServerlessProject } = await import('../config/serverless/load-serverless.js');
    return loadServerlessProject(options.serverless, {
      ...(options.stage ? { stage: options.stage } : {}),
      ...(options.region ? { region: options.region } : {}),
    });
  }
  return undefined;
}

/**
 * `Key=Value` or SAM CLI's `ParameterKey=Key,ParameterValue=Value`, several per argument separated
 * by spaces as `sam deploy --parameter-overrides` takes them.
 */
export function parseParameterOverrides(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values.flatMap((v) => v.split(/\s+/)).filter(Boolean)) {
    const long = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(item);
    const short = /^([A-Za-z0-9]+)=(.*)$/.exec(item);
    const match = long ?? short;
    if (!match) throw new Error(`--parameter-overrides: expected Key=Value, got ${item}`);
    out[match[1]!] = match[2]!;
  }
  return out;
}

/** The start-up lines naming what was accepted with no local effect. */
export function notEmulatedLines(project: Project | undefined): string[] {
  const lines = project?.notEmulated ?? [];
  return lines.length === 0
    ? []
    : ['Not emulated (accepted, no effect here):', ...lines.map((l) => `  ${l}`)];
}
