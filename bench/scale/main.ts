// `npm run bench -- --scale [--quick]`: how Sallyport's cost grows with the size of a project.
// (a)–(c) are measured in this one process (sizes, counts and ratios; no load generator); (d) and
// (e) start real `serve` processes (the built dist/), for their memory and for two nodes.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { authorizerCacheTable, measureAuthorizerCache } from './authorizer-cache.js';
import { functionMemoryTable, measureFunctionMemory } from './function-memory.js';
import { importDeployTable, measureImportDeploy } from './import-deploy.js';
import { benchPostgres, measurePropagation, propagationTable } from './propagation.js';
import { measureRouting, routingTable } from './routing.js';

export async function runScale(quick: boolean): Promise<void> {
  const started = Date.now();
  const settings = {
    requests: quick ? 5_000 : 50_000,
    lookups: quick ? 200_000 : 500_000,
    rounds: quick ? 1 : 5,
    deployRounds: quick ? 1 : 3,
    // (d): Node.js functions per isolation level, and the idle timeout (s) `serve` gets.
    threadFunctions: quick ? 5 : 200,
    processFunctions: quick ? 2 : 20,
    idleTimeoutSeconds: quick ? 2 : 60,
    // (e): deployments through node A timed until node B serves them.
    propagationRounds: quick ? 2 : 20,
  };
  const routing = await measureRouting(settings.requests, settings.rounds);
  process.stdout.write(routingTable(routing) + '\n');
  const cache = await measureAuthorizerCache(settings.lookups, settings.rounds);
  process.stdout.write(authorizerCacheTable(cache) + '\n');
  const deploy = await measureImportDeploy(settings.deployRounds);
  process.stdout.write(importDeployTable(deploy) + '\n');
  const memory = [
    await measureFunctionMemory('thread', settings.threadFunctions, settings.idleTimeoutSeconds),
    await measureFunctionMemory('process', settings.processFunctions, settings.idleTimeoutSeconds),
  ];
  process.stdout.write(functionMemoryTable(memory) + '\n');
  const pg = benchPostgres();
  const propagation = pg
    ? await measurePropagation(pg, settings.propagationRounds)
    : 'skipped: set SALLYPORT_BENCH_PG (or SALLYPORT_TEST_PG) to postgres://… to run it';
  process.stdout.write(propagationTable(propagation) + '\n');
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `medians of ${settings.rounds} interleaved round(s) (${settings.deployRounds} for deploys); took ${seconds.toFixed(0)} s\n`,
  );

  const dir = join(resolve(import.meta.dirname, '../..'), 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(
    dir,
    `${new Date().toISOString().replace(/[:.]/g, '-')}-scale${quick ? '-quick' : ''}.json`,
  );
  const machine = { cpus: os.cpus().length, node: process.version };
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        settings,
        machine,
        seconds,
        routing,
        cache,
        deploy,
        memory,
        propagation,
      },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`results: ${file}\n`);
}
