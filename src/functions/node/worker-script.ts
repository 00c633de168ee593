// The main script of every worker thread. A worker's main script must be JavaScript: the built
// worker-entry.js beside this module. Code that runs the TypeScript sources (the tests, the
// function bench) passes a script of its own that loads them.
import { fileURLToPath } from 'node:url';

export interface WorkerScript {
  /** A file path, or the script's text when `eval` is true. */
  script: string;
  eval: boolean;
}

export const BUILT_WORKER_SCRIPT: WorkerScript = {
  script: fileURLToPath(new URL('./worker-entry.js', import.meta.url)),
  eval: false,
};
