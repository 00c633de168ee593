// Warm invocation overhead of each function plane, as a ratio to the Node.js worker-thread path
// measured in the same run: direct Invoker calls (no HTTP), trivial handlers, interleaved rounds,
// medians. Run: node --import tsx bench/function-invoke.ts [--quick]
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { FunctionsInvoker } from '../src/functions/functions-invoker.js';
import type { FunctionConfig } from '../src/model/types.js';
import { createLogger } from '../src/observability/logger.js';
import { TSX_WORKER_SCRIPT } from '../test/functions/node/tsx-worker-script.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 5 : 15;
const CALLS_PER_ROUND = quick ? 100 : 300;

const fixture = (path: string) =>
  fileURLToPath(new URL(`../test/fixtures/${path}`, import.meta.url));
const base = { Timeout: 10, MemorySize: 256, Environment: { Variables: {} } };
const functions: FunctionConfig[] = [
  {
    ...base,
    FunctionName: 'node-thread',
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Code: fixture('functions/cjs'),
  },
  {
    ...base,
    FunctionName: 'node-process',
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Code: fixture('functions/cjs'),
    Isolation: 'process',
  },
  {
    ...base,
    FunctionName: 'python',
    Runtime: 'python3.12',
    Handler: 'app.dispatch',
    Code: fixture('functions-python/app'),
  },
];
const labels: Record<string, string> = {
  'node-thread': 'Node.js, worker thread (baseline)',
  'node-process': 'Node.js, process + Runtime API',
  python: 'Python 3, process + Runtime API',
};

// Function logs go nowhere: the bench measures the plane, not the terminal.
const logger = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
const invoker = new FunctionsInvoker({
  functions,
  settings: { region: 'us-east-1', accountId: '123456789012' },
  logger,
  maxThreads: 1,
  workerScript: TSX_WORKER_SCRIPT,
  processes: { maxConcurrency: 1 },
});

const event = { action: 'ok', n: 1 };
async function round(name: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < CALLS_PER_ROUND; i++) {
    const result = await invoker.invoke({ functionName: name, event });
    if (result.functionError) throw new Error(`${name}: ${result.payload}`);
  }
  return ((performance.now() - started) / CALLS_PER_ROUND) * 1000; // µs per invocation
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

try {
  // Warm-up: start every environment and let the JIT settle.
  for (const { FunctionName } of functions) await round(FunctionName);
  const samples = new Map<string, number[]>(functions.map((f) => [f.FunctionName, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // Interleaved, rotating the order so no plane always runs first.
    const order = functions.map((f) => f.FunctionName);
    for (let k = 0; k < r % order.length; k++) order.push(order.shift()!);
    for (const name of order) samples.get(name)!.push(await round(name));
  }
  const baseline = median(samples.get('node-thread')!);
  const rows = functions.map(({ FunctionName }) => {
    const us = median(samples.get(FunctionName)!);
    return {
      plane: labels[FunctionName]!,
      'median µs/invoke': us.toFixed(0),
      'ratio to baseline': (us / baseline).toFixed(2),
    };
  });
  console.log(
    `warm sequential invocations, ${ROUNDS} rounds × ${CALLS_PER_ROUND} calls, median per round`,
  );
  console.table(rows);
} finally {
  await invoker.close();
}
