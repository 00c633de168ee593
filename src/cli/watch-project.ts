// `serve --watch`: a changed file of the project (its source's files, or anything under a
// function's code folder) reads the project again and applies it. Changes settle for a moment
// first (editors write in several steps), reloads run one at a time, and a reload that fails
// changes nothing: the last good deployment keeps serving and the error is printed.
// One fs.watch per folder, not `recursive`: a code folder's node_modules is never watched, and
// new sub-folders are picked up by the reload their creation triggers.
import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Project } from '../config/project-file.js';
import type { AppliedProject } from './apply-project.js';
import type { ProjectSource, SourcedProject } from './project-source.js';
import type { SallyportNode } from './start-node.js';

export interface WatchOptions {
  source: ProjectSource;
  /** What serve started with. */
  current: SourcedProject;
  node: Pick<SallyportNode, 'applyProject'>;
  /** One line for the user per change. */
  print: (line: string) => void;
  /** How long changes settle before a reload; default 200 ms. */
  settleMs?: number;
}

export interface ProjectWatch {
  close(): void;
}

export function watchProject(options: WatchOptions): ProjectWatch {
  const watchers = new Map<string, FSWatcher>();
  // Per watched folder: which names in it are the project's.
  const relevant = new Map<string, (name: string) => boolean>();
  let current = options.current;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(reload);
    }, options.settleMs ?? 200);
  };

  const reload = async () => {
    if (closed) return;
    try {
      const next = await options.source.read();
      if (!next) throw new Error('the project file is gone');
      const applied = await options.node.applyProject(next.project);
      for (const line of describe(applied, current.project, next.project)) options.print(line);
      current = next;
    } catch (error) {
      options.print(`reload failed, still serving the last good version: ${message(error)}`);
    }
    follow(current);
  };

  /** Watches the folders of the source's files and every folder of each function's code. */
  const follow = (sourced: SourcedProject) => {
    const files = new Set(sourced.files);
    relevant.clear();
    const add = (dir: string, test: (name: string) => boolean) => {
      const previous = relevant.get(dir);
      relevant.set(dir, previous ? (name) => test(name) || previous(name) : test);
    };
    for (const file of files) add(dirname(file), (name) => files.has(join(dirname(file), name)));
    for (const fn of sourced.project.functions)
      for (const dir of foldersOf(fn.Code)) add(dir, isCodeChange);
    for (const [dir, watcher] of watchers) {
      if (relevant.has(dir)) continue;
      watcher.close();
      watchers.delete(dir);
    }
    for (const dir of relevant.keys()) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, (_event, name) => {
          if (name === null || relevant.get(dir)?.(name)) schedule();
        });
        watcher.on('error', () => {
          watcher.close();
          watchers.delete(dir);
        });
        watchers.set(dir, watcher);
      } catch {
        // gone meanwhile: the next read says what is missing
      }
    }
  };

  follow(current);
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/** Editors' swap and backup files, and hidden files, are not code changes. */
function isCodeChange(name: string): boolean {
  const file = basename(name);
  return !file.startsWith('.') && !file.endsWith('~') && file !== '4913';
}

/** The folder and its sub-folders, except hidden ones and node_modules. */
function foldersOf(root: string): string[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    const dir = found[i]!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules')
        continue;
      found.push(join(dir, entry.name));
    }
  }
  return found;
}

/** The one-line notices: `reloaded: functions a (code)`, `reloaded: api x redeployed to dev`. */
function describe(applied: AppliedProject, before: Project, after: Project): string[] {
  const lines: string[] = [];
  if (applied.functions.length > 0) {
    const list = applied.functions.map((f) => `${f.name} (${f.change})`).join(', ');
    lines.push(`reloaded: functions ${list}`);
  }
  for (const api of applied.redeployed)
    lines.push(`reloaded: api ${api.api} redeployed to ${api.stages.join(', ')}`);
  if (JSON.stringify(before.settings) !== JSON.stringify(after.settings))
    lines.push('reload: settings (region, accountId) changed; restart serve to apply them');
  if (lines.length === 0) lines.push('reloaded: no change');
  return lines;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
