// Keeps the data plane in step with the store: every deployed stage compiled and served, a stage
// recompiled when it (or what it points at) changes, on this node or — through the store's
// notifications — on any other node sharing the store. Reads only; never writes the store.
// It lives with the node's wiring, not in gateway/: the data plane never reads the store, it is
// handed deployment snapshots (`Gateway.deploy`) and told which stages to drop.
import { canonicalJson } from '../model/canonical-json.js';
import type { Deployment, RestApi, Stage } from '../model/types.js';
import {
  cachedPolicyWarnings,
  cachedPolicyWarningText,
} from '../observability/cached-policy-warnings.js';
import type { Logger } from '../observability/logger.js';
import type { ChangeEvent, Store } from '../store/store.js';
import type { Gateway } from '../gateway/gateway.js';

export class StageLoader {
  readonly #store: Store;
  readonly #gateway: Gateway;
  readonly #logger: Logger;
  /** Loads for one stage run one after another, so a slow load never overwrites a newer one. */
  #queue: Promise<void> = Promise.resolve();

  readonly #onStage: ((stage: Stage) => void) | undefined;

  /**
   * `onStage`: told every stage as it is read, changed or not — stage settings such as access
   * logging apply without a redeployment, as on AWS.
   */
  constructor(store: Store, gateway: Gateway, logger: Logger, onStage?: (stage: Stage) => void) {
    this.#store = store;
    this.#gateway = gateway;
    this.#logger = logger;
    this.#onStage = onStage;
  }

  /**
   * Loads every stage of every API; stages no longer in the store stop being served.
   * `recompile`: also compile again the stages whose deployment is already served, because
   * something compiling reads besides the deployment changed (functions: a Timeout decides
   * whether the integration timeout is armed).
   */
  async syncAll(recompile = false): Promise<void> {
    const apis = await this.#store.list<RestApi>('restapi', '');
    const wanted = new Set<string>();
    for (const api of apis) {
      for (const stage of await this.#store.list<Stage>('stage', api.id)) {
        wanted.add(`${api.id}/${stage.stageName}`);
        await this.#load(api.id, stage.stageName, recompile);
      }
    }
    for (const served of this.#gateway.stages.all()) {
      if (!wanted.has(`${served.apiId}/${served.stageName}`)) {
        this.#gateway.stages.remove(served.apiId, served.stageName);
      }
    }
  }

  /** Reacts to one committed change. */
  onChange(event: ChangeEvent): Promise<void> {
    const next = this.#queue.then(() => this.#apply(event));
    this.#queue = next.catch((error: unknown) => {
      this.#logger.error({ err: error, event }, 'could not apply a configuration change');
    });
    return this.#queue;
  }

  async #apply(event: ChangeEvent): Promise<void> {
    switch (event.kind) {
      case 'stage':
        return this.#load(event.scope, event.id);
      case 'restapi':
        if (!(await this.#store.get('restapi', '', event.id)))
          this.#gateway.stages.remove(event.id);
        return;
      case 'function':
        // A function created, changed or deleted may make a stage servable again, and a changed
        // Timeout changes what a served stage compiles to: compile every stage again.
        return this.syncAll(true);
      case 'authorizercache':
        await this.#gateway.flushAuthorizerCache(event.scope, event.id, false);
        this.#logger.info({ apiId: event.scope, stageName: event.id }, 'authorizer cache flushed');
        return;
      default:
        return;
    }
  }

  async #load(apiId: string, stageName: string, recompile = false): Promise<void> {
    const stage = await this.#store.get<Stage>('stage', apiId, stageName);
    if (!stage) {
      this.#gateway.stages.remove(apiId, stageName);
      return;
    }
    this.#onStage?.(stage);
    const served = this.#gateway.stages.get(apiId, stageName);
    const deployment = await this.#store.get<Deployment>('deployment', apiId, stage.deploymentId);
    if (!deployment) {
      this.#logger.error(
        { apiId, stageName, deploymentId: stage.deploymentId },
        'stage points at a missing deployment',
      );
      return;
    }
    const same =
      served !== undefined &&
      served.deploymentId === stage.deploymentId &&
      sameVariables(served.variables, stage.variables) &&
      canonicalJson(served.methodSettings) === canonicalJson(stage.methodSettings ?? {});
    if (same && !recompile) return;
    try {
      const compiled = this.#gateway.deploy(
        deployment.snapshot,
        {
          stageName,
          deploymentId: stage.deploymentId,
          variables: stage.variables,
          ...(stage.methodSettings ? { methodSettings: stage.methodSettings } : {}),
        },
        same,
      );
      this.#logger.info({ apiId, stageName, deploymentId: stage.deploymentId }, 'stage deployed');
      // Warned once per deployment, not again when a function change recompiles it.
      if (!same)
        for (const warning of cachedPolicyWarnings(compiled))
          this.#logger.warn({ apiId, stageName, ...warning }, cachedPolicyWarningText(warning));
    } catch (error) {
      this.#logger.error(
        { apiId, stageName, err: error },
        'stage could not be compiled; still serving the previous deployment',
      );
    }
  }
}

function sameVariables(a: Record<string, string>, b: Record<string, string>): boolean {
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  return ak.every((k) => a[k] === b[k]);
}
