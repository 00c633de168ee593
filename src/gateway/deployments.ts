// The stages the data plane serves. A redeploy replaces one entry; requests already running keep
// the CompiledStage they started with, so nothing is served half-old half-new.
import type { CompiledStage } from './compiled-api.js';

export class DeployedStages {
  readonly #apis = new Map<string, Map<string, CompiledStage>>();
  /** The API served at `http://host/{stage}/…` when several are deployed. */
  defaultApiId: string | undefined;

  deploy(stage: CompiledStage): void {
    let stages = this.#apis.get(stage.apiId);
    if (!stages) this.#apis.set(stage.apiId, (stages = new Map<string, CompiledStage>()));
    stages.set(stage.stageName, stage);
  }

  remove(apiId: string, stageName?: string): void {
    if (stageName === undefined) this.#apis.delete(apiId);
    else this.#apis.get(apiId)?.delete(stageName);
  }

  get(apiId: string, stageName: string): CompiledStage | undefined {
    return this.#apis.get(apiId)?.get(stageName);
  }

  /** The API that bare `/{stage}/…` URLs reach: the default, or the only one deployed. */
  soleApiId(): string | undefined {
    if (this.defaultApiId !== undefined) return this.defaultApiId;
    if (this.#apis.size !== 1) return undefined;
    return this.#apis.keys().next().value;
  }

  all(): CompiledStage[] {
    return [...this.#apis.values()].flatMap((stages) => [...stages.values()]);
  }
}
