// What the Lambda operations need, injected.
import type { Invoker } from '../../functions/invoker.js';
import type { Settings } from '../../model/types.js';
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';

export interface LambdaDeps {
  store: Store;
  /** Runs Invoke; the serving node reloads it from the store on `function` change events. */
  invoker: Invoker;
  settings: Settings;
  /** Function code is unpacked under `<dataDir>/functions/<name>/<sha256 hex>/`. */
  dataDir: string;
  logger: Logger;
  /** Epoch milliseconds. */
  now: () => number;
}
