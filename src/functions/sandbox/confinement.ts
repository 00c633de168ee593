// What confines one execution environment's processes, as the environment sees it: a whole
// sandbox (isolation `sandbox`), or, at isolation `process` when this machine lets sallyport
// create cgroups, a cgroup that lets a timeout end every process the runtime started.

export interface Confinement {
  /** Where the Runtime API listens instead of a loopback port (a sandbox's Unix socket). */
  socketPath?: string;
  /** The value of AWS_LAMBDA_RUNTIME_API the runtime gets, when not the server's own address. */
  runtimeApi?: string;
  /** What to spawn instead of the runtime: a launcher that confines, then runs, it. */
  command: string;
  args: string[];
  /** The runtime's environment as the launcher needs it (host paths mapped, cgroup named). */
  environment(env: Record<string, string>): Record<string, string>;
  /** Ends every process of the environment, detached grandchildren included. */
  killAll(): void;
  /** Once the environment ended: everything it held is released. */
  dispose(): void;
  /** Peak memory of every process of the environment, MB. */
  peakMemoryMB(): number | undefined;
  /** The signal that ended the runtime, when the launcher reports it as exit status 128+N. */
  signalOf(exitCode: number | null): NodeJS.Signals | undefined;
}
