// An EDGE API (AWS's default endpoint type) is reached through CloudFront, which adds its own
// headers and writes some header names in its own case before API Gateway builds the Lambda proxy
// event and the REQUEST authorizer event. REGIONAL and PRIVATE APIs see the client's headers.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html
// The sample event of "Input format of a Lambda function for proxy integration":
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// Recorded EDGE events (e.g. webiny/webiny-js examples/apps/site/event.js, ShepherdOrg/npm-packages
// sample-myip-api/src/sample-events/regular-call.js) show the rest: names sorted regardless of
// case; `Accept`, `Accept-Encoding`, `Accept-Language`, `Host`, `Referer`, `User-Agent` title-cased
// although HTTP/2 browsers send them lowercase, while `cache-control`, `origin`,
// `upgrade-insecure-requests` keep the client's case.
import { randomBytes } from 'node:crypto';
import { pooledRandomBytes } from '../../support/random-pool.js';
import { anyKeyMap } from '../any-key-map.js';
import type { GatewayRequest, MultiValueMap } from '../request.js';

/** What an EDGE stage's requests share, made once per deployment (compile.ts). */
export interface EdgeHop {
  /** `Via` for an HTTP/1.1 and an HTTP/2 viewer: the edge server's name is fixed per deployment. */
  via11: string;
  via20: string;
}

export function newEdgeHop(): EdgeHop {
  const server = `${randomBytes(16).toString('hex')}.cloudfront.net (CloudFront)`;
  return { via11: `1.1 ${server}`, via20: `2.0 ${server}` };
}

/**
 * Names CloudFront writes in its case. `Authorization` is from issue 12's comparison with
 * recorded EDGE answers (`authorization` arrives as `Authorization`); the others are recorded.
 */
const CLOUDFRONT_CASE = new Map(
  [
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'Authorization',
    'Host',
    'Referer',
    'User-Agent',
  ].map((name) => [name.toLowerCase(), name]),
);

/**
 * Headers CloudFront sets itself (a client's own value is replaced; X-Forwarded-For is extended),
 * and the hop-by-hop ones it does not forward ("HTTP request headers and CloudFront behavior",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/RequestAndResponseBehaviorCustomOrigin.html).
 */
const SET_BY_CLOUDFRONT = new Set([
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'upgrade',
  'cloudfront-forwarded-proto',
  'cloudfront-is-desktop-viewer',
  'cloudfront-is-mobile-viewer',
  'cloudfront-is-smarttv-viewer',
  'cloudfront-is-tablet-viewer',
  'via',
  'x-amz-cf-id',
  'x-amzn-trace-id',
  'x-forwarded-for',
  'x-forwarded-port',
  'x-forwarded-proto',
]);

type Device = 'Desktop' | 'Mobile' | 'SmartTV' | 'Tablet';
let lastAgent: string | undefined;
let lastDevice: Device = 'Desktop';

/** The device flags CloudFront derives from User-Agent; an unknown or absent agent is a desktop. */
export function viewerDevice(userAgent: string | undefined): Device {
  // A client sends the same agent on every request: the last one's answer is kept.
  if (userAgent === lastAgent) return lastDevice;
  lastAgent = userAgent;
  return (lastDevice = deviceOf(userAgent));
}

function deviceOf(userAgent: string | undefined): Device {
  if (userAgent === undefined) return 'Desktop';
  if (/smart-?tv|googletv|appletv|hbbtv|netcast|roku|crkey|bravia/i.test(userAgent))
    return 'SmartTV';
  if (/ipad|tablet|kindle|silk\/|playbook|android(?!.*mobile)/i.test(userAgent)) return 'Tablet';
  if (/mobi|iphone|ipod|android|blackberry|windows phone|opera mini/i.test(userAgent))
    return 'Mobile';
  return 'Desktop';
}

/** `X-Amz-Cf-Id`: 40 random bytes, base64url with its padding (56 characters), as recorded. */
const newCloudFrontId = () => `${pooledRandomBytes(40).toString('base64url')}==`;

/**
 * The headers the event carries for a request that came through an EDGE stage's CloudFront hop:
 * the client's (in CloudFront's case) and CloudFront's own, sorted by name regardless of case.
 */
export function edgeHeaders(
  request: GatewayRequest,
  hop: EdgeHop,
  listenerPort: number,
): MultiValueMap {
  // [name as sent, its lower case (the sort key), values]
  const entries: [string, string, string[]][] = [];
  const byName = new Map<string, string[]>();
  for (const name in request.headers.multi) {
    const lower = name.toLowerCase();
    if (SET_BY_CLOUDFRONT.has(lower)) continue;
    const values = request.headers.multi[name]!;
    const seen = byName.get(lower);
    if (seen) seen.push(...values);
    else {
      const copy = [...values];
      byName.set(lower, copy);
      entries.push([CLOUDFRONT_CASE.get(lower) ?? name, lower, copy]);
    }
  }
  const device = viewerDevice(request.headersLower.get('user-agent'));
  const forwardedFor = request.headersLower.get('x-forwarded-for');
  const added: [string, string][] = [
    ['CloudFront-Forwarded-Proto', 'http'],
    ['CloudFront-Is-Desktop-Viewer', String(device === 'Desktop')],
    ['CloudFront-Is-Mobile-Viewer', String(device === 'Mobile')],
    ['CloudFront-Is-SmartTV-Viewer', String(device === 'SmartTV')],
    ['CloudFront-Is-Tablet-Viewer', String(device === 'Tablet')],
    ['Via', request.protocol === 'HTTP/2.0' ? hop.via20 : hop.via11],
    ['X-Amz-Cf-Id', newCloudFrontId()],
    ['X-Amzn-Trace-Id', request.traceRoot],
    ['X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp],
    ['X-Forwarded-Port', String(listenerPort)],
    ['X-Forwarded-Proto', 'http'],
  ];
  for (const [name, value] of added) entries.push([name, name.toLowerCase(), [value]]);
  entries.sort(byNameIgnoringCase);
  const single = anyKeyMap<string>();
  const multi = anyKeyMap<string[]>();
  for (const [name, , values] of entries) {
    single[name] = values[values.length - 1]!;
    multi[name] = values;
  }
  return { single, multi };
}

function byNameIgnoringCase(a: [string, string, string[]], b: [string, string, string[]]): number {
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}
