// Starts a command inside a fresh cgroup of its own: a `/bin/sh` launcher writes its pid into the
// group's cgroup.procs, then execs the command, so every process it ever starts — forked,
// detached, double-forked — is in the group before it can run a line of the function's code.
// Groups of ended environments are removed once the kernel has reaped their processes.
import { randomBytes } from 'node:crypto';
import { openCgroupTree, type CgroupTree, type EnvironmentCgroup } from './cgroup.js';
import type { Confinement } from './confinement.js';

const PROCS_VARIABLE = 'SALLYPORT_CGROUP_PROCS';
const LAUNCHER = `for f in $${PROCS_VARIABLE}; do echo $$ > "$f" || exit 125; done; unset ${PROCS_VARIABLE} PWD; exec "$@"`;

export interface ConfinedGroup {
  group: EnvironmentCgroup;
  /** `/bin/sh` arguments that join the group and exec `command`. */
  launcher(command: string[]): { command: string; args: string[] };
  /** The variable the launcher reads, added to the runtime's environment (it unsets it). */
  variables: Record<string, string>;
  /** Kills what is left, then removes the group once empty. */
  release(): void;
}

export class CgroupLauncher {
  private readonly tree: CgroupTree;
  /** Groups of running environments, and of ended ones not yet removed (still being reaped). */
  private readonly live = new Set<EnvironmentCgroup>();
  private readonly ended = new Set<EnvironmentCgroup>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(tree: CgroupTree) {
    this.tree = tree;
  }

  /** A launcher for isolation `process`, or undefined where sallyport cannot create cgroups. */
  static tryOpen(name: string): CgroupLauncher | undefined {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
    try {
      return new CgroupLauncher(openCgroupTree(name));
    } catch {
      return undefined;
    }
  }

  /** A new group; `memoryMB` caps all of its memory when given. */
  enter(memoryMB?: number): ConfinedGroup {
    const group = this.tree.create(randomBytes(8).toString('hex'), memoryMB);
    this.live.add(group);
    let released = false;
    return {
      group,
      launcher: (command) => ({
        command: '/bin/sh',
        args: ['-c', LAUNCHER, 'sallyport-launcher', ...command],
      }),
      variables: { [PROCS_VARIABLE]: group.procsFiles.join(' ') },
      release: () => {
        if (released) return;
        released = true;
        group.killAll();
        this.live.delete(group);
        this.ended.add(group);
        this.sweep();
      },
    };
  }

  /** A process-level confinement: the runtime as it is, in a group of its own. */
  confineProcess(command: string, args: string[]): Confinement {
    const confined = this.enter();
    return {
      ...confined.launcher([command, ...args]),
      environment: (env) => ({ ...env, ...confined.variables }),
      killAll: () => confined.group.killAll(),
      dispose: () => confined.release(),
      peakMemoryMB: () => undefined,
      signalOf: () => undefined,
    };
  }

  /** Ends every environment still running and removes every group this launcher created. */
  async close(): Promise<void> {
    clearTimeout(this.sweeper);
    for (const group of this.live) this.ended.add(group);
    this.live.clear();
    const deadline = Date.now() + 2000;
    for (;;) {
      for (const group of this.ended) group.killAll();
      this.removeEmptyGroups();
      if (this.ended.size === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.tree.close();
  }

  private sweep(): void {
    this.removeEmptyGroups();
    if (this.ended.size === 0 || this.sweeper) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      this.sweep();
    }, 100).unref();
  }

  private removeEmptyGroups(): void {
    for (const group of this.ended) if (group.remove()) this.ended.delete(group);
  }
}
