// `logs --follow` with `serve --workers N`: the requests are answered in the workers, the
// follower is connected to the primary (the admin listener). While someone follows, the primary
// asks every worker to forward its lines over the cluster's IPC channel; otherwise the workers
// subscribe to nothing. A worker whose channel is backed up drops lines and counts them, as the
// primary does for a slow follower (observability/followers.ts).
import type { Worker } from 'node:cluster';
import { localLines, type FollowLine, type LineSource } from '../observability/follow-lines.js';

type FollowMessage =
  { sallyport: 'follow'; on: boolean } | { sallyport: 'follow-line'; line: FollowLine };

/** Lines a worker may have in flight to the primary before it drops them. */
const MAX_IN_FLIGHT = 1000;

/** In the primary: the workers' lines, as one source. */
export class WorkerLines {
  private emit: ((line: FollowLine) => void) | undefined;
  private readonly workers = new Set<Worker>();

  readonly source: LineSource = (emit) => {
    this.emit = emit;
    this.tellAll(true);
    return () => {
      this.emit = undefined;
      this.tellAll(false);
    };
  };

  /** A worker forked: forward its lines; `listening` is when it can be asked to follow. */
  attach(worker: Worker): void {
    this.workers.add(worker);
    worker.on('message', (message: FollowMessage | { sallyport: 'listening' }) => {
      if (message.sallyport === 'follow-line') this.emit?.(message.line);
      else if (message.sallyport === 'listening' && this.emit) tell(worker, true);
    });
    worker.once('exit', () => this.workers.delete(worker));
  }

  private tellAll(on: boolean): void {
    for (const worker of this.workers) tell(worker, on);
  }
}

function tell(worker: Worker, on: boolean): void {
  if (worker.isConnected()) worker.send({ sallyport: 'follow', on } satisfies FollowMessage);
}

/** In a worker: forward this process's lines while the primary asks for them. */
export function forwardLinesToPrimary(): void {
  let stop: (() => void) | undefined;
  let inFlight = 0;
  let dropped = 0;
  const send = (line: FollowLine) => {
    if (inFlight >= MAX_IN_FLIGHT || !process.connected) {
      dropped++;
      return;
    }
    if (dropped > 0) {
      const count = dropped;
      dropped = 0;
      send({ kind: 'dropped', count });
    }
    inFlight++;
    process.send?.(
      { sallyport: 'follow-line', line } satisfies FollowMessage,
      undefined,
      {},
      () => inFlight--,
    );
  };
  process.on('message', (message: FollowMessage) => {
    if (message?.sallyport !== 'follow') return;
    if (message.on) stop ??= localLines(send);
    else {
      stop?.();
      stop = undefined;
    }
  });
}
