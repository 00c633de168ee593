// The `sandbox` isolation level: what this machine must offer (checked once, at start-up, with a
// clear refusal naming what is missing — never a silent downgrade), and one `Sandbox` per
// execution environment: its own uid, cgroup, Runtime API socket and bubblewrap command line.
// docs/security.md, "Isolation levels".
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionConfig } from '../../model/types.js';
import type { Launch } from '../process/runtime-launchers.js';
import { bwrapArgs, SOCKET_DIR_INSIDE, TASK_ROOT } from './bwrap-args.js';
import { openCgroupTree, type CgroupTree, type EnvironmentCgroup } from './cgroup.js';
import { SandboxUnavailableError } from './sandbox-errors.js';

const thisFile = fileURLToPath(import.meta.url);
/** dist/functions: the Node.js bootstrap and the relay, bound read-only into every sandbox. */
const FUNCTIONS_DIR = resolve(dirname(thisFile), '..');
/** The package's package.json, so Node.js loads dist/functions as ES modules inside. */
const PACKAGE_JSON = resolve(FUNCTIONS_DIR, '../../package.json');
const RELAY = join(FUNCTIONS_DIR, 'sandbox/runtime-api-relay.js');
/** Lambda's own address for the Runtime API, on the sandbox's private loopback. */
const RUNTIME_API_PORT = 9001;
const SOCKET_NAME = 'runtime-api.sock';
/** Lambda's PATH. https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html */
const LAMBDA_PATH = '/usr/local/bin:/usr/bin/:/bin:/opt/bin';
/** uids handed to environments: a block of 65,536 picked at random per gateway, below 2^31. */
const UID_BLOCK = 65_536;

/** What the execution environment needs from its sandbox. */
export interface Sandbox {
  socketPath: string;
  /** The value of AWS_LAMBDA_RUNTIME_API inside. */
  runtimeApi: string;
  command: string;
  args: string[];
  /** The runtime's environment with host paths replaced by the sandbox's. */
  environment(env: Record<string, string>): Record<string, string>;
  /** Ends every process of the environment, detached grandchildren included. */
  killAll(): void;
  /** After the sandbox ended: its cgroup, socket folder and uid are released. */
  dispose(): void;
  peakMemoryMB(): number | undefined;
  /** bubblewrap reports a runtime killed by signal N as exit status 128+N. */
  signalOf(exitCode: number | null): NodeJS.Signals | undefined;
}

export class SandboxHost {
  private readonly cgroups: CgroupTree;
  private readonly runDir: string;
  private readonly uidBase = 1_000_000 + randomInt(0, 30_000) * UID_BLOCK;
  private readonly uids = new Set<number>();
  private nextUid = 0;
  /** Groups of running environments, and of ended ones not yet removed (still being reaped). */
  private readonly live = new Set<EnvironmentCgroup>();
  private readonly ended = new Set<EnvironmentCgroup>();
  private sweeper: NodeJS.Timeout | undefined;
  private readonly pythons = new Map<string, { executable: string; prefixes: string[] }>();

  private constructor(cgroups: CgroupTree) {
    this.cgroups = cgroups;
    this.runDir = mkdtempSync(join(tmpdir(), 'sallyport-sandbox-'));
  }

