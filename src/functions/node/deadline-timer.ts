// One timer for every deadline of a pool, armed at the earliest and re-armed from there: a timer
// (and an AbortSignal) per invocation would be allocations and timer-list work on the hot path.
import { performance } from 'node:perf_hooks';

export class DeadlineTimer {
  private timer: NodeJS.Timeout | undefined;
  private at = Infinity;

  /** `sweep` ends what is due and returns the next deadline, or Infinity when there is none. */
  constructor(private readonly sweep: () => number) {}

  /** A deadline at `at` (performance.now() time) now exists. */
  add(at: number): void {
    if (at < this.at) this.arm(at);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Infinity;
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.at = at;
    this.timer = setTimeout(this.fire, Math.max(0, Math.ceil(at - performance.now()))).unref();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.at = Infinity;
    const next = this.sweep();
    if (next !== Infinity) this.arm(next);
  };
}
