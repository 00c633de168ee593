// The one reading of a request path. Routing, the authorizer's method ARN, the event's `path`
// and the URL sent to an HTTP backend all start from the string this returns, so they cannot
// disagree about which resource a request names (docs/security.md, "One path").
//
// API Gateway documents none of: dot segments (`..`, `%2e%2e`), encoded slashes (`%2F`),
// backslashes, empty segments (`//`), malformed percent-encoding. A gateway that routes and
// authorizes one spelling while the backend resolves another is an authorization bypass
// (`/public/%2e%2e/admin` authorized as `public/*`, served as `/admin`), so where AWS's answer is
// unknown Sallyport refuses with 400 rather than guess. What it does define — a trailing slash
// reaches the same resource (`/pets/` → `/pets`) — it keeps.
import { BadRequestPathError } from '../errors.js';

const HEX = /^[0-9A-Fa-f]{2}$/;
// RFC 3986 §2.3 unreserved characters: `%41` and `A` are the same character (§6.2.2.2).
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
const DOUBLE_ENCODED_SEPARATOR = /%2f|%5c/i;

/**
 * Checks `raw` (the path after the stage, as the client sent it, starting with `/`) and returns
 * its canonical spelling: percent-encoded unreserved characters decoded, other escapes in upper
 * case, everything else as sent. A trailing slash is kept (AWS keeps it in the event's `path`).
 * Throws BadRequestPathError for every spelling whose meaning depends on who reads it.
 */
export function canonicalPath(raw: string): string {
  if (raw === '/') return raw;
  if (raw.charCodeAt(0) !== 47 /* / */) throw new BadRequestPathError('the path must start with /');
  // The fast path: plain ASCII segments with no escapes, dots or backslashes need no rewriting.
  if (isPlain(raw)) return raw;
  const segments = raw.slice(1).split('/');
  const last = segments.length - 1;
  let out = '';
  for (let i = 0; i <= last; i++) {
    const segment = segments[i]!;
    if (segment === '') {
      if (i === last) return `${out}/`; // one trailing slash
      throw new BadRequestPathError('empty path segment (//)');
    }
    out += `/${canonicalSegment(segment)}`;
  }
  return out;
}

/** The path a resource is matched and authorized on: without the trailing slash AWS ignores. */
export function resourcePathOf(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * Checks a value about to become one or more path segments of a backend URL (a `{proxy}` or a
 * mapped `integration.request.path.*`), which may come from a header: the same rules as a
 * request path, so nothing can climb out of the integration's path prefix.
 */
export function checkPathValue(value: string): void {
  for (const segment of value.split('/')) {
    if (isDotSegment(segment))
      throw new BadRequestPathError(`dot segment in a path parameter: ${JSON.stringify(value)}`);
    if (segment.includes('\\') || segment.includes('\0'))
      throw new BadRequestPathError(`backslash or NUL in a path parameter`);
  }
}

function isPlain(raw: string): boolean {
  for (let i = 1; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    // % . \ and anything outside printable ASCII take the slow path; so does `//`.
    if (c === 37 || c === 46 || c === 92 || c < 0x21 || c > 0x7e) return false;
    if (c === 47 && raw.charCodeAt(i - 1) === 47) return false;
  }
  return true;
}

function canonicalSegment(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    const c = ch.charCodeAt(0);
    if (c === 92) throw new BadRequestPathError('backslash in the path');
    if (c < 0x21 || c > 0x7e) throw new BadRequestPathError('a character that must be escaped');
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const hex = segment.slice(i + 1, i + 3);
    if (!HEX.test(hex)) throw new BadRequestPathError('malformed percent-encoding');
    const byte = String.fromCharCode(parseInt(hex, 16));
    out += UNRESERVED.test(byte) ? byte : `%${hex.toUpperCase()}`;
    i += 2;
  }
  const decoded = out.includes('%') ? checkDecoded(out) : out;
  if (isDotSegment(decoded)) throw new BadRequestPathError('dot segment in the path');
  return out;
}

/**
 * `.` and `..` as any backend might read them: `%2e` for a dot (an escape decoded twice, or a
 * WHATWG URL parser), trailing whitespace trimmed (IIS, URL parsers), `;params` cut (Tomcat).
 */
function isDotSegment(decoded: string): boolean {
  const semi = decoded.indexOf(';');
  const core = (semi === -1 ? decoded : decoded.slice(0, semi)).trim();
  return DOT_SEGMENT.test(core);
}

/** What a backend reads once it decodes the segment: one segment, valid UTF-8. */
function checkDecoded(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new BadRequestPathError('percent-encoding that is not UTF-8');
  }
  if (decoded.includes('/') || decoded.includes('\\'))
    throw new BadRequestPathError('encoded slash or backslash in the path');
  if (decoded.includes('\0')) throw new BadRequestPathError('encoded NUL in the path');
  // An escaped separator escaped again (`%252f`): harmless to a backend that decodes once, a
  // climb out of the prefix to one that decodes twice.
  if (DOUBLE_ENCODED_SEPARATOR.test(decoded))
    throw new BadRequestPathError('a doubly encoded separator in the path');
  return decoded;
}
