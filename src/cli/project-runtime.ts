// Loads a project (sallyport.yaml + OpenAPI files) into a running function plane. Shared by
// `serve` and `invoke` so both see functions exactly the same way.
import { loadProject, type Project } from '../config/project-file.js';
import { FunctionsInvoker } from '../functions/functions-invoker.js';
import type { Logger } from '../observability/logger.js';

export interface ProjectRuntime {
  project: Project;
  invoker: FunctionsInvoker;
}

export async function startProject(configPath: string, logger: Logger): Promise<ProjectRuntime> {
  const project = await loadProject(configPath);
  const invoker = new FunctionsInvoker({
    functions: project.functions,
    settings: project.settings,
    logger,
  });
  return { project, invoker };
}
