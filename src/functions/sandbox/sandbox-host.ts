// The `sandbox` isolation level: what this machine must offer (checked once, at start-up, with a
// clear refusal naming what is missing — never a silent downgrade), and one confinement per
// execution environment: its own uid, cgroup, Runtime API socket and bubblewrap command line.
// docs/security.md, "Isolation levels".
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionConfig } from '../../model/types.js';
import type { Launch } from '../process/runtime-launchers.js';
import { bwrapArgs, SOCKET_DIR_INSIDE, TASK_ROOT } from './bwrap-args.js';
import { CgroupLauncher, type ConfinedGroup } from './cgroup-launcher.js';
import { openCgroupTree } from './cgroup.js';
import type { Confinement } from './confinement.js';
import { SandboxFunctionError, SandboxUnavailableError } from './sandbox-errors.js';

const thisFile = fileURLToPath(import.meta.url);
/** dist/functions: the Node.js bootstrap and the relay, bound read-only into every sandbox. */
const FUNCTIONS_DIR = resolve(dirname(thisFile), '..');
/** The package's package.json, so Node.js loads dist/functions as ES modules inside. */
const PACKAGE_JSON = resolve(FUNCTIONS_DIR, '../../package.json');
const RELAY = join(FUNCTIONS_DIR, 'sandbox/runtime-api-relay.js');
/**
 * Modules outside dist/functions that the bootstrap and the relay import (the error base):
 * bound one by one, never dist/ as a whole. test/functions/sandbox/bound-modules.test.ts keeps
 * this list equal to their import closure.
 */
export const SANDBOX_DIST_DIR = resolve(FUNCTIONS_DIR, '..');
export const SANDBOX_SHARED_MODULES = [join(SANDBOX_DIST_DIR, 'errors.js')];
/** Lambda's own address for the Runtime API, on the sandbox's private loopback. */
const RUNTIME_API_PORT = 9001;
const SOCKET_NAME = 'runtime-api.sock';
/** Lambda's PATH. https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html */
const LAMBDA_PATH = '/usr/local/bin:/usr/bin/:/bin:/opt/bin';
/** uids handed to environments: a block of 65,536 picked at random per gateway, below 2^31. */
const UID_BLOCK = 65_536;

export class SandboxHost {
  private readonly cgroups: CgroupLauncher;
  private readonly runDir: string;
  private readonly uidBase = 1_000_000 + randomInt(0, 30_000) * UID_BLOCK;
  private readonly uids = new Set<number>();
  private nextUid = 0;
  private readonly pythons = new Map<string, { executable: string; prefixes: string[] }>();

  private constructor(cgroups: CgroupLauncher) {
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
      throw new SandboxUnavailableError(
        'it runs from the built package (npm run build), not from sources',
      );
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
      [
        '--ro-bind',
        '/',
        '/',
        '--unshare-pid',
        '--unshare-net',
        '--unshare-ipc',
        '--die-with-parent',
        'true',
      ],
      { encoding: 'utf8' },
    );
    if (probe.status !== 0) {
      throw new SandboxUnavailableError(
        `the kernel refused new pid, network, IPC or mount namespaces: ${probe.stderr.trim()}`,
      );
    }
    return new SandboxHost(new CgroupLauncher(openCgroupTree(`sallyport-${process.pid}`)));
  }

  /** Fails at load time, not at the first request: what a function's sandbox would lack. */
  check(config: FunctionConfig, launch: Launch): void {
    // "Lambda requires global read permissions on code files" — the sandbox's uid is not the owner.
    // https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-deployment.html
    if ((statSync(config.Code).mode & 0o005) !== 0o005) {
      throw new SandboxFunctionError(
        `function ${config.FunctionName}: its code folder ${config.Code} must be readable by everyone (chmod -R a+rX), as Lambda requires`,
      );
    }
    if (config.Runtime.startsWith('python')) this.python(launch.command);
  }

  create(config: FunctionConfig, launch: Launch): Confinement {
    const uid = this.allocateUid();
    const socketDir = mkdtempSync(join(this.runDir, 'env-'));
    let confined: ConfinedGroup;
    try {
      // Only the environment's uid (and root) may reach its Runtime API.
      chownSync(socketDir, uid, uid);
      confined = this.cgroups.enter(config.MemorySize);
    } catch (error) {
      this.uids.delete(uid);
      rmSync(socketDir, { recursive: true, force: true });
      throw error;
    }
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
    return {
      socketPath: join(socketDir, SOCKET_NAME),
      runtimeApi: `127.0.0.1:${RUNTIME_API_PORT}`,
      ...confined.launcher(['bwrap', ...bwrap]),
      environment: (env) => {
        const out: Record<string, string> = {};
        for (const [key, value] of Object.entries(env)) out[key] = inside(value);
        return { ...out, PATH: LAMBDA_PATH, ...confined.variables };
      },
      killAll: () => confined.group.killAll(),
      dispose: () => {
        confined.release();
        rmSync(socketDir, { recursive: true, force: true });
        this.uids.delete(uid);
      },
      peakMemoryMB: () => confined.group.peakMemoryMB(),
      signalOf: (code) => signalFromStatus(code),
    };
  }

  /** Ends every environment still running and removes what the host created. */
  async close(): Promise<void> {
    await this.cgroups.close();
    rmSync(this.runDir, { recursive: true, force: true });
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
    const readOnly = [
      PACKAGE_JSON,
      FUNCTIONS_DIR,
      ...SANDBOX_SHARED_MODULES,
      ...outsideUsr([dirname(process.execPath)]),
    ];
    if (config.Runtime.startsWith('python')) {
      const python = this.python(launch.command);
      // launch.args: -s -u <runtimes/python/bootstrap.py>
      const bootstrapDir = dirname(launch.args[launch.args.length - 1]!);
      readOnly.push(bootstrapDir, ...outsideUsr(python.prefixes));
      return { command: [python.executable, ...launch.args], readOnly };
    }
    // A Node.js other than the gateway's own (runtimes/runtime-resolver.ts) lives elsewhere.
    if (config.Runtime.startsWith('nodejs') && launch.command !== process.execPath)
      readOnly.push(...outsideUsr([dirname(launch.command)]));
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
