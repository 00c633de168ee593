// Which quota period an instant falls in, in UTC: a DAY from midnight, a WEEK from the weekday
// `offset` names (0 = Sunday), a MONTH from day `offset + 1`.
// https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
import type { QuotaSettings } from './usage-plans.js';

const DAY_MS = 86_400_000;

export interface QuotaWindow {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
}

export function quotaWindow(
  quota: Pick<QuotaSettings, 'period' | 'offset'>,
  now: number,
): QuotaWindow {
  const midnight = Math.floor(now / DAY_MS) * DAY_MS;
  switch (quota.period) {
    case 'DAY':
      return { start: midnight, end: midnight + DAY_MS };
    case 'WEEK': {
      const weekday = new Date(midnight).getUTCDay();
      const start = midnight - ((weekday - quota.offset + 7) % 7) * DAY_MS;
      return { start, end: start + 7 * DAY_MS };
    }
    case 'MONTH': {
      const d = new Date(midnight);
      let year = d.getUTCFullYear();
      let month = d.getUTCMonth();
      if (d.getUTCDate() < quota.offset + 1) month -= 1;
      if (month < 0) [year, month] = [year - 1, 11];
      const start = Date.UTC(year, month, quota.offset + 1);
      return { start, end: Date.UTC(year, month + 1, quota.offset + 1) };
    }
  }
}

/** `yyyy-MM-dd` (UTC), GetUsage's date format. */
export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Midnight UTC of a `yyyy-MM-dd` date, or undefined when it is not one. */
export function parseDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || dayOf(ms) !== text ? undefined : ms;
}

export { DAY_MS };
