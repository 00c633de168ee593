// Python fixtures for the process-runtime tests.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionConfig } from '../../../src/model/types.js';

export const pythonFixtures = fileURLToPath(
  new URL('../../fixtures/functions-python/', import.meta.url),
);

export function pyFn(
  name: string,
  folder: string,
  handler: string,
  overrides: Partial<FunctionConfig> = {},
): FunctionConfig {
  return {
    FunctionName: name,
    Runtime: 'python3.12',
    Handler: handler,
    Code: join(pythonFixtures, folder),
    Timeout: 3,
    MemorySize: 128,
    Environment: { Variables: {} },
    ...overrides,
  };
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
