// The functions the store holds, ready for the invoker: what a serving node calls at start and
// on every `function` change event (then `invoker.setFunctions(...)`). Code uploaded through
// another node is unpacked here from the package kept in the store, and `Code` points at this
// node's own data directory.
import type { FunctionConfig } from '../../model/types.js';
import type { Store } from '../../store/store.js';
import { unpackStored } from './code.js';
import type { StoredFunction } from './function-configuration.js';

export async function loadFunctions(store: Store, dataDir: string): Promise<FunctionConfig[]> {
  const stored = await store.list<StoredFunction>('function', '');
  const configs: FunctionConfig[] = [];
  for (const fn of stored) {
    if (fn.LocalCode !== undefined) {
      configs.push(toFunctionConfig(fn, fn.LocalCode));
      continue;
    }
    const pkg = await store.get<{ ZipFile: string }>('code', fn.FunctionName, fn.CodeHash);
    if (!pkg) continue; // deleted meanwhile; the next event brings the new state
    const folder = await unpackStored(dataDir, fn.FunctionName, fn.CodeHash, pkg.ZipFile);
    configs.push(toFunctionConfig(fn, folder));
  }
  return configs;
}

/** The invoker's view of a stored function: FunctionConfig's fields only. */
export function toFunctionConfig(fn: StoredFunction, code: string): FunctionConfig {
  const config: FunctionConfig = {
    FunctionName: fn.FunctionName,
    Runtime: fn.Runtime,
    Handler: fn.Handler,
    Code: code,
    Timeout: fn.Timeout,
    MemorySize: fn.MemorySize,
    Environment: fn.Environment,
  };
  if (fn.Isolation !== undefined) config.Isolation = fn.Isolation;
  // New code, fresh environments, even when nothing else changed (an edit under `serve --watch`).
  config.CodeVersion = fn.CodeHash;
  return config;
}
