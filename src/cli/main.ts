// The `sallyport` command. User mistakes end as one clear line and a non-zero exit, never a
// stack trace (set SALLYPORT_DEBUG=1 to see one).
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { fail } from './fail.js';
import { invokeCommand } from './invoke.js';
import { logsCommand } from './logs.js';
import { corsCommand } from './cors.js';
import { debugTokenCommand } from './debug-token.js';
import { explainCommand } from './explain.js';
import { generateEventCommand } from './generate-event.js';
import { initCommand } from './init.js';
import { serveCommand } from './serve.js';
import { storeCommands } from './store-commands.js';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

export async function main(argv: string[]): Promise<void> {
  const program = new Command('sallyport')
    .description('Amazon API Gateway REST APIs with Lambda authorizers, on your own machine')
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(serveCommand());
  program.addCommand(invokeCommand());
  for (const command of storeCommands()) program.addCommand(command);
  program.addCommand(explainCommand());
  program.addCommand(logsCommand());
  program.addCommand(debugTokenCommand());
  program.addCommand(generateEventCommand());
  program.addCommand(initCommand());
  program.addCommand(corsCommand());
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    fail(error);
  }
}
