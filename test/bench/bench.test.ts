// The benchmark is a tool, not a test of speed: this only checks that `--quick` runs end to end
// and reports every configuration as a ratio. No timing is asserted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');

// A quick run takes about a minute on an idle machine; on a busy one, several: no deadline that
// load can eat (the suite's default per-test timeout is overridden here).
it(
  'npm run bench -- --quick prints every configuration with its ratio to the baseline',
  { timeout: 900_000 },
  () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 840_000,
    });
    assert.equal(r.status, 0, r.stderr);
    for (const name of [
      'baseline: bare node:http',
      'MOCK, no authorizer',
      'MOCK + TOKEN authorizer (cache hit)',
      'AWS_PROXY Node.js + TOKEN authorizer (cache hit)',
      'AWS non-proxy Node.js + template + TOKEN authorizer (cache hit)',
      'AWS_PROXY Node.js + TOKEN authorizer (caching off)',
      'AWS_PROXY Node.js + REQUEST authorizer (cache hit)',
      'AWS_PROXY Node.js (process) + TOKEN authorizer (cache hit)',
    ]) {
      assert.match(
        r.stdout,
        new RegExp(`^${name.replace(/[()+.]/g, '\\$&')} +\\d+ +\\d+ +\\d+ +\\d\\.\\d{3}`, 'm'),
        name,
      );
    }
    assert.match(r.stdout, /^baseline: bare node:http +\d+ +\d+ +\d+ +1\.000/m);
    // Each row's peak RSS, last (issue 17 wants it in the target table).
    assert.match(r.stdout, /^configuration .* RSS MiB$/m);
    assert.match(r.stdout, /^AWS_PROXY Node\.js \+ TOKEN authorizer \(cache hit\) .* \d+$/m);
    assert.match(r.stdout, /results: .*bench\/results\/.*-quick\.json/);
  },
);

// `--scale --quick`: the growth tables, each with every size (the memory and two-node tables with
// real `serve` processes; two nodes only with SALLYPORT_TEST_PG or _BENCH_PG); again no timing.
it(
  'npm run bench -- --scale --quick prints routing, authorizer-cache, import, memory and propagation tables',
  { timeout: 900_000 },
  () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--scale', '--quick'],
      { cwd: ROOT, encoding: 'utf8', timeout: 840_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    // (a) every route count, each with its ratio; the cached authorizer asked once per API.
    for (const routes of ['10', '1,000', '10,000'])
      assert.match(r.stdout, new RegExp(`^${routes} +(\\d+\\.\\d+ +){4}1$`, 'm'), routes);
    // (b) 100,000 tokens held to the default bound of 10,000 entries.
    assert.match(r.stdout, /^100,000 tokens, default bound +10,000 /m);
    // (c) 1,000 operations imported and deployed.
    assert.match(r.stdout, /^1,000 +\d+ +\d+\.\d+ +\d+\.\d$/m);
    // (d) a real serve with every function invoked, at each isolation level (how many stayed
    // warm depends on the machine's load, so any count).
    assert.match(r.stdout, /^thread +5 +(\d+ +){3}\d+\.\d +\d +\d+\.\d +2 +\d+\.\d +\d+$/m);
    assert.match(r.stdout, /^process +2 +(\d+ +){3}\d+\.\d +\d +\d+\.\d +2 +\d+\.\d +\d+$/m);
    // (e) two nodes on PostgreSQL when one is given, else a line saying how to run it.
    assert.match(
      r.stdout,
      /^(node A's answer, until node B serves it +(\d+\.\d +){3}2|skipped: set SALLYPORT_BENCH_PG .*)$/m,
    );
    assert.match(r.stdout, /results: .*bench\/results\/.*-scale-quick\.json/);
  },
);
