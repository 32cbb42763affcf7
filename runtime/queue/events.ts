// A small typed event emitter. A listener that throws must not break the queue's bookkeeping (the store write has
// already happened), so its error is caught and handed to `onListenerError` (default: a process warning).

type Listener<T> = (event: T) => void;

export class Emitter<E extends { [K in keyof E]: unknown }> {
  #listeners = new Map<keyof E, Set<Listener<never>>>();
  readonly #onListenerError: (error: unknown, event: keyof E) => void;

  constructor(onListenerError?: (error: unknown, event: keyof E) => void) {
    this.#onListenerError =
      onListenerError ??
      ((error, event) =>
        process.emitWarning(
          `listener of "${String(event)}" threw: ${error instanceof Error ? error.stack : String(error)}`,
          'OcppkitListenerError',
        ));
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof E>(event: K, fn: Listener<E[K]>): () => void {
    if (typeof fn !== 'function') throw new TypeError(`on("${String(event)}", fn): fn must be a function`);
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    // Listeners of different events live in one map; each is called only with its own event's data.
    set.add(fn as Listener<never>);
    return () => set.delete(fn as Listener<never>);
  }

  emit<K extends keyof E>(event: K, data: E[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        // The set under K holds K's listeners only (on() added them there).
        (fn as Listener<E[K]>)(data);
      } catch (e) {
        this.#onListenerError(e, event);
      }
    }
  }
}
