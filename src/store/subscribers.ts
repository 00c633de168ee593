// The subscriber set both SQL stores share. A listener that throws must not undo a committed
// transaction nor starve the other listeners, so its error becomes a process warning.
import type { ChangeEvent } from './store.js';

export class Subscribers {
  #listeners = new Set<(event: ChangeEvent) => void>();

  get size(): number {
    return this.#listeners.size;
  }

  add(listener: (event: ChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  deliver(events: Iterable<ChangeEvent>): void {
    for (const event of events) {
      for (const listener of [...this.#listeners]) {
        try {
          listener({ kind: event.kind, scope: event.scope, id: event.id });
        } catch (error) {
          process.emitWarning(`store change listener failed: ${String(error)}`);
        }
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}

/** Guards a transaction handle so it cannot be used once its transaction has ended. */
export class TxState {
  #done = false;
  end(): void {
    this.#done = true;
  }
  check(): void {
    if (this.#done) throw new Error('store transaction already ended; do not keep the tx handle');
  }
}
