// `npx sallyport serve` and `npm start` run us as npm → sh -c → node. npm forwards SIGTERM to the
// shell, which dies without passing it on, and a SIGKILLed npm forwards nothing: either way the
// server lived on as an orphan holding its ports. So when npm started us, we watch the chain of
// processes up to npm and stop when any of them is gone (or we were re-parented). Linux reads the
// chain from /proc; elsewhere only a change of parent is seen. Not done outside npm: a server
// started with `nohup … &` or by a supervisor is meant to outlive its parent.
import { readFileSync } from 'node:fs';

const POLL_MS = 500;
// npm sets this for every script and for npx (`npx` / `start` / …).
const UNDER_NPM = 'npm_lifecycle_event';

interface Ancestor {
  pid: number;
  /** /proc's start time, so a pid reused by another process does not pass for ours. */
  started: string;
}

/** Calls `onGone` once if a process between us and npm (npm included) exits; returns a stop. */
export function exitWithParent(onGone: (why: string) => void): () => void {
  if (process.env[UNDER_NPM] === undefined) return () => undefined;
  const parent = process.ppid;
  const chain = ancestorsUpToNpm(parent);
  const timer = setInterval(() => {
    const gone =
      process.ppid !== parent ? { pid: parent } : chain.find((a) => startOf(a.pid) !== a.started);
    if (!gone) return;
    clearInterval(timer);
    onGone(`the process that started this one (pid ${gone.pid}, under npm) exited`);
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Our parent, its parent …, up to the first npm process (or the top); empty without /proc. */
function ancestorsUpToNpm(parent: number): Ancestor[] {
  const chain: Ancestor[] = [];
  for (let pid = parent; pid > 1 && chain.length < 8;) {
    const stat = readStat(pid);
    if (!stat) break;
    chain.push({ pid, started: stat.started });
    if (/(^|[/ ])np[mx](-cli\.js)?( |$)/.test(commandLine(pid))) break;
    pid = stat.ppid;
  }
  return chain;
}

function startOf(pid: number): string | undefined {
  return readStat(pid)?.started;
}

/** /proc/PID/stat: fields after the `(comm)`: state ppid … starttime (field 22). */
function readStat(pid: number): { ppid: number; started: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie has exited already
    return { ppid: Number(fields[1]), started: fields[19]! };
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
