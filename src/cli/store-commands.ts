// `sallyport apis | functions | deploy | import | export`: the same control operations the admin
// API runs, straight against the store (a running `serve` on the same store picks the changes up).
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { StoredFunction } from '../control/lambda/function-configuration.js';
import { awsId } from '../model/ids.js';
import { DEFAULT_SETTINGS, type Deployment, type RestApi, type Stage } from '../model/types.js';
import type { Store } from '../store/store.js';
import { fail } from './fail.js';
import { existingDataDir } from './find-data-dir.js';

interface StoreOptions {
  dataDir?: string;
  config?: string;
  store?: string;
}

function storeCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .option(
      '--data-dir <dir>',
      'where serve keeps its state (default: .sallyport beside the project file, or in the current folder)',
    )
    .option('-c, --config <path>', 'the project (sallyport.yaml or its folder) whose state to use')
    .option('--store <url>', 'postgres://… (default: SQLite in the data dir)');
}

/**
 * Opens the store serve used. SQLite: only one that exists (a reading command never leaves an
 * empty data directory behind), except for `import` into an explicit `--data-dir`.
 */
async function withStore<T>(
  options: StoreOptions,
  fn: (store: Store) => Promise<T>,
  creates = false,
): Promise<T> {
  const dataDir =
    options.store !== undefined || (creates && options.dataDir !== undefined)
      ? resolve(options.dataDir ?? '.sallyport')
      : existingDataDir(options.dataDir, options.config);
  // The store, the control plane and YAML are loaded when a command runs, not for `--help`.
  const { openStore } = await import('../store/open-store.js');
  const store = await openStore({ store: options.store, dataDir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function functionNames(store: Store): Promise<Set<string>> {
  return new Set((await store.list<StoredFunction>('function', '')).map((f) => f.FunctionName));
}

const settings = DEFAULT_SETTINGS;

export function storeCommands(): Command[] {
  const apis = storeCommand('apis', 'list the REST APIs and their stages').action(
    (o: StoreOptions) =>
      withStore(o, async (store) => {
        for (const api of await store.list<RestApi>('restapi', '')) {
          const stages = await store.list<Stage>('stage', api.id);
          const list = stages
            .map((s) => `${s.stageName} (deployment ${s.deploymentId})`)
            .join(', ');
          process.stdout.write(`${api.id}  ${api.name}  stages: ${list || 'none'}\n`);
        }
      }).catch(fail),
  );

  const functions = storeCommand('functions', 'list the Lambda functions').action(
    (o: StoreOptions) =>
      withStore(o, async (store) => {
        for (const fn of await store.list<StoredFunction>('function', '')) {
          process.stdout.write(
            `${fn.FunctionName}  ${fn.Runtime}  ${fn.Handler}  ${fn.LocalCode ?? fn.Code}\n`,
          );
        }
      }).catch(fail),
  );

  const deploy = storeCommand(
    'deploy',
    "deploy the API's working copy to a stage (CreateDeployment)",
  )
    .argument('<api>', 'API id')
    .argument('<stage>', 'stage name')
    .option('--description <text>', 'deployment description')
    .action((apiId: string, stageName: string, o: StoreOptions & { description?: string }) =>
      withStore(o, async (store) => {
        const { createDeployment } = await import('../control/apigateway/index.js');
        const names = await functionNames(store);
        const deployment = await createDeployment(
          { store, settings, functionExists: (n) => names.has(n) },
          apiId,
          { stageName, ...(o.description ? { description: o.description } : {}) },
        );
        process.stdout.write(
          `✔ deployed ${apiId} to stage ${stageName} (deployment ${deployment.id})\n`,
        );
      }).catch(fail),
    );

  const importCmd = storeCommand('import', 'create an API from an OpenAPI file (ImportRestApi)')
    .argument('<file>', 'OpenAPI 3.0 or Swagger 2.0, YAML or JSON')
    .option('--id <apiId>', 'overwrite this existing API instead (PutRestApi mode=overwrite)')
    .action((file: string, o: StoreOptions & { id?: string }) =>
      withStore(
        o,
        async (store) => {
          const [{ parseYaml }, { putRestApiFromOpenApi }] = await Promise.all([
            import('../support/yaml.js'),
            import('../control/apigateway/index.js'),
          ]);
          const parsed = parseYaml(await readFile(file, 'utf8'));
          if (!parsed.ok)
            throw new Error(`${file}:${parsed.line}:${parsed.column}: ${parsed.reason}`);
          const names = await functionNames(store);
          const api = await putRestApiFromOpenApi(
            { store, settings, functionExists: (n) => names.has(n) },
            { id: o.id ?? awsId(10), document: parsed.value, mode: 'overwrite' },
          );
          process.stdout.write(`✔ imported ${api.name} as ${api.id}\n`);
        },
        true,
      ).catch((error: Error) => fail(new Error(error.message.replace(/\s*\n\s*/g, ' ')))),
    );

  const exportCmd = storeCommand('export', 'print the OpenAPI of a deployed stage (GetExport)')
    .argument('<api>', 'API id')
    .argument('<stage>', 'stage name')
    .option('--type <type>', 'oas30 or swagger', 'oas30')
    .option('--json', 'JSON instead of YAML')
    .action(
      (apiId: string, stageName: string, o: StoreOptions & { type: string; json?: boolean }) =>
        withStore(o, async (store) => {
          if (o.type !== 'oas30' && o.type !== 'swagger')
            throw new Error(`--type: oas30 or swagger, not ${o.type}`);
          const stage = await store.get<Stage>('stage', apiId, stageName);
          if (!stage) throw new Error(`no stage ${stageName} in API ${apiId}`);
          const deployment = await store.get<Deployment>('deployment', apiId, stage.deploymentId);
          if (!deployment) throw new Error(`stage ${stageName} points at a missing deployment`);
          const [{ exportOpenApi }, { stringify }] = await Promise.all([
            import('../openapi/export.js'),
            import('yaml'),
          ]);
          const document = exportOpenApi(deployment.snapshot, {
            exportType: o.type,
            stageName,
            settings,
            extensions: new Set(['integrations', 'authorizers']),
          });
          process.stdout.write(
            o.json ? JSON.stringify(document, null, 2) + '\n' : stringify(document),
          );
        }).catch(fail),
    );

  return [apis, functions, deploy, importCmd, exportCmd];
}
