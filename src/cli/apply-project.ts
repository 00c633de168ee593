// sallyport.yaml goes through the same operations as the admin API: functions stored, each API
// put (overwrite, keeping ids) and deployed to its stages — idempotently, so a restart with an
// unchanged project writes nothing. Everything that can fail is checked before anything is
// written, so a broken edit under `serve --watch` leaves the last good deployment serving.
import type { Project } from '../config/project-file.js';
import {
  applyAccessLogSettings,
  createDeployment,
  putRestApiFromOpenApi,
} from '../control/apigateway/index.js';
import { putUsagePlansFromProject } from '../control/apigateway/project-usage-plans.js';
import { putFunctionFromFolder, type FunctionChange } from '../control/lambda/local-functions.js';
import type { FunctionsInvoker } from '../functions/functions-invoker.js';
import { checkHandlerSyntax } from '../functions/node/syntax-check.js';
import type { Stage } from '../model/types.js';
import { importOpenApiDocument, readOpenApiFile } from '../openapi/import.js';
import { basename } from 'node:path';
import type { Store } from '../store/store.js';

export interface AppliedProject {
  /** Stages the project file deploys: `apiId/stage`. */
  stages: { apiId: string; stageName: string }[];
  /** Functions whose stored version changed, and how. */
  functions: { name: string; change: Exclude<FunctionChange, 'unchanged'> }[];
  /** Per API, the stages that got a new deployment. */
  redeployed: { api: string; stages: string[] }[];
}

export async function applyProject(
  project: Project,
  store: Store,
  invoker: FunctionsInvoker,
  reloadFunctions: () => Promise<void>,
  /** A reload also refuses JavaScript that does not parse (syntax-check.ts). */
  reloading = false,
): Promise<AppliedProject> {
  const deps = { store, settings: project.settings, now: Date.now };
  const declared = new Set(project.functions.map((f) => f.FunctionName));
  const functionExists = (name: string) => declared.has(name) || invoker.has(name);
  // Checks first: each function can run here (runtime, isolation, TypeScript that compiles), and
  // each OpenAPI document imports, reported as one line naming file and key.
  invoker.check(project.functions);
  if (reloading) for (const fn of project.functions) checkHandlerSyntax(fn);
  const documents = new Map<string, unknown>();
  for (const api of project.apis) {
    // A SAM template or serverless.yml brings its document built; sallyport.yaml names a file.
    const { document, source } =
      api.document === undefined
        ? await readOpenApiFile(api.openapiFile)
        : { document: api.document, source: basename(api.openapiFile) };
    importOpenApiDocument(document, {
      apiId: api.id,
      apiName: api.name,
      settings: project.settings,
      functionExists,
      source,
    });
    documents.set(api.id, document);
  }
  const applied: AppliedProject = { stages: [], functions: [], redeployed: [] };
  for (const fn of project.functions) {
    const change = await putFunctionFromFolder(deps, fn);
    if (change !== 'unchanged') applied.functions.push({ name: fn.FunctionName, change });
  }
  await reloadFunctions();
  const modelDeps = { ...deps, functionExists: (name: string) => invoker.has(name) };
  for (const api of project.apis) {
    await putRestApiFromOpenApi(modelDeps, {
      id: api.id,
      name: api.name,
      document: documents.get(api.id),
      mode: 'overwrite',
    });
    const redeployed: string[] = [];
    for (const stage of api.stages) {
      const before = await store.get<Stage>('stage', api.id, stage.stageName);
      const deployment = await createDeployment(modelDeps, api.id, {
        stageName: stage.stageName,
        variables: stage.variables,
        reuseIfUnchanged: true,
        replaceVariables: true,
      });
      if (deployment.id !== before?.deploymentId) redeployed.push(stage.stageName);
      await applyAccessLogSettings(modelDeps, api.id, stage.stageName, stage.accessLogSettings);
      applied.stages.push({ apiId: api.id, stageName: stage.stageName });
    }
    if (redeployed.length > 0) applied.redeployed.push({ api: api.name, stages: redeployed });
  }
  await putUsagePlansFromProject(deps, project.usagePlans);
  return applied;
}
