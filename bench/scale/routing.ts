// (a) Routing and authorization with a cached policy, per request, as the API grows: the same
// request mix (every route in turn, one cached token) through the compiled stage and pipeline.
import { UnauthorizedError } from '../../src/gateway/errors.js';
import { compiledApiWith, getRequest, type ScaledApi } from './compiled-api.js';
import { median, nsPerCall, table } from './measure.js';

export const ROUTE_COUNTS = [10, 1_000, 10_000];

const AUTH: [string, string][] = [['Authorization', 'allow']];

/** Spreads requests over every route (a stride coprime to the count), never the same one twice. */
const pathFor = (i: number, routes: number) => `/r${(i * 7919) % routes}/items/x${i % 97}`;

async function check(api: ScaledApi, routes: number): Promise<void> {
  const ok = await api.pipeline(getRequest(pathFor(1, routes), AUTH), api.stage);
  if (ok.statusCode !== 200)
    throw new Error(`${routes} routes: expected 200, got ${ok.statusCode}`);
  const refused = await api.pipeline(getRequest(pathFor(2, routes), []), api.stage).then(
    (a) => `answered ${a.statusCode}`,
    (e: unknown) => (e instanceof UnauthorizedError ? 'Unauthorized' : String(e)),
  );
  if (refused !== 'Unauthorized')
    throw new Error(`${routes} routes: expected Unauthorized without a token, got ${refused}`);
}

export interface RoutingRow {
  routes: number;
  /** Requests spread over every route in turn. */
  nsPerRequest: number;
  ratio: number;
  /** Every request to the last route added: the lookup alone, with what it touches kept warm. */
  nsOneRoute: number;
  ratioOneRoute: number;
  authorizerCalls: number;
}

export async function measureRouting(requests: number, rounds: number): Promise<RoutingRow[]> {
  const apis = ROUTE_COUNTS.map((n) => compiledApiWith(n));
  for (let k = 0; k < apis.length; k++) await check(apis[k]!, ROUTE_COUNTS[k]!);
  const run = (k: number, spread: boolean) => {
    const routes = ROUTE_COUNTS[k]!;
    const api = apis[k]!;
    return nsPerCall(requests, (i) =>
      api.pipeline(
        getRequest(spread ? pathFor(i, routes) : `/r${routes - 1}/items/x${i % 97}`, AUTH),
        api.stage,
      ),
    );
  };
  for (let k = 0; k < apis.length; k++) await run(k, true); // warm-up
  // Interleaved rounds: a busy moment of the machine lands on every size alike.
  const spread: number[][] = apis.map(() => []);
  const one: number[][] = apis.map(() => []);
  for (let r = 0; r < rounds; r++)
    for (let k = 0; k < apis.length; k++) {
      spread[k]!.push(await run(k, true));
      one[k]!.push(await run(k, false));
    }
  return ROUTE_COUNTS.map((routes, k) => ({
    routes,
    nsPerRequest: median(spread[k]!),
    ratio: median(spread[k]!) / median(spread[0]!),
    nsOneRoute: median(one[k]!),
    ratioOneRoute: median(one[k]!) / median(one[0]!),
    authorizerCalls: apis[k]!.authorizer.calls,
  }));
}

export function routingTable(rows: RoutingRow[]): string {
  return table(
    '(a) routing + authorization (cached TOKEN policy) + MOCK, per request, in-process',
    [
      'routes',
      'µs/request, all routes in turn',
      'ratio to 10',
      'µs/request, one route',
      'ratio to 10',
      'authorizer calls',
    ],
    rows.map((r) => [
      r.routes.toLocaleString('en'),
      (r.nsPerRequest / 1000).toFixed(2),
      r.ratio.toFixed(2),
      (r.nsOneRoute / 1000).toFixed(2),
      r.ratioOneRoute.toFixed(2),
      String(r.authorizerCalls),
    ]),
  );
}
