// `serve`'s options for working on a project: interpreters per runtime, environment files, and
// hot reload. Kept here so serve.ts only forwards them.
import type { Command } from 'commander';
import { RUNTIMES } from '../config/runtimes.js';
import { RuntimeResolver } from '../functions/runtimes/runtime-resolver.js';
import type { ProjectSource, SourcedProject } from './project-source.js';
import type { SallyportNode } from './start-node.js';
import { watchProject } from './watch-project.js';

export interface DevOptions {
  python: string[];
  node: string[];
  strictRuntimes?: boolean;
  envVars?: string;
  envFile?: string;
  watch?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--python`, `--node`, `--strict-runtimes`: which interpreter runs each runtime. */
export function addRuntimeOptions(command: Command): Command {
  return command
    .option(
      '--python <runtime=path>',
      'the interpreter of a Python runtime, e.g. python3.12=/opt/py312/bin/python3 (repeatable)',
      collect,
      [],
    )
    .option(
      '--node <runtime=path>',
      'the node of a Node.js runtime at isolation process or sandbox, e.g. nodejs22.x=/opt/node22/bin/node (repeatable)',
      collect,
      [],
    )
    .option(
      '--strict-runtimes',
      'refuse a function when this machine lacks the exact version its Runtime names',
    );
}

/** `--env-vars`, `--env-file`: the functions' environment variables kept in files. */
export function addEnvironmentFileOptions(command: Command): Command {
  return command
    .option(
      '--env-vars <file>',
      'environment variables as `sam local --env-vars` reads them: {"Function": {...}, "Parameters": {...}}',
    )
    .option(
      '--env-file <file>',
      'a .env file whose values fill the variables functions declare (default: .env beside the project file, if any)',
    );
}

export function addDevOptions(command: Command): Command {
  return addEnvironmentFileOptions(addRuntimeOptions(command)).option(
    '--watch',
    'reload handler code, the project file and its OpenAPI files when they change, without a restart',
  );
}

/** `--python`/`--node` and `--strict-runtimes` as the function plane's runtime resolver. */
export function runtimeResolverFor(options: DevOptions): RuntimeResolver {
  const configured: Record<string, string> = {};
  for (const [flag, values, prefix] of [
    ['--python', options.python, 'python'],
    ['--node', options.node, 'nodejs'],
  ] as const) {
    for (const value of values) {
      const m = /^([^=]+)=(.+)$/.exec(value);
      const runtime = m?.[1];
      if (
        !runtime ||
        !runtime.startsWith(prefix) ||
        !(RUNTIMES as readonly string[]).includes(runtime)
      )
        throw new Error(
          `${flag}: expected ${prefix === 'python' ? 'python3.12' : 'nodejs22.x'}=/path/to/interpreter, got ${value}`,
        );
      configured[runtime] = m[2]!;
    }
  }
  return new RuntimeResolver({ configured, strict: options.strictRuntimes === true });
}

/** `--watch`: reloads the project on every change, printing one line each (watch-project.ts). */
export function watchIfAsked(
  options: DevOptions,
  source: ProjectSource,
  sourced: SourcedProject | undefined,
  node: SallyportNode,
): void {
  if (!options.watch) return;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  if (!sourced) {
    print('--watch: no project file to watch (give --config, or run where sallyport.yaml is)');
    return;
  }
  watchProject({ source, current: sourced, node, print });
  print(`Watching ${sourced.project.file}, its files and code folders for changes`);
}
