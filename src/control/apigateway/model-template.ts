// GetModelTemplate: a sample mapping template that reads a payload into the model's shape, in the
// form API Gateway generates. What AWS writes, from its recorded answers:
//  - every template starts `#set($inputRoot = $input.path('$'))`, and a model without
//    properties is `{ }` (the CLI reference's `Empty`:
//    https://docs.aws.amazon.com/cli/latest/reference/apigateway/get-model-template.html);
//  - an object lists its properties as `"name" : value`, two spaces deeper per level;
//  - a string property reads as `"$inputRoot.name"`, a number, integer or boolean unquoted;
//  - an array is a `#foreach($elem in …)` under a `##TODO` comment, its items read from `$elem`,
//    and a top-level array iterates `$inputRoot.TODO` (the console's generated templates).
// https://docs.aws.amazon.com/apigateway/latest/api/API_GetModelTemplate.html
import type { Model } from '../../model/types.js';
import { parseDocumentRef, parseModelUrl } from '../../gateway/validation/model-ref.js';
import { BadRequestError } from '../errors.js';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
  $ref?: string;
};

const HEADER = "#set($inputRoot = $input.path('$'))";
const TODO = '##TODO: Update this foreach loop to reference array from input json';
/** `$ref`s followed at most this deep: a model that contains itself stops there. */
const MAX_DEPTH = 16;

export function modelTemplate(model: Model, models: readonly Model[]): string {
  const schemas = new Map<string, Schema>();
  for (const m of models) if (m.schema !== undefined) schemas.set(m.name, parse(m.schema));
  const generator = new TemplateWriter(schemas);
  const root = generator.resolve(model.schema === undefined ? {} : parse(model.schema), 0);
  const body =
    kindOf(root) === 'array'
      ? generator.array(root, '$inputRoot.TODO', '', 0)
      : generator.object(root, '$inputRoot', '', 0);
  return `${HEADER}\n${body}`;
}

function parse(schema: string): Schema {
  try {
    const parsed: unknown = JSON.parse(schema);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    throw new BadRequestError('Invalid model schema specified');
  }
}

function kindOf(schema: Schema): string {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type) return type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return 'string';
}

class TemplateWriter {
  constructor(private readonly models: Map<string, Schema>) {}

  /** The schema a `$ref` names (another model, or a document-style reference to one). */
  resolve(schema: Schema, depth: number): Schema {
    if (typeof schema.$ref !== 'string' || depth > MAX_DEPTH) return schema;
    const name = parseModelUrl(schema.$ref)?.name ?? parseDocumentRef(schema.$ref);
    const target = name === undefined ? undefined : this.models.get(name);
    return target ? this.resolve(target, depth + 1) : {};
  }

  object(schema: Schema, path: string, indent: string, depth: number): string {
    const entries = Object.entries(schema.properties ?? {});
    if (entries.length === 0) return '{ }';
    const inner = `${indent}  `;
    const lines = entries.map(
      ([name, property]) =>
        `${inner}"${name}" : ${this.value(property, `${path}.${name}`, inner, depth + 1)}`,
    );
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }

  array(schema: Schema, path: string, indent: string, depth: number): string {
    const items = Array.isArray(schema.items) ? (schema.items[0] ?? {}) : (schema.items ?? {});
    const item = this.resolve(items, depth);
    const element =
      kindOf(item) === 'object'
        ? ` ${this.object(item, '$elem', '', depth + 1)} `
        : ` ${this.value(item, '$elem', '', depth + 1)}`;
    return `[\n${TODO}\n#foreach($elem in ${path})\n${element}\n#if($foreach.hasNext),#end\n#end\n${indent}]`;
  }

  value(schema: Schema, path: string, indent: string, depth: number): string {
    const resolved = this.resolve(schema, depth);
    if (depth > MAX_DEPTH) return `"${path}"`;
    switch (kindOf(resolved)) {
      case 'object':
        return this.object(resolved, path, indent, depth);
      case 'array':
        return this.array(resolved, path, indent, depth);
      case 'number':
      case 'integer':
      case 'boolean':
        return path;
      default:
        return `"${path}"`;
    }
  }
}
