// The people running `sallyport logs --follow`, each an open HTTP answer on the admin listener.
// The line source (follow-lines.ts) is subscribed while at least one follows and not otherwise,
// so nobody following costs nothing. A line is offered to each follower without waiting: one who
// reads slower than the gateway answers loses lines (counted, and told how many), the gateway
// never slows down for them.
import type { ServerResponse } from 'node:http';
import type { FollowLine, LineSource } from './follow-lines.js';

/** What one follower asked for (`--api`, `--stage`, `--status`). */
export interface FollowFilter {
  /** An API id or name. */
  api?: string;
  stage?: string;
  /** An exact status (`403`) or a class (`4xx`). */
  status?: string;
}

/** Bytes a follower may have unread before its lines are dropped. */
export const FOLLOWER_BUFFER_BYTES = 256 * 1024;

interface Follower {
  res: ServerResponse;
  filter: FollowFilter;
  dropped: number;
}

export class Followers {
  private readonly followers = new Set<Follower>();
  private stopSource: (() => void) | undefined;

  constructor(
    private readonly source: LineSource,
    private readonly bufferBytes = FOLLOWER_BUFFER_BYTES,
  ) {}

  get count(): number {
    return this.followers.size;
  }

  /** Streams lines to `res` until it closes. */
  add(res: ServerResponse, filter: FollowFilter): void {
    const follower: Follower = { res, filter, dropped: 0 };
    this.followers.add(follower);
    res.once('close', () => this.remove(follower));
    this.stopSource ??= this.source((line) => this.offer(line));
  }

  /** Ends every stream (the server is stopping). */
  closeAll(): void {
    for (const follower of [...this.followers]) {
      this.remove(follower);
      follower.res.end();
    }
  }

  private remove(follower: Follower): void {
    if (!this.followers.delete(follower) || this.followers.size > 0) return;
    this.stopSource?.();
    this.stopSource = undefined;
  }

  private offer(line: FollowLine): void {
    let text: string | undefined;
    for (const follower of this.followers) {
      if (!matches(follower.filter, line)) continue;
      const { res } = follower;
      if (res.writableLength > this.bufferBytes) {
        follower.dropped++;
        continue;
      }
      if (follower.dropped > 0) {
        res.write(JSON.stringify({ kind: 'dropped', count: follower.dropped }) + '\n');
        follower.dropped = 0;
      }
      res.write((text ??= JSON.stringify(line) + '\n'));
    }
  }
}

export function matches(filter: FollowFilter, line: FollowLine): boolean {
  if (line.kind === 'dropped') return true;
  if (filter.api !== undefined) {
    const names = line.kind === 'request' ? [line.apiId, line.apiName] : [line.apiId];
    if (!names.includes(filter.api)) return false;
  }
  if (filter.stage !== undefined && line.stage !== filter.stage) return false;
  if (filter.status !== undefined) {
    // Execution lines carry no status: with a status filter only request lines pass.
    if (line.kind !== 'request') return false;
    return statusMatches(filter.status, line.status);
  }
  return true;
}

/** `403` or `4xx` (case-insensitive), else a clear error. */
export function parseStatusFilter(value: string): string {
  if (!/^[1-5](\d\d|xx)$/i.test(value))
    throw new Error(`--status: a status (403) or a class (4xx), not ${value}`);
  return value.toLowerCase();
}

function statusMatches(filter: string, status: number): boolean {
  return filter.endsWith('xx') ? String(status)[0] === filter[0] : String(status) === filter;
}
