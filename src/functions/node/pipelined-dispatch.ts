// How a FunctionPool hands invocations to its workers on the hot path (docs/performance.md).
// Under load a busy worker is sent its next invocations ahead (PIPELINE_DEPTH): it runs them one
// at a time as before, but never sleeps between two waiting for a cross-thread wake-up, which
// measured as the largest cost of all (about 100 µs per invocation on a 2-vCPU VM). And the
// invocations one turn of the event loop sends to a worker travel in one postMessage.
import { performance } from 'node:perf_hooks';
import type { WorkerEnvironment } from './worker-environment.js';
import type { InvokeMessage } from './worker-protocol.js';

/** Invocations a worker may hold: the one it runs and those sent ahead, waiting in its queue. */
export const PIPELINE_DEPTH = 16;
/**
 * A worker whose current invocation has run this long is not sent more ahead: a slow or hung
 * handler must not hold up the next request while another worker could start for it.
 */
const PIPELINE_STALL_MS = 10;

/** The busy worker with the fewest invocations sent, if one can take another. */
export function leastLoaded(
  environments: Iterable<WorkerEnvironment>,
): WorkerEnvironment | undefined {
  const stalled = performance.now() - PIPELINE_STALL_MS;
  let best: WorkerEnvironment | undefined;
  for (const environment of environments) {
    const load = environment.sent.length;
    if (load >= PIPELINE_DEPTH || (best && load >= best.sent.length)) continue;
    if (environment.sent[0]!.started < stalled) continue;
    best = environment;
  }
  return best;
}

/**
 * Posting to a thread costs far more than cloning the event (a wake-up of the other thread),
 * so messages wait in their worker's outbox until the end of this event-loop turn.
 */
export class BatchedPosts {
  /** Workers with messages to post at the end of this event-loop turn. */
  private outboxes: WorkerEnvironment[] = [];
  private flushScheduled = false;

  post(environment: WorkerEnvironment, message: InvokeMessage): void {
    if (environment.outbox.push(message) === 1) this.outboxes.push(environment);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const outboxes = this.outboxes;
    this.outboxes = [];
    for (const environment of outboxes) {
      const { outbox } = environment;
      environment.outbox = [];
      if (environment.ending || outbox.length === 0) continue;
      environment.worker.postMessage(outbox.length === 1 ? outbox[0] : outbox);
    }
  };
}
