// The bubblewrap command line of one sandboxed execution environment: new pid, network, IPC, UTS
// and mount namespaces; a root file system holding only the system's read-only /usr, the
// function's code read-only at /var/task (as on Lambda), the runtime's own files read-only, a
// private size-capped /tmp, its own /proc and a minimal /dev; then setpriv drops to the
// environment's own uid with no capabilities before anything of the function runs.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html (/tmp: 512 MB)
import { existsSync, lstatSync } from 'node:fs';
import { dirname } from 'node:path';

export const TASK_ROOT = '/var/task';
/** Where the environment's Runtime API socket is bound inside the sandbox. */
export const SOCKET_DIR_INSIDE = '/run/sallyport';
/** Lambda's default ephemeral storage. */
const TMP_BYTES = 512 * 1024 * 1024;
/** Top-level system folders, bound read-only (or kept as the symlinks a merged /usr has). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** The few /etc files a dynamic linker and libc read; never the rest of /etc (shadow, keys). */
const ETC_FILES = ['/etc/ld.so.cache', '/etc/alternatives', '/etc/localtime', '/etc/nsswitch.conf'];

export interface SandboxLayout {
  code: string;
  /** Host folder holding the Runtime API socket, bound at SOCKET_DIR_INSIDE. */
  socketDir: string;
  /** Host paths the runtime needs, bound read-only at the same path (files or folders). */
  readOnly: string[];
  uid: number;
  /** The command run as `uid` inside: relay, then runtime. */
  command: string[];
}

export function bwrapArgs(layout: SandboxLayout): string[] {
  const args = [
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--die-with-parent',
    // A new session: the function cannot inject input into a terminal (TIOCSTI).
    '--new-session',
    '--hostname',
    'localhost',
  ];
  for (const dir of SYSTEM_DIRS) args.push(...systemEntry(dir));
  for (const file of ETC_FILES)
    if (existsSync(file)) args.push(...parents(file), '--ro-bind', file, file);
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--size', String(TMP_BYTES), '--perms', '1777', '--tmpfs', '/tmp');
  args.push(...parents(TASK_ROOT), '--ro-bind', layout.code, TASK_ROOT);
  args.push(...parents(SOCKET_DIR_INSIDE), '--ro-bind', layout.socketDir, SOCKET_DIR_INSIDE);
  for (const path of layout.readOnly) args.push(...parents(path), '--ro-bind', path, path);
  args.push('--chdir', TASK_ROOT, '--');
  args.push(
    'setpriv',
    `--reuid=${layout.uid}`,
    `--regid=${layout.uid}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
    ...layout.command,
  );
  return args;
}

function systemEntry(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const stat = lstatSync(dir);
  // Debian's merged /usr: /bin → usr/bin. Keep the link, the target is bound already.
  if (stat.isSymbolicLink()) return ['--symlink', `usr${dir}`, dir];
  return ['--ro-bind', dir, dir];
}

/**
 * `--dir` for each missing ancestor, world-traversable: bubblewrap creates them 0700 otherwise,
 * and the function does not run as root. Duplicates are harmless (bwrap accepts an existing dir).
 */
function parents(path: string): string[] {
  const out: string[] = [];
  const chain: string[] = [];
  for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) chain.unshift(dir);
  for (const dir of chain) {
    if (SYSTEM_DIRS.some((system) => dir === system || dir.startsWith(`${system}/`))) continue;
    out.push('--perms', '0755', '--dir', dir);
  }
  return out;
}
