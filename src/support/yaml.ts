// One YAML reader for every file Sallyport loads (sallyport.yaml, OpenAPI YAML or JSON: JSON is
// YAML 1.2), so a syntax error always comes back with its line and column.
import { parseDocument } from 'yaml';

export type YamlParseResult =
  { ok: true; value: unknown } | { ok: false; line: number; column: number; reason: string };

export function parseYaml(text: string): YamlParseResult {
  // uniqueKeys: a key given twice is an error, never a silent last-one-wins.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    // prettyErrors appends " at line L, column C:" and a code frame; we print the position our way.
    const reason = error.message.split(/ at line \d+, column \d+:/)[0]!.trim();
    return { ok: false, line: pos?.line ?? 1, column: pos?.col ?? 1, reason };
  }
  // maxAliasCount bounds alias expansion ("billion laughs").
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
}
