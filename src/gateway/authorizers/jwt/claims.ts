// How a COGNITO_USER_POOLS authorizer hands a token's claims to the integration:
// `requestContext.authorizer.claims`, every value a string. The REST API authorizer renders them
// as Java does: `exp`, `iat` (and `nbf`) as java.util.Date#toString in UTC
// ("Sun Dec 17 07:28:12 UTC 2017"), other numbers and booleans as their text ("auth_time":
// "1513492092", "email_verified": "true"), lists as List#toString ("[a, b]").
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
import type { JWTPayload } from 'jose';
import { anyKeyMap } from '../../any-key-map.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DATE_CLAIMS = new Set(['exp', 'iat', 'nbf']);
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** java.util.Date#toString in UTC: `EEE MMM dd HH:mm:ss zzz yyyy`. */
export function javaDateString(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${k}=${javaString(v)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'null';
}

/** The claims as `requestContext.authorizer.claims` carries them. */
export function awsClaims(payload: JWTPayload): Record<string, string> {
  const out = anyKeyMap<string>();
  for (const [key, value] of Object.entries(payload)) {
    out[key] =
      DATE_CLAIMS.has(key) && typeof value === 'number' ? javaDateString(value) : javaString(value);
  }
  return out;
}
