// Loads a project (sallyport.yaml, a SAM template or a serverless.yml, with its environment files)
// into a running function plane, for `invoke`: the same sources and runtimes `serve` uses, so
// both see functions exactly the same way.
import type { Project } from '../config/project-file.js';
import { FunctionsInvoker } from '../functions/functions-invoker.js';
import type { RuntimeResolver } from '../functions/runtimes/runtime-resolver.js';
import type { Logger } from '../observability/logger.js';
import type { ProjectSource } from './project-source.js';

export interface ProjectRuntime {
  project: Project;
  invoker: FunctionsInvoker;
}

export async function startProject(
  source: ProjectSource,
  logger: Logger,
  runtimes: RuntimeResolver,
): Promise<ProjectRuntime> {
  const sourced = await source.read();
  if (!sourced)
    throw new Error(
      'no project here: give --config, --template or --serverless, or run where sallyport.yaml is',
    );
  const { project } = sourced;
  const invoker = new FunctionsInvoker({
    functions: project.functions,
    settings: project.settings,
    logger,
    runtimes,
  });
  return { project, invoker };
}
