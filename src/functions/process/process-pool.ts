// One function's warm execution environments as child processes: one invocation at a time each,
// at most `maxConcurrency` of them, a bounded queue beyond that (then Lambda's 429
// TooManyRequestsException), reuse while warm, and idle ones reaped. A timeout, an exit or an
// init error ends an environment; the next invocation starts a fresh one.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { lambdaFunctionArn } from '../../model/arn.js';
import type { FunctionConfig, Settings } from '../../model/types.js';
import type { Logger } from '../../observability/logger.js';
import { InvocationLog } from '../invocation-log.js';
import { proxyEventOf } from '../lambda-proxy-event.js';
import { idleSweepMs, type Pool } from '../pool.js';
import {
  parseEventJson,
  TooManyRequestsError,
  type EventPayload,
  type InvokeResult,
} from '../invoker.js';
import { functionEnvironment } from '../lambda-environment.js';
import type { CgroupLauncher } from '../sandbox/cgroup-launcher.js';
import type { SandboxHost } from '../sandbox/sandbox-host.js';
import { ExecutionEnvironment, type EnvironmentOptions } from './execution-environment.js';
import type { Launch } from './runtime-launchers.js';

export interface ProcessPoolLimits {
  /** Most environments (concurrent invocations) of the function. */
  maxConcurrency: number;
  /** Most invocations waiting for an environment; one more is refused with TooManyRequests. */
  maxQueue: number;
  /** An environment unused this long is stopped. */
  idleTimeoutMs: number;
  /** SIGTERM → SIGKILL grace when an environment is stopped. */
  killGraceMs?: number;
}

export interface ProcessPoolOptions extends ProcessPoolLimits {
  config: FunctionConfig;
  settings: Settings;
  logger: Logger;
  launch: Launch;
  /** Isolation `sandbox`: each environment gets its own sandbox from this host. */
  sandbox?: SandboxHost | undefined;
  /** Isolation `process` where cgroups can be made: each environment in a group of its own. */
  cgroups?: CgroupLauncher | undefined;
}

type Waiter = (environment: ExecutionEnvironment) => void;

export class ProcessPool implements Pool {
  readonly config: FunctionConfig;
  private readonly options: ProcessPoolOptions;
  private readonly logger: Logger;
  private readonly env: Record<string, string>;
  private readonly invokedFunctionArn: string;
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly busy = new Set<ExecutionEnvironment>();
  private readonly waiters: Waiter[] = [];
  private readonly reaper: NodeJS.Timeout;
  private closed = false;
  private drained: (() => void) | undefined;

  constructor(options: ProcessPoolOptions) {
    this.options = options;
    this.config = options.config;
    this.logger = options.logger.child({ functionName: options.config.FunctionName });
    this.env = functionEnvironment(options.config, options.settings);
    this.invokedFunctionArn = lambdaFunctionArn(options.settings, options.config.FunctionName);
    this.reaper = setInterval(() => this.reap(), idleSweepMs(options.idleTimeoutMs)).unref();
  }

  /** Environments alive right now (idle + busy). */
  get size(): number {
    return this.idle.length + this.busy.size;
  }

  async invoke(
    requestId: string = randomUUID(),
    payload: EventPayload,
    traceId?: string,
  ): Promise<InvokeResult> {
    const eventJson = eventText(payload);
    // A runtime process takes the text as it is: it is checked here, before anything starts.
    if (payload.eventJson !== undefined) parseEventJson(payload.eventJson);
    const environment = await this.acquire();
    try {
      const log = new InvocationLog(this.logger, requestId, this.config.FunctionName);
      return await environment.invoke(requestId, eventJson, log, traceId);
    } finally {
      this.release(environment);
    }
  }

  /** Stops taking work, lets in-flight invocations finish, then stops every environment. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    for (const environment of this.idle.splice(0)) environment.kill();
    if (this.busy.size > 0) await new Promise<void>((resolve) => (this.drained = resolve));
  }

  /** Stops every environment now, in-flight or not. */
  destroy(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    for (const environment of [...this.idle.splice(0), ...this.busy]) environment.kill();
    return Promise.resolve();
  }

  private acquire(): Promise<ExecutionEnvironment> {
    if (this.closed) return Promise.reject(new Error('function pool closed'));
    let environment = this.idle.pop();
    while (environment && !environment.alive) {
      environment.kill();
      environment = this.idle.pop();
    }
    if (!environment && this.size < this.options.maxConcurrency) environment = this.spawn();
    if (environment) {
      this.busy.add(environment);
      return Promise.resolve(environment);
    }
    if (this.waiters.length >= this.options.maxQueue) {
      return Promise.reject(new TooManyRequestsError(this.config.FunctionName));
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(environment: ExecutionEnvironment): void {
    this.busy.delete(environment);
    if (!environment.alive) environment.kill();
    const waiter = this.closed ? undefined : this.waiters.shift();
    if (waiter) {
      const next = environment.alive ? environment : this.spawn();
      this.busy.add(next);
      waiter(next);
    } else if (environment.alive && !this.closed) {
      this.idle.push(environment);
    } else if (environment.alive) {
      environment.kill();
    }
    if (this.closed && this.busy.size === 0) this.drained?.();
  }

  private spawn(): ExecutionEnvironment {
    const options: EnvironmentOptions = {
      config: this.config,
      launch: this.options.launch,
      env: this.env,
      invokedFunctionArn: this.invokedFunctionArn,
      logger: this.logger,
    };
    if (this.options.killGraceMs !== undefined) options.killGraceMs = this.options.killGraceMs;
    const { sandbox, cgroups, launch } = this.options;
    if (sandbox) options.confinement = sandbox.create(this.config, launch);
    else if (cgroups) options.confinement = cgroups.confineProcess(launch.command, launch.args);
    return new ExecutionEnvironment(options);
  }

  private reap(): void {
    const cutoff = performance.now() - this.options.idleTimeoutMs;
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const environment = this.idle[i]!;
      if (environment.alive && environment.lastUsed > cutoff) continue;
      this.idle.splice(i, 1);
      environment.kill();
    }
  }
}

/** The event as the Runtime API hands it to the runtime: JSON text (`null` for no event). */
function eventText(payload: EventPayload): string {
  if (payload.eventJson !== undefined) return payload.eventJson;
  if (payload.proxyEvent !== undefined) return JSON.stringify(proxyEventOf(payload.proxyEvent));
  return JSON.stringify(payload.event === undefined ? null : payload.event);
}
