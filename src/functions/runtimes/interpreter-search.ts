// Where a machine keeps its interpreters: PATH (python3.12, node), pyenv's and nvm's version
// folders, and which version an executable really is (asked, not guessed from its name: a pyenv
// shim named python3.9 exists even when 3.9 is not selected, and fails when run).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Wanted } from './runtime-versions.js';

export type Env = Record<string, string | undefined>;

/** Every executable called `name` on PATH, in PATH order. */
export function onPath(name: string, env: Env): string[] {
  const found: string[] = [];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) found.push(candidate);
  }
  return found;
}

/**
 * The version folders of pyenv (`$PYENV_ROOT/versions/3.12.1`) or nvm
 * (`$NVM_DIR/versions/node/v22.3.0`) holding the wanted version, newest first.
 */
export function managedInstalls(wanted: Wanted, env: Env): string[] {
  const home = env.HOME ?? homedir();
  const python = wanted.language === 'python';
  const root = python
    ? join(env.PYENV_ROOT ?? join(home, '.pyenv'), 'versions')
    : join(env.NVM_DIR ?? join(home, '.nvm'), 'versions', 'node');
  const prefix = python ? `${wanted.major}.${wanted.minor}.` : `v${wanted.major}.`;
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix) && /^v?[\d.]+$/.test(name))
    .sort((a, b) => compareVersions(b.replace(/^v/, ''), a.replace(/^v/, '')))
    .map((name) =>
      join(root, name, 'bin', python ? `python${wanted.major}.${wanted.minor}` : 'node'),
    )
    .filter(isExecutable);
}

/** `3.11.7` from `Python 3.11.7`, `20.19.0` from `v20.19.0`; undefined when it does not run. */
export function probeVersion(command: string): string | undefined {
  const answer = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (answer.status !== 0) return undefined;
  // Python 2 prints its version on stderr.
  const text = `${answer.stdout ?? ''}${answer.stderr ?? ''}`;
  return /(?:Python |^v)(\d+\.\d+\.\d+)/m.exec(text)?.[1];
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
