// Node.js module initialisation has Lambda's own 10 s init budget: it does not count against the
// function's Timeout. Through the real CLI, at thread isolation (the default) and at process.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../e2e/harness.js';
import { startFidelityProject, type FidelityProject } from './fidelity-project.js';

for (const isolation of ['thread', 'process'] as const) {
  describe(`isolation ${isolation}`, () => {
    let p: FidelityProject;
    before(async () => {
      p = await startFidelityProject('', ['--isolation', isolation]);
    });
    after(() => p.stop());

    it('1.5 s of top-level work with Timeout 1: the cold invocation succeeds', async () => {
      const r = await call(p.url('/slow-init'));
      assert.equal(r.status, 200, r.body);
      // The Timeout started when the handler did, after init.
      const { remainingMs } = r.json() as { remainingMs: number };
      assert.ok(remainingMs > 0, `remaining ${remainingMs} ms`);
    });
  });
}
