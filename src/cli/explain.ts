// `sallyport explain`: a policy simulator. Runs a stage's Lambda authorizer once per authorizer,
// with the identity given on the command line, and prints for every method of the stage whether
// the returned policy allows it and which statement decided — the question "why does this route
// answer 403?" answered before anyone sends a request. It runs the pipeline's own authorizer
// runner and policy evaluation against the deployed stage, as `serve` would.
import { Command } from 'commander';
import { fail } from './fail.js';

export interface ExplainOptions {
  config?: string;
  dataDir?: string;
  store?: string;
  api?: string;
  stage?: string;
  token?: string;
  header: string[];
  query: string[];
}

export function explainCommand(): Command {
  return new Command('explain')
    .description(
      "run a stage's Lambda authorizer once and show, for every method, whether its policy allows it and which statement decided",
    )
    .option('-c, --config <path>', 'sallyport.yaml, or the folder holding it (as for serve)')
    .option('--data-dir <dir>', 'where Sallyport keeps its state (as for serve)')
    .option('--store <url>', 'postgres://… (default: SQLite in the data dir)')
    .option('--api <id|name>', 'the API (default: the only one deployed)')
    .option('--stage <name>', 'the stage (default: the only one of the API)')
    .option('--token <token>', "a TOKEN authorizer's token (sent in its identity-source header)")
    .option('-H, --header <name:value>', 'a request header (repeatable)', collect, [])
    .option('-q, --query <name=value>', 'a query-string parameter (repeatable)', collect, [])
    .action((options: ExplainOptions) =>
      // The gateway is loaded when explain runs, so other commands do not pay for it.
      import('./explain-run.js').then(({ explain }) => explain(options)).catch(fail),
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
