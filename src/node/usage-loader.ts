// Keeps the gateway's usage catalog (API keys and usage plans) in step with the store: rebuilt
// whole when a key, a plan or a plan's keys change, on this node or (through the store's
// notifications) on any other. Reads only.
import { UsageCatalog } from '../gateway/limits/usage-catalog.js';
import type { Gateway } from '../gateway/gateway.js';
import type { ApiKey, UsagePlan, UsagePlanKeyLink } from '../model/usage-plans.js';
import type { Logger } from '../observability/logger.js';
import type { ChangeEvent, Store } from '../store/store.js';

const KINDS: ReadonlySet<string> = new Set(['apikey', 'usageplan', 'usageplankey']);

export class UsageLoader {
  readonly #store: Store;
  readonly #gateway: Gateway;
  readonly #logger: Logger;
  #queue: Promise<void> = Promise.resolve();

  constructor(store: Store, gateway: Gateway, logger: Logger) {
    this.#store = store;
    this.#gateway = gateway;
    this.#logger = logger;
  }

  async load(): Promise<void> {
    const keys = await this.#store.list<ApiKey>('apikey', '');
    const plans = await this.#store.list<UsagePlan>('usageplan', '');
    const withKeys = [];
    for (const plan of plans) {
      const links = await this.#store.list<UsagePlanKeyLink>('usageplankey', plan.id);
      withKeys.push({ plan, keyIds: links.map((link) => link.id) });
    }
    this.#gateway.usageCatalog = new UsageCatalog(keys, withKeys);
  }

  /** Reloads after a change to keys or plans; other changes are not its business. */
  onChange(event: ChangeEvent): Promise<void> {
    if (!KINDS.has(event.kind)) return this.#queue;
    this.#queue = this.#queue
      .then(() => this.load())
      .catch((error: unknown) =>
        this.#logger.error({ err: error }, 'could not reload API keys and usage plans'),
      );
    return this.#queue;
  }
}
