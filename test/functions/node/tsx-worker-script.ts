// Worker threads cannot run the TypeScript sources as they are (a worker's main script must be
// JavaScript, and tsx's hooks do not reach worker threads): in-process tests and the function
// bench pass this one-line CommonJS script, which registers tsx's require hook and then requires
// the .ts worker entry. The built gateway runs dist/…/worker-entry.js and needs none of it.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { WorkerScript } from '../../../src/functions/node/worker-script.js';

const entry = fileURLToPath(
  new URL('../../../src/functions/node/worker-entry.ts', import.meta.url),
);
const tsxCjs = createRequire(import.meta.url).resolve('tsx/cjs');

export const TSX_WORKER_SCRIPT: WorkerScript = {
  script: `require(${JSON.stringify(tsxCjs)});require(${JSON.stringify(entry)})`,
  eval: true,
};
