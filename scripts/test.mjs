// Node 20's `node --test` expands no globs and finds no .ts files on its own, so list them here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const skipBuild = args.includes('--no-build');

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The e2e tests drive the real CLI from dist/, so build first.
if (!skipBuild) run('npx', ['tsc', '-p', 'tsconfig.build.json']);

const files = only.length
  ? only
  : readdirSync('test', { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.test.ts'))
      .sort()
      .map((f) => join('test', f));

run(process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  '--test-concurrency=1',
  '--test-timeout=120000',
  ...files,
]);
