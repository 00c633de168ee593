// `serve --workers N`: the data plane in N processes on one port (node:cluster), the rest once.
//
//   primary    opens the store, applies sallyport.yaml, serves the admin API, forks the workers,
//              restarts one that dies, prints where it listens. It never takes an API call.
//              Without Redis it holds the usage counters the workers ask (node/primary-counters.ts).
//   worker     a node without the admin API: it follows the store like any other node (its own
//              StageLoader) and runs its own function pools; the cluster shares the port.
//
// Every worker opens the store itself: SQLite is safe across processes (WAL, and each polls the
// change feed), PostgreSQL is made for it; the memory store is one process's own, so it runs one.
// What is per process unless Redis is configured (docs/many-nodes.md): the authorizer cache.
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:net';
import type { Logger } from '../observability/logger.js';

/** What a worker tells the primary. */
type WorkerMessage =
  { sallyport: 'listening'; port: number } | { sallyport: 'listen-failed'; message: string };

/** `--workers`: a count, `auto` (one per core; the default), forced to 1 for the memory store. */
export function workerCount(value: string, store: string | undefined, cores: number): number {
  const memory = store === 'memory';
  if (value === 'auto') return memory ? 1 : cores;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new Error(`--workers: not a number of processes (1–256) or auto: ${value}`);
  if (n > 1 && memory)
    throw new Error(
      '--workers: the memory store lives in one process; use SQLite or PostgreSQL for more',
    );
  return n;
}

/** Fails early, with the single-process wording, when the port is taken (not for port 0). */
export async function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((ok, fail) => {
    probe.once('error', fail);
    probe.listen(port, host, () => probe.close(() => ok()));
  });
}

export interface Workers {
  port: number;
  stop(): Promise<void>;
}

/**
 * Forks `count` workers (they run this same command line) and resolves once all listen; a worker
 * that dies later is replaced. Rejects if one cannot listen or exits before it does.
 */
export function startWorkers(
  count: number,
  logger: Logger,
  onFork: (worker: Worker) => void = () => undefined,
): Promise<Workers> {
  let stopping = false;
  let started = false;
  const workers = new Set<Worker>();
  const stop = async () => {
    stopping = true;
    await Promise.all(
      [...workers].map(
        (w) =>
          new Promise<void>((done) => {
            if (w.isDead()) return done();
            w.once('exit', () => done());
            w.process.kill('SIGTERM');
          }),
      ),
    );
  };
  return new Promise((resolve, reject) => {
    let listening = 0;
    let port = 0;
    const failStart = (message: string) => {
      if (started) return;
      started = true;
      void stop().then(() => reject(new Error(message)));
    };
    const fork = () => {
      // The worker's share of the machine's function pools (start-node.ts `shareOf`).
      const worker = cluster.fork({ SALLYPORT_WORKERS: String(count) });
      workers.add(worker);
      onFork(worker);
      worker.on('message', (message: WorkerMessage) => {
        if (message.sallyport === 'listen-failed') return failStart(message.message);
        if (message.sallyport !== 'listening') return;
        port = message.port;
        if (!started && ++listening === count) {
          started = true;
          resolve({ port, stop });
        }
      });
      worker.on('exit', (code, signal) => {
        workers.delete(worker);
        if (stopping) return;
        if (!started) return failStart(`a worker exited before it listened (code ${code})`);
        logger.error({ worker: worker.id, code, signal }, 'worker died; starting another');
        // A second's pause, so a worker that cannot start does not spin.
        setTimeout(() => stopping || fork(), 1000).unref();
      });
    };
    for (let i = 0; i < count; i++) fork();
  });
}

/** In a worker: tells the primary it listens (or why it cannot). */
export function reportToPrimary(message: WorkerMessage): void {
  process.send?.(message);
}
