// One cgroup per sandboxed execution environment: `MemorySize` on all of its memory (V8 heap,
// off-heap Buffers, native allocations, its /tmp tmpfs pages), Lambda's 1,024 processes/threads,
// and a complete list of its processes so a timeout ends every one of them, detached or not.
// cgroup v1 (memory + pids controllers) or v2 (memory + pids enabled for our children), whichever
// this machine lets us write. https://docs.kernel.org/admin-guide/cgroup-v2.html
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (processes/threads: 1,024)
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { SandboxUnavailableError } from './sandbox-errors.js';

const PIDS_MAX = 1024;

export interface EnvironmentCgroup {
  /** cgroup.procs files the launcher writes its own pid into before exec'ing the sandbox. */
  procsFiles: string[];
  /** SIGKILLs every process in the group until none is left. */
  killAll(): void;
  /** Removes the group once its processes are gone; true when it is gone. */
  remove(): boolean;
  /** Peak memory of the group, MB (REPORT's Max Memory Used). */
  peakMemoryMB(): number | undefined;
}

export interface CgroupTree {
  version: 1 | 2;
  /** A child group; `memoryMB` caps all of its memory when given. */
  create(name: string, memoryMB?: number): EnvironmentCgroup;
  /** Removes our parent group (once every environment's group is gone). */
  close(): void;
}

/** The hierarchy this process can create limited child groups in, else why not. */
export function openCgroupTree(name: string): CgroupTree {
  const v1Memory = controllerRoot('memory');
  const v1Pids = controllerRoot('pids');
  if (v1Memory && v1Pids) return openV1(v1Memory, v1Pids, name);
  const unified = unifiedRoot();
  if (unified) return openV2(unified, name);
  throw new SandboxUnavailableError(
    'no cgroup memory controller: neither cgroup v1 memory+pids hierarchies nor a cgroup v2 hierarchy is mounted',
  );
}

/** `/sys/fs/cgroup/<controller>/<our own group>` for a mounted v1 controller. */
function controllerRoot(controller: string): string | undefined {
  const mount = v1Mounts().get(controller);
  if (!mount) return undefined;
  const own = ownGroups().get(controller) ?? '/';
  return join(mount, own);
}

function v1Mounts(): Map<string, string> {
  const mounts = new Map<string, string>();
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, target, type, options] = line.split(' ');
    if (type !== 'cgroup' || !target || !options) continue;
    for (const option of options.split(',')) mounts.set(option, target);
  }
  return mounts;
}

function unifiedRoot(): string | undefined {
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, target, type] = line.split(' ');
    if (type === 'cgroup2' && target) return join(target, ownGroups().get('') ?? '/');
  }
  return undefined;
}

/** controller → our group path, from /proc/self/cgroup (`''` is the v2 line `0::/path`). */
function ownGroups(): Map<string, string> {
  const groups = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers === undefined || path === undefined) continue;
    for (const controller of controllers.split(',')) groups.set(controller, path);
  }
  return groups;
}

function makeParent(dir: string, what: string): void {
  removeStale(dirname(dir));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new SandboxUnavailableError(
      `cannot create cgroup ${dir} (${(error as NodeJS.ErrnoException).code}): ${what} must be writable (run as root, or delegate the cgroup)`,
    );
  }
}

