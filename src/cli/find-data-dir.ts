// Where the store commands (`apis`, `functions`, `deploy`, `export`, `import`) find the state a
// `serve` wrote: `--data-dir`, else `.sallyport` beside the project file (`--config`, or
// ./sallyport.yaml), as serve chooses it. A store is never created by a command that reads one:
// when there is none, the error says where it looked and which data directories lie below.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SQLITE_FILE } from '../store/open-store.js';

const DATA_DIR_NAME = '.sallyport';
// How deep below the current folder to look for other data directories to suggest.
const SEARCH_DEPTH = 3;

/** The folder of the project file `--config` names (a file or its folder), else the current one. */
export function projectDirFor(config: string | undefined): string {
  if (config === undefined) return resolve('.');
  const path = resolve(config);
  return statSync(path, { throwIfNoEntry: false })?.isFile() ? dirname(path) : path;
}

/** The SQLite data directory to open, or an error naming where we looked. */
export function existingDataDir(dataDir: string | undefined, config: string | undefined): string {
  const dir = resolve(dataDir ?? join(projectDirFor(config), DATA_DIR_NAME));
  if (existsSync(join(dir, SQLITE_FILE))) return dir;
  const why =
    dataDir !== undefined
      ? '--data-dir'
      : config !== undefined
        ? `beside the project file of --config ${config}`
        : 'in the current folder (serve keeps its state beside the project file)';
  const found = findDataDirs(resolve('.'), SEARCH_DEPTH).map((d) => relative('.', d) || '.');
  const hint = found.length
    ? `; found state in ${found.join(', ')}: pass --data-dir ${found[0]}, or --config with the project folder`
    : '; start `sallyport serve` first, or pass --data-dir DIR or --config PROJECT';
  return fail(`no Sallyport state in ${dir} (looked ${why})${hint}`);
}

function fail(message: string): never {
  throw new Error(message);
}

/** Data directories (holding a store) under `root`, nearest first; node_modules skipped. */
function findDataDirs(root: string, depth: number): string[] {
  const found: string[] = [];
  let level = [root];
  for (let d = 0; d < depth && level.length; d++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (!entry.isDirectory()) continue;
        const path = join(dir, entry.name);
        if (entry.name === DATA_DIR_NAME && existsSync(join(path, SQLITE_FILE))) found.push(path);
        else if (!entry.name.startsWith('.') && entry.name !== 'node_modules') next.push(path);
      }
    }
    level = next;
  }
  return found;
}
