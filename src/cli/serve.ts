import { Command, Option } from 'commander';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Gateway } from '../gateway/gateway.js';
import { requestId } from '../model/ids.js';
import { createLogger } from '../observability/logger.js';
import { importOpenApi } from '../openapi/import.js';
import { fail } from './main.js';
import { startProject } from './project-runtime.js';

interface ServeOptions {
  config: string;
  port: string;
  host: string;
  dataDir: string;
  logLevel: string;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description("serve the project's APIs: every stage deployed, every function warm")
    .option('-c, --config <path>', 'sallyport.yaml, or the folder holding it', '.')
    .option('-p, --port <port>', 'port for API calls', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'where Sallyport keeps its state', '.sallyport')
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['debug', 'info', 'warn', 'error'])
        .default('info'),
    )
    .action((options: ServeOptions) => serve(options).catch(fail));
}

async function serve(options: ServeOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: not a port number: ${options.port}`);
  mkdirSync(resolve(options.dataDir), { recursive: true });
  const logger = createLogger({ level: options.logLevel });
  const { project, invoker } = await startProject(options.config, logger);
  const timeouts = new Map(project.functions.map((f) => [f.FunctionName, f.Timeout]));
  const gateway = new Gateway({
    invoker,
    settings: project.settings,
    logger,
    functionTimeout: (name) => timeouts.get(name),
  });
  const deployed: { apiId: string; stage: string }[] = [];
  try {
    for (const api of project.apis) {
      const snapshot = await importOpenApi(api.openapiFile, {
        apiId: api.id,
        apiName: api.name,
        settings: project.settings,
        functionExists: (name) => invoker.has(name),
      });
      for (const stage of api.stages) {
        gateway.deploy(snapshot, {
          stageName: stage.stageName,
          deploymentId: requestId().slice(0, 6),
          variables: stage.variables,
        });
        deployed.push({ apiId: api.id, stage: stage.stageName });
      }
    }
  } catch (error) {
    await invoker.close();
    throw error;
  }
  const address = await gateway.listen(port, options.host).catch(async (error: Error) => {
    await invoker.close();
    throw new Error(`cannot listen on ${options.host}:${port}: ${error.message}`);
  });
  const base = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${address.port}`;
  const lines = [`Sallyport listening on ${base}`];
  const single = gateway.stages.soleApiId() !== undefined;
  for (const { apiId, stage } of deployed) {
    const short = single ? `${base}/${stage}` : `${base}/restapis/${apiId}/${stage}/_user_request_`;
    lines.push(`  stage ${stage} of API ${apiId}: ${short}`);
    lines.push(`    also http://${apiId}.execute-api.localhost:${address.port}/${stage}`);
  }
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    void Promise.allSettled([gateway.close(), invoker.close()]).then(() => {
      logger.flush();
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
