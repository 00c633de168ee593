// Reads a SAM/CloudFormation template or a serverless.yml into plain values, remembering where each
// value was written so any later error can say file:line:column. CloudFormation's short-form tags
// (`!Ref X`, `!GetAtt A.Arn`, `!Sub …`) become their long forms (`{Ref: X}`, `{'Fn::GetAtt': …}`).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type ScalarTag,
  type CollectionTag,
} from 'yaml';
import { formatKeyPath } from '../../support/zod-issue.js';

export type Path = readonly (string | number)[];

/** Functions with a `!Name` short form; `Ref` and `Condition` are not `Fn::`-prefixed. */
export const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
] as const;

const longForm = (name: string): string =>
  name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;

// Every short form is accepted in each YAML shape; whether the shape is right for the function
// is the resolver's question, asked with the position in hand.
const CFN_TAGS: (ScalarTag | CollectionTag)[] = SHORT_FORMS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq', resolve: (seq) => seq },
  { tag: `!${name}`, collection: 'map', resolve: (map) => map },
]);

export interface SourcePosition {
  line: number;
  column: number;
}

export class LocatedYaml {
  constructor(
    /** The file's name as errors show it. */
    readonly fileName: string,
    readonly value: unknown,
    /** Position of each value, keyed by its formatted key path. */
    private readonly positions: ReadonlyMap<string, SourcePosition> = new Map(),
  ) {}

  /** The position of `path`, or of its nearest ancestor that has one. */
  positionOf(path: Path): SourcePosition | undefined {
    for (let n = path.length; n >= 0; n--) {
      const found = this.positions.get(formatKeyPath(path.slice(0, n)));
      if (found) return found;
    }
    return undefined;
  }

  /** `template.yaml:12:7: Resources.Fn.Properties.Runtime` — where to look. */
  where(path: Path): string {
    const pos = this.positionOf(path);
    const at = pos ? `${this.fileName}:${pos.line}:${pos.column}` : this.fileName;
    return path.length === 0 ? at : `${at}: ${formatKeyPath(path)}`;
  }
}

export type LocatedYamlResult =
  { ok: true; yaml: LocatedYaml } | { ok: false; line: number; column: number; reason: string };

export function parseLocatedYaml(text: string, fileName: string): LocatedYamlResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    uniqueKeys: true,
    prettyErrors: true,
    customTags: CFN_TAGS,
    lineCounter,
  });
  // An unknown `!Tag` is a warning to the yaml package; here it is a mistake, named.
  const problem = doc.errors[0] ?? doc.warnings.find((w) => w.message.startsWith('Unresolved tag'));
  if (problem) {
    const pos = problem.linePos?.[0];
    let reason = problem.message.split(/ at line \d+, column \d+:/)[0]!.trim();
    if (reason.startsWith('Unresolved tag'))
      reason = `${reason.replace('Unresolved tag', 'unknown tag')} (CloudFormation's short forms: ${SHORT_FORMS.map((n) => `!${n}`).join(', ')})`;
    return { ok: false, line: pos?.line ?? 1, column: pos?.col ?? 1, reason };
  }
  const reader = new Reader(doc, lineCounter, fileName);
  return { ok: true, yaml: reader.read() };
}

class Reader {
  private aliases = 0;
  private readonly positions = new Map<string, SourcePosition>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly fileName: string,
  ) {}

  read(): LocatedYaml {
    const value = this.toValue(this.doc.contents, []);
    return new LocatedYaml(this.fileName, value, this.positions);
  }

  private toValue(node: Node | null, path: Path): unknown {
    if (node === null) return null;
    if (node.range) {
      const { line, col } = this.lines.linePos(node.range[0]);
      this.positions.set(formatKeyPath(path), { line, column: col });
    }
    if (isAlias(node)) {
      // maxAliasCount as in support/yaml.ts: no "billion laughs".
      if (++this.aliases > 100) throw new Error(`${this.fileName}: too many YAML aliases`);
      return this.toValue(node.resolve(this.doc) as Node, path);
    }
    const plain = this.plain(node, path);
    const tag = node.tag;
    if (tag?.startsWith('!') && !tag.startsWith('!!')) {
      const name = tag.slice(1);
      // `!GetAtt A.B` is the string form of ['A', 'B'].
      if (name === 'GetAtt' && typeof plain === 'string') {
        const dot = plain.indexOf('.');
        return { 'Fn::GetAtt': dot < 0 ? [plain] : [plain.slice(0, dot), plain.slice(dot + 1)] };
      }
      return { [longForm(name)]: plain };
    }
    return plain;
  }

  private plain(node: Node, path: Path): unknown {
    if (isScalar(node)) return node.value;
    if (isSeq(node)) return node.items.map((item, i) => this.toValue(item as Node, [...path, i]));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        // `<<` merge keys are YAML 1.1; CloudFormation templates do not use them.
        out[key] = this.toValue(pair.value as Node | null, [...path, key]);
      }
      return out;
    }
    return null;
  }
}
