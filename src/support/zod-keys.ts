// The keys a zod object schema accepts at a path of the input, so an unknown key can be answered
// with the nearest known one. Walks the schema's definition (zod 4's `_zod.def`).
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => schema._zod.def;

/** The object schemas found at `path`, wrappers (optional, default, pipe …) looked through. */
function objectsAt(schema: z.ZodType, path: readonly PropertyKey[]): Def[] {
  const def = defOf(schema);
  const inner = def.innerType ?? def.in;
  if (inner) return objectsAt(inner, path);
  if (def.type === 'union') return (def.options ?? []).flatMap((o) => objectsAt(o, path));
  if (path.length === 0) return def.type === 'object' ? [def] : [];
  const [step, ...rest] = path;
  if (def.type === 'object') {
    const child = def.shape?.[String(step)];
    return child ? objectsAt(child, rest) : [];
  }
  if (def.type === 'record' && def.valueType) return objectsAt(def.valueType, rest);
  if (def.type === 'array' && def.element) return objectsAt(def.element, rest);
  return [];
}

export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  return objectsAt(schema, path).flatMap((def) => Object.keys(def.shape ?? {}));
}
