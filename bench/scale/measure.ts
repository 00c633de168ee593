// Measuring within one process: the cost of one operation, the heap, and the tables printed.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Nanoseconds per call of `op`, over `count` calls (awaited when it returns a promise). */
export async function nsPerCall(count: number, op: (i: number) => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const r = op(i);
    if (r instanceof Promise) await r;
  }
  return Number(process.hrtime.bigint() - started) / count;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// A full collection before reading the heap, so the numbers are what is held, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes of heap in use after a full collection. */
export function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function table(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ');
  return [title, line(header), ...rows.map(line), ''].join('\n');
}
