import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { createLogger } from '../observability/logger.js';
import { fail } from './fail.js';
import { startProject } from './project-runtime.js';

interface InvokeOptions {
  config: string;
  payload: string;
  event?: string;
}

export function invokeCommand(): Command {
  return new Command('invoke')
    .description('invoke one function once and print its response payload')
    .argument('<name>', 'function name')
    .option('-c, --config <path>', 'sallyport.yaml, or the folder holding it', '.')
    .option('--payload <json>', 'the event, as JSON', '{}')
    .option(
      '-e, --event <file>',
      'the event from a JSON file, or - for standard input (as sam local invoke -e)',
    )
    .action((name: string, options: InvokeOptions) => invoke(name, options).catch(fail));
}

async function invoke(name: string, options: InvokeOptions): Promise<void> {
  const [source, text] =
    options.event === undefined
      ? ['--payload', options.payload]
      : ['--event', readFileSync(options.event === '-' ? 0 : options.event, 'utf8')];
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new Error(`${source}: not valid JSON: ${text.slice(0, 200)}`);
  }
  // Function logs go to stderr so stdout carries only the payload.
  const logger = createLogger({ destination: process.stderr });
  const { invoker } = await startProject(options.config, logger);
  try {
    if (!invoker.has(name)) throw new Error(`function not found: ${name}`);
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
