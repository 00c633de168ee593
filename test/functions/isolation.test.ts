// Which level each function runs at: its own `Isolation`, else `serve --isolation`, raised to the
// least its runtime supports, never lowered. docs/security.md, "Isolation levels".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IsolationUnsupportedError, isolationOf } from '../../src/functions/isolation.js';
import type { FunctionConfig, FunctionRuntime } from '../../src/model/types.js';

const fn = (Runtime: FunctionRuntime, Isolation?: FunctionConfig['Isolation']): FunctionConfig => ({
  FunctionName: 'f',
  Runtime,
  Handler: 'index.handler',
  Code: '/code',
  Timeout: 3,
  MemorySize: 128,
  Environment: { Variables: {} },
  ...(Isolation ? { Isolation } : {}),
});

describe('isolationOf', () => {
  it('a function’s own level wins over the default', () => {
    assert.equal(isolationOf(fn('nodejs20.x', 'process'), 'sandbox'), 'process');
    assert.equal(isolationOf(fn('python3.12', 'sandbox'), 'thread'), 'sandbox');
  });

  it('the default applies to functions that set none', () => {
    assert.equal(isolationOf(fn('nodejs20.x'), 'thread'), 'thread');
    assert.equal(isolationOf(fn('nodejs20.x'), 'sandbox'), 'sandbox');
    assert.equal(isolationOf(fn('provided.al2023'), 'process'), 'process');
  });

  it('default thread: runtimes threads cannot run are raised to process', () => {
    assert.equal(isolationOf(fn('python3.12'), 'thread'), 'process');
    assert.equal(isolationOf(fn('provided'), 'thread'), 'process');
  });

  it('Isolation: thread on a runtime threads cannot run is refused, not lowered or raised', () => {
    assert.throws(
      () => isolationOf(fn('python3.12', 'thread'), 'sandbox'),
      (error: unknown) =>
        error instanceof IsolationUnsupportedError &&
        error.code === 'ERR_ISOLATION_UNSUPPORTED' &&
        error.message ===
          "function f: python3.12 cannot run at isolation 'thread' (threads run Node.js only; use 'process' or 'sandbox')",
    );
  });
});