  /** Checks everything the level needs, or throws SandboxUnavailableError saying what is missing. */
  static open(): SandboxHost {
    if (process.platform !== 'linux') throw new SandboxUnavailableError('it needs Linux');
    if (process.getuid?.() !== 0) {
      throw new SandboxUnavailableError(
        'it needs root (each environment gets its own uid, namespaces and cgroup)',
      );
    }
    if (extname(thisFile) !== '.js') {
      throw new SandboxUnavailableError('it runs from the built package (npm run build), not from sources');
    }
    for (const [tool, pkg] of [
      ['bwrap', 'bubblewrap'],
      ['setpriv', 'util-linux'],
    ] as const) {
      if (spawnSync(tool, ['--version']).error) {
        throw new SandboxUnavailableError(`${tool} is not installed (apt-get install -y ${pkg})`);
      }
    }
    const probe = spawnSync(
      'bwrap',
      ['--ro-bind', '/', '/', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--die-with-parent', 'true'],
      { encoding: 'utf8' },
    );
    if (probe.status !== 0) {
      throw new SandboxUnavailableError(
        `the kernel refused new pid, network, IPC or mount namespaces: ${probe.stderr.trim()}`,
      );
    }
    return new SandboxHost(openCgroupTree(`sallyport-${process.pid}`));
  }

  /** Fails at load time, not at the first request: what a function's sandbox would lack. */
  check(config: FunctionConfig, launch: Launch): void {
    // "Lambda requires global read permissions on code files" — the sandbox's uid is not the owner.
    // https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-deployment.html
    if ((statSync(config.Code).mode & 0o005) !== 0o005) {
      throw new SandboxUnavailableError(
        `function ${config.FunctionName}: its code folder ${config.Code} must be readable by everyone (chmod -R a+rX), as Lambda requires`,
      );
    }
    if (config.Runtime.startsWith('python')) this.python(launch.command);
  }

  create(config: FunctionConfig, launch: Launch): Sandbox {
    const uid = this.allocateUid();
    const id = randomBytes(8).toString('hex');
    const socketDir = join(this.runDir, id);
    mkdirSync(socketDir, { mode: 0o700 });
    // Only the environment's uid (and root) may reach its Runtime API.
    chownSync(socketDir, uid, uid);
    let cgroup: EnvironmentCgroup;
    try {
      cgroup = this.cgroups.create(id, config.MemorySize);
    } catch (error) {
      this.uids.delete(uid);
      rmSync(socketDir, { recursive: true, force: true });
      throw error;
    }
    this.live.add(cgroup);
    const { command, readOnly } = this.runtimeCommand(config, launch);
    const inside = (value: string) =>
      value === config.Code || value.startsWith(`${config.Code}/`)
        ? TASK_ROOT + value.slice(config.Code.length)
        : value;
    const bwrap = bwrapArgs({
      code: config.Code,
      socketDir,
      readOnly,
      uid,
      command: [
        process.execPath,
        RELAY,
        `${SOCKET_DIR_INSIDE}/${SOCKET_NAME}`,
        String(RUNTIME_API_PORT),
        ...command.map(inside),
      ],
    });
    let disposed = false;
    return {
      socketPath: join(socketDir, SOCKET_NAME),
      runtimeApi: `127.0.0.1:${RUNTIME_API_PORT}`,
      // The launcher joins the cgroup before anything else starts, so nothing escapes it.
      command: '/bin/sh',
      args: [
        '-c',
        'for f in $SALLYPORT_CGROUP_PROCS; do echo $$ > "$f" || exit 125; done; unset SALLYPORT_CGROUP_PROCS; exec bwrap "$@"',
        'sallyport-sandbox',
        ...bwrap,
      ],
      environment: (env) => {
        const out: Record<string, string> = {};
        for (const [key, value] of Object.entries(env)) out[key] = inside(value);
        out.PATH = LAMBDA_PATH;
        out.SALLYPORT_CGROUP_PROCS = cgroup.procsFiles.join(' ');
        return out;
      },
      killAll: () => cgroup.killAll(),
      dispose: () => {
        if (disposed) return;
        disposed = true;
        cgroup.killAll();
        rmSync(socketDir, { recursive: true, force: true });
        this.uids.delete(uid);
        this.live.delete(cgroup);
        this.ended.add(cgroup);
        this.sweep();
      },
      peakMemoryMB: () => cgroup.peakMemoryMB(),
      signalOf: (code) => signalFromStatus(code),
    };
  }

  /** Ends every environment still running and removes what the host created. */
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
    this.cgroups.close();
    rmSync(this.runDir, { recursive: true, force: true });
  }

  /** The kernel reaps a killed tree shortly after its kill; a group can only go once empty. */
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

  private allocateUid(): number {
    for (let tries = 0; tries < UID_BLOCK; tries++) {
      const uid = this.uidBase + (this.nextUid++ % UID_BLOCK);
      if (this.uids.has(uid)) continue;
      this.uids.add(uid);
      return uid;
    }
    throw new SandboxUnavailableError('every sandbox uid is in use');
  }

  /** The runtime's command with its interpreter, and the host files it needs bound read-only. */
  private runtimeCommand(
    config: FunctionConfig,
    launch: Launch,
  ): { command: string[]; readOnly: string[] } {
    const readOnly = [PACKAGE_JSON, FUNCTIONS_DIR, ...outsideUsr([dirname(process.execPath)])];
    if (config.Runtime.startsWith('python')) {
      const python = this.python(launch.command);
      // launch.args: -s -u <runtimes/python/bootstrap.py>
      const bootstrapDir = dirname(launch.args[launch.args.length - 1]!);
      readOnly.push(bootstrapDir, ...outsideUsr(python.prefixes));
      return { command: [python.executable, ...launch.args], readOnly };
    }
    return { command: [launch.command, ...launch.args], readOnly };
  }

  /** The interpreter behind `python3` (pyenv shims and venvs are scripts or links elsewhere). */
  private python(command: string): { executable: string; prefixes: string[] } {
    const known = this.pythons.get(command);
    if (known) return known;
    const answer = spawnSync(
      command,
      ['-c', 'import sys; print(sys.executable); print(sys.base_prefix); print(sys.prefix)'],
      { encoding: 'utf8' },
    );
    const [executable, ...prefixes] = answer.stdout?.trim().split('\n') ?? [];
    if (answer.status !== 0 || !executable) {
      throw new SandboxUnavailableError(`cannot find where ${command} is installed`);
    }
    const python = { executable, prefixes: [...new Set(prefixes)] };
    this.pythons.set(command, python);
    return python;
  }
}

function outsideUsr(paths: string[]): string[] {
  return paths.filter((path) => path !== '/usr' && !path.startsWith('/usr/'));
}

function signalFromStatus(code: number | null): NodeJS.Signals | undefined {
  if (code === null || code <= 128) return undefined;
  const entry = Object.entries(constants.signals).find(([, number]) => number === code - 128);
  return entry?.[0] as NodeJS.Signals | undefined;
}
