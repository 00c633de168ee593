// (b) The authorizer cache with 100,000 distinct tokens: what it holds and the heap it takes at
// the default bound, against the same tokens with a bound high enough to keep them all, and the
// cost of a hit against a cache of 100 tokens.
import {
  AuthorizerCache,
  authorizerCacheKey,
  DEFAULT_MAX_ENTRIES,
} from '../../src/gateway/authorizers/cache.js';
import { parseAuthorizerOutput } from '../../src/gateway/authorizers/output.js';
import { API_ID, STAGE } from './compiled-api.js';
import { tokenAuthorizerAnswer } from './generated-api.js';
import { heapUsed, median, mib, nsPerCall, table } from './measure.js';

export const DISTINCT_TOKENS = 100_000;

// A JWT-sized token per caller; a lookup builds its key from the token, as a request does.
const tokenOf = (i: number) => `Bearer eyJhbGciOiJIUzI1NiJ9.${i}.${'s'.repeat(43)}`;
const keyOf = (token: string) => authorizerCacheKey(API_ID, STAGE, 'auth01', [token]);

interface Filled {
  cache: AuthorizerCache;
  heapBefore: number;
  heapAfter: number;
  /** The tokens the cache still holds (the newest). */
  held: string[];
}

/** Fills a cache with `tokens` distinct callers, each answer parsed as a real one is. */
function fill(tokens: number, maxEntries: number): Filled {
  const before = heapUsed();
  const cache = new AuthorizerCache({ maxEntries });
  for (let i = 0; i < tokens; i++) {
    const payload = tokenAuthorizerAnswer(API_ID, STAGE, `user-${i}`);
    cache.set(keyOf(tokenOf(i)), parseAuthorizerOutput(payload), 300, payload);
  }
  const after = heapUsed();
  const held: string[] = [];
  for (let i = Math.max(0, tokens - cache.size); i < tokens; i++) held.push(tokenOf(i));
  if (held.some((t) => cache.get(keyOf(t)) === undefined)) throw new Error('a held token missed');
  return { cache, heapBefore: before, heapAfter: after, held };
}

export interface CacheRow {
  name: string;
  tokens: number;
  entries: number;
  estimatedBytes: number;
  heapBefore: number;
  heapAfter: number;
  nsPerHit: number;
}

export async function measureAuthorizerCache(lookups: number, rounds: number): Promise<CacheRow[]> {
  const configs = [
    { name: '100 tokens', tokens: 100, maxEntries: DEFAULT_MAX_ENTRIES },
    {
      name: '100,000 tokens, default bound',
      tokens: DISTINCT_TOKENS,
      maxEntries: DEFAULT_MAX_ENTRIES,
    },
    {
      name: '100,000 tokens, entries bound 100,000',
      tokens: DISTINCT_TOKENS,
      maxEntries: DISTINCT_TOKENS,
    },
  ];
  // Filled one after another (each heap delta is its own), then measured in interleaved rounds
  // so that a busy moment of the machine lands on every cache alike.
  const filled = configs.map((c) => fill(c.tokens, c.maxEntries));
  const misses = filled.map(() => 0);
  const run = (k: number) => {
    const { cache, held } = filled[k]!;
    return nsPerCall(lookups, (i) => {
      if (cache.get(keyOf(held[(i * 7919) % held.length]!)) === undefined) misses[k]!++;
    });
  };
  for (let k = 0; k < filled.length; k++) await run(k); // warm-up
  const samples: number[][] = filled.map(() => []);
  for (let r = 0; r < rounds; r++)
    for (let k = 0; k < filled.length; k++) samples[k]!.push(await run(k));
  if (misses.some((m) => m > 0)) throw new Error('a held token missed');
  return configs.map((c, k) => ({
    name: c.name,
    tokens: c.tokens,
    entries: filled[k]!.cache.size,
    estimatedBytes: filled[k]!.cache.bytes,
    heapBefore: filled[k]!.heapBefore,
    heapAfter: filled[k]!.heapAfter,
    nsPerHit: median(samples[k]!),
  }));
}

export function authorizerCacheTable(rows: CacheRow[]): string {
  const base = rows[0]!.nsPerHit;
  return table(
    '(b) authorizer cache: heap held after a full GC, and the cost of a hit',
    [
      'cache',
      'entries',
      'estimate MiB',
      'heap before MiB',
      'heap after MiB',
      'held MiB',
      'ns/hit',
      'hit ratio to 100 tokens',
    ],
    rows.map((r) => [
      r.name,
      r.entries.toLocaleString('en'),
      mib(r.estimatedBytes),
      mib(r.heapBefore),
      mib(r.heapAfter),
      mib(r.heapAfter - r.heapBefore),
      r.nsPerHit.toFixed(0),
      (r.nsPerHit / base).toFixed(2),
    ]),
  );
}
