// A FunctionPool's idle workers: the warmest is reused first, and a sweep ends those unused for
// the idle timeout (Lambda keeps an environment warm for minutes, not for ever).
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
import { performance } from 'node:perf_hooks';
import { idleSweepMs } from '../pool.js';
import { endWorker, type WorkerEnvironment } from './worker-environment.js';

export class IdleEnvironments {
  /** Most recently used last. */
  private readonly idle: WorkerEnvironment[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly idleTimeoutMs: number) {
    this.timer = setInterval(() => this.reap(), idleSweepMs(idleTimeoutMs)).unref();
  }

  /** The warmest idle worker, now busy: a busy worker keeps the process alive. */
  takeWarmest(): WorkerEnvironment | undefined {
    const environment = this.idle.pop();
    environment?.worker.ref();
    return environment;
  }

  /** An idle worker does not keep the process alive. */
  add(environment: WorkerEnvironment): void {
    environment.idleSince = performance.now();
    environment.worker.unref();
    this.idle.push(environment);
  }

  remove(environment: WorkerEnvironment): void {
    const at = this.idle.indexOf(environment);
    if (at !== -1) this.idle.splice(at, 1);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Ends the idle environments unused for the idle timeout; the others stay in place. */
  private reap(): void {
    const now = performance.now();
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const environment = this.idle[i]!;
      if (now - environment.idleSince < this.idleTimeoutMs) continue;
      this.idle.splice(i, 1);
      void endWorker(environment);
    }
  }
}
