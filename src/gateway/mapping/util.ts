// `$util` as API Gateway runs it: Java's libraries, whose answers differ from JavaScript's
// (escapeJavaScript also escapes `/` and non-ASCII; urlEncode writes a space as `+`).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#util-template-reference

const hex4 = (code: number) => code.toString(16).toUpperCase().padStart(4, '0');

/**
 * Apache Commons Lang's `StringEscapeUtils.escapeJavaScript`: `'` becomes `\'` (AWS: "This
 * function will turn any regular single quotes (') into escaped ones (\')"), `/` becomes `\/`,
 * control and non-ASCII characters become `\uXXXX` (upper-case hex).
 */
export function escapeJavaScript(value: unknown): string {
  const s = String(value);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) out += `\\u${hex4(c)}`;
    else if (c < 0x20) out += CONTROL[c] ?? `\\u${hex4(c)}`;
    else if (c === 0x27) out += "\\'";
    else if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x2f) out += '\\/';
    else out += s[i];
  }
  return out;
}

const CONTROL: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

/** `java.net.URLEncoder.encode(s, "UTF-8")`: space → `+`; only `a-zA-Z0-9.-*_` stay as they are. */
export function urlEncode(value: unknown): string {
  return encodeURIComponent(String(value)).replace(/[!'()~]|%20/g, (c) =>
    c === '%20' ? '+' : `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `java.net.URLDecoder.decode(s, "UTF-8")`: `+` → space; a bad escape fails the template. */
export function urlDecode(value: unknown): string {
  return decodeURIComponent(String(value).replace(/\+/g, ' '));
}

export function base64Encode(value: unknown): string {
  return Buffer.from(String(value)).toString('base64');
}

export function base64Decode(value: unknown): string {
  return Buffer.from(String(value), 'base64').toString();
}

/** "Takes 'stringified' JSON and returns an object representation of the result." */
export function parseJson(value: unknown): unknown {
  return JSON.parse(String(value));
}

export const UTIL = {
  escapeJavaScript,
  parseJson,
  urlEncode,
  urlDecode,
  base64Encode,
  base64Decode,
} as const;
