// A sandbox sees dist/functions and the few modules named in SANDBOX_SHARED_MODULES, nothing else
// of the package: the bootstrap's and the relay's imports must all be among them, or every
// sandboxed function fails to start (a refactor once moved the error base out of reach).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../e2e/harness.js';

const DIST = join(ROOT, 'dist');
const ENTRIES = ['functions/node/process-bootstrap.js', 'functions/sandbox/runtime-api-relay.js'];

function closure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const m of readFileSync(entry, 'utf8').matchAll(/from '(\.[^']+)'/g))
    closure(resolve(dirname(entry), m[1]!), seen);
  return seen;
}

describe('the sandbox binds every module its bootstrap imports', () => {
  it('the import closure of the bootstrap and the relay is dist/functions plus the shared list', async (t) => {
    if (!existsSync(join(DIST, ENTRIES[0]!)))
      return t.skip('dist/ is not built (npm test builds it)');
    const { SANDBOX_SHARED_MODULES } = (await import(
      join(DIST, 'functions/sandbox/sandbox-host.js')
    )) as { SANDBOX_SHARED_MODULES: string[] };
    const outside = new Set<string>();
    for (const entry of ENTRIES)
      for (const file of closure(join(DIST, entry)))
        if (!file.startsWith(join(DIST, 'functions') + '/')) outside.add(file);
    assert.deepEqual([...outside].sort(), [...SANDBOX_SHARED_MODULES].sort());
  });
});
