// Where `serve` reads its project from, as something it can read again (`serve --watch`): each
// read gives the project and every file it was made of. sallyport.yaml is one source; another
// format (a SAM template, serverless.yml) is another source, converting on each read.
import { withEnvironmentFiles, type EnvironmentFileOptions } from '../config/environment-files.js';
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

/** `--config`, else ./sallyport.yaml when there is one (options.ts, projectFor). */
export function projectFileSource(config: string | undefined): ProjectSource {
  return {
    async read() {
      const project = await projectFor(config);
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
      const { project, files } = await withEnvironmentFiles(sourced.project, options);
      return { project, files: [...sourced.files, ...files] };
    },
  };
}
