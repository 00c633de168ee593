// SAM's Globals: properties every AWS::Serverless::Function / Api inherits. A resource's own value
// wins over a primitive, maps are merged key by key, lists are joined (global entries first).
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html
import { intrinsicName } from './intrinsics.js';

const isPlainMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && intrinsicName(v) === undefined;

export function mergeGlobals(global: unknown, local: unknown): unknown {
  if (local === undefined) return global;
  if (global === undefined) return local;
  if (isPlainMap(global) && isPlainMap(local)) {
    const out: Record<string, unknown> = { ...global };
    for (const [key, value] of Object.entries(local)) out[key] = mergeGlobals(global[key], value);
    return out;
  }
  if (Array.isArray(global) && Array.isArray(local))
    return [...(global as unknown[]), ...(local as unknown[])];
  return local;
}

/** `Globals.<section>` merged under a resource's properties. */
export function withGlobals(
  root: Record<string, unknown>,
  section: 'Function' | 'Api',
  properties: Record<string, unknown>,
): Record<string, unknown> {
  const globals = root.Globals;
  const global = isPlainMap(globals) && isPlainMap(globals[section]) ? globals[section] : undefined;
  return (mergeGlobals(global, properties) ?? {}) as Record<string, unknown>;
}