function openV1(memoryRoot: string, pidsRoot: string, name: string): CgroupTree {
  const memoryParent = join(memoryRoot, name);
  const pidsParent = join(pidsRoot, name);
  makeParent(memoryParent, 'the cgroup v1 memory controller');
  makeParent(pidsParent, 'the cgroup v1 pids controller');
  return {
    version: 1,
    create(env, memoryMB) {
      const memory = join(memoryParent, env);
      const pids = join(pidsParent, env);
      mkdirSync(memory);
      mkdirSync(pids);
      if (memoryMB !== undefined) {
        const bytes = String(memoryMB * 1024 * 1024);
        writeFileSync(join(memory, 'memory.limit_in_bytes'), bytes);
        // With swap accounting on, swap counts too: the limit is on all memory.
        tryWrite(join(memory, 'memory.memsw.limit_in_bytes'), bytes);
      }
      writeFileSync(join(pids, 'pids.max'), String(PIDS_MAX));
      return {
        procsFiles: [join(memory, 'cgroup.procs'), join(pids, 'cgroup.procs')],
        killAll: () => killEvery(join(pids, 'cgroup.procs')),
        remove: () => [memory, pids].map(removeGroup).every(Boolean),
        peakMemoryMB: () => megabytes(join(memory, 'memory.max_usage_in_bytes')),
      };
    },
    close: () => void [memoryParent, pidsParent].map(removeGroup),
  };
}

function openV2(root: string, name: string): CgroupTree {
  const parent = join(root, name);
  const controllers = readFileSync(join(root, 'cgroup.controllers'), 'utf8').split(/\s+/);
  if (!controllers.includes('memory') || !controllers.includes('pids')) {
    throw new SandboxUnavailableError(
      `cgroup v2 at ${root} does not offer the memory and pids controllers to sallyport (delegate them, e.g. systemd-run --scope -p Delegate=yes)`,
    );
  }
  makeParent(parent, 'the cgroup v2 hierarchy');
  try {
    // Our own group holds the gateway, so the limits go on the children of a group of ours.
    writeFileSync(join(root, 'cgroup.subtree_control'), '+memory +pids');
    writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory +pids');
  } catch (error) {
    removeGroup(parent);
    throw new SandboxUnavailableError(
      `cannot enable the memory and pids controllers under ${root} (${(error as NodeJS.ErrnoException).code}): run sallyport in a cgroup of its own with them delegated`,
    );
  }
  return {
    version: 2,
    create(env, memoryMB) {
      const group = join(parent, env);
      mkdirSync(group);
      if (memoryMB !== undefined) {
        writeFileSync(join(group, 'memory.max'), String(memoryMB * 1024 * 1024));
        tryWrite(join(group, 'memory.swap.max'), '0');
      }
      writeFileSync(join(group, 'pids.max'), String(PIDS_MAX));
      return {
        procsFiles: [join(group, 'cgroup.procs')],
        killAll: () => {
          // cgroup.kill (Linux 5.14+) ends the whole group at once, forks in flight included.
          if (!tryWrite(join(group, 'cgroup.kill'), '1')) killEvery(join(group, 'cgroup.procs'));
        },
        remove: () => removeGroup(group),
        peakMemoryMB: () => megabytes(join(group, 'memory.peak')),
      };
    },
    close: () => void removeGroup(parent),
  };
}

/**
 * Groups left by a gateway that was killed (SIGKILL leaves no chance to clean up): the groups of
 * `sallyport-<pid>…` whose process is gone, once empty.
 */
function removeStale(root: string): void {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = /^sallyport-(\d+)/.exec(name)?.[1];
    if (pid === undefined || existsSync(`/proc/${pid}`)) continue;
    const dir = join(root, name);
    for (const child of readdirSync(dir, { withFileTypes: true })) {
      if (child.isDirectory()) removeGroup(join(dir, child.name));
    }
    removeGroup(dir);
  }
}

function killEvery(procsFile: string): void {
  // A process may fork while we kill; the pids controller caps that, a few passes end it.
  for (let pass = 0; pass < 20; pass++) {
    const pids = readPids(procsFile);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
}

function readPids(procsFile: string): number[] {
  try {
    return readFileSync(procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function removeGroup(dir: string): boolean {
  if (!existsSync(dir)) return true;
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false; // still has processes: they are being killed
  }
}

function tryWrite(file: string, value: string): boolean {
  try {
    writeFileSync(file, value);
    return true;
  } catch {
    return false;
  }
}

function megabytes(file: string): number | undefined {
  try {
    return Math.ceil(Number(readFileSync(file, 'utf8').trim()) / (1024 * 1024));
  } catch {
    return undefined;
  }
}
