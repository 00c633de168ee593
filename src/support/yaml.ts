// One YAML reader for every file Sallyport loads (sallyport.yaml, OpenAPI YAML or JSON: JSON is
// YAML 1.2), so a syntax error always comes back with its line and column.
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

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

export interface YamlPosition {
  line: number;
  column: number;
}

/**
 * Where a value (or, with `key`, the key naming it) sits in the text, for error messages that
 * point at the line. Falls back to the deepest ancestor the document has.
 */
export function yamlLocator(
  text: string,
): (path: readonly PropertyKey[], key?: boolean) => YamlPosition {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const at = (offset: number): YamlPosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return (path, key = false) => {
    let node: unknown = doc.contents;
    let found: YamlPosition = at(rangeOf(node)?.[0] ?? 0);
    for (const step of path) {
      if (!isMap(node) && !isSeq(node)) break;
      const pair = isMap(node)
        ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step))
        : undefined;
      const keyRange = rangeOf(pair?.key);
      const next: unknown = isMap(node) ? pair?.value : node.get(Number(step), true);
      if (pair === undefined && next === undefined) break;
      if (key && step === path[path.length - 1] && keyRange) return at(keyRange[0]);
      const range = rangeOf(next) ?? keyRange;
      if (range) found = at(range[0]);
      node = next;
    }
    return found;
  };
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  return isNode(node) ? (node.range ?? undefined) : undefined;
}
