import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import {
  addEnvironmentFileOptions,
  addRuntimeOptions,
  runtimeResolverFor,
  type DevOptions,
} from './dev-options.js';
import { fail } from './fail.js';
import {
  addProjectSourceOptions,
  projectSourceFor,
  withEnvironment,
  type ProjectSourceOptions,
} from './project-source.js';

interface InvokeOptions extends ProjectSourceOptions, Omit<DevOptions, 'watch'> {
  payload: string;
  event?: string;
}

export function invokeCommand(): Command {
  const command = new Command('invoke')
    .description('invoke one function once and print its response payload')
    .argument('<name>', 'function name')
    .option('-c, --config <path>', 'sallyport.yaml, or the folder holding it (default: .)')
    .option('--payload <json>', 'the event, as JSON', '{}')
    .option(
      '-e, --event <file>',
      'the event from a JSON file, or - for standard input (as sam local invoke -e)',
    );
  // The project sources, environment files and interpreters `serve` takes, so a function runs
  // here as it runs behind the gateway.
  return addRuntimeOptions(addEnvironmentFileOptions(addProjectSourceOptions(command))).action(
    (name: string, options: InvokeOptions) => invoke(name, options).catch(fail),
  );
}

async function invoke(name: string, options: InvokeOptions): Promise<void> {
  const [from, text] =
    options.event === undefined
      ? ['--payload', options.payload]
      : ['--event', readFileSync(options.event === '-' ? 0 : options.event, 'utf8')];
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new Error(`${from}: not valid JSON: ${text.slice(0, 200)}`);
  }
  const [{ createLogger }, { startProject }] = await Promise.all([
    import('../observability/logger.js'),
    import('./project-runtime.js'),
  ]);
  // Function logs go to stderr so stdout carries only the payload.
  const logger = createLogger({ destination: process.stderr });
  const source = withEnvironment(projectSourceFor(options), options);
  const { project, invoker } = await startProject(source, logger, runtimeResolverFor(options));
  try {
    if (!invoker.has(name)) {
      const names = project.functions.map((f) => f.FunctionName).join(', ');
      throw new Error(`function not found: ${name} (this project has: ${names || 'none'})`);
    }
    const result = await invoker.invoke({ functionName: name, event });
    process.stdout.write(result.payload + '\n');
    if (result.functionError) {
      process.stderr.write(`X-Amz-Function-Error: ${result.functionError}\n`);
      process.exitCode = 1;
    }
  } finally {
    await invoker.close();
    logger.flush();
  }
}
