// `npm run bench -- --scale [--quick]`: how Sallyport's cost grows with the size of a project,
// measured in this one process (sizes, counts and ratios; no load generator, no other process).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { authorizerCacheTable, measureAuthorizerCache } from './authorizer-cache.js';
import { importDeployTable, measureImportDeploy } from './import-deploy.js';
import { measureRouting, routingTable } from './routing.js';

export async function runScale(quick: boolean): Promise<void> {
  const started = Date.now();
  const settings = {
    requests: quick ? 5_000 : 50_000,
    lookups: quick ? 200_000 : 500_000,
    rounds: quick ? 1 : 5,
    deployRounds: quick ? 1 : 3,
  };
  const routing = await measureRouting(settings.requests, settings.rounds);
  process.stdout.write(routingTable(routing) + '\n');
  const cache = await measureAuthorizerCache(settings.lookups, settings.rounds);
  process.stdout.write(authorizerCacheTable(cache) + '\n');
  const deploy = await measureImportDeploy(settings.deployRounds);
  process.stdout.write(importDeployTable(deploy) + '\n');
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
      { date: new Date().toISOString(), settings, machine, seconds, routing, cache, deploy },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`results: ${file}\n`);
}
