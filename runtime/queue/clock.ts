// Time as the queue and the station see it. Injected so that retries, intervals and an hour offline can be tested
// in milliseconds: tests drive a ManualClock, production uses systemClock.

export interface TimerHandle {
  readonly __timer: true;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    // Node fires a timer of more than 2^31-1 ms at once (with a warning). Capped, the callback runs early and the
    // caller, which compares against now() anyway (the queue's notBefore), waits again for the rest.
    const t = setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    // A pending retry must not keep a process alive that has nothing else to do.
    t.unref?.();
    // TimerHandle is opaque to the callers; this clock's handles are Node's timers, given back to clearTimeout.
    return t as unknown as TimerHandle;
  },
  // See setTimeout: the opaque handle is Node's timer.
  clearTimeout: (h) => clearTimeout(h as unknown as NodeJS.Timeout),
};

interface ManualTimer extends TimerHandle {
  at: number;
  order: number;
  fn: () => void;
}

/**
 * A clock that moves only when told to. `advance(ms)` fires due timers in time order, letting promise callbacks
 * run between them, so asynchronous code behaves as it would with real time passing.
 */
export class ManualClock implements Clock {
  #now: number;
  #timers = new Set<ManualTimer>();
  #order = 0;

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = { __timer: true as const, at: this.#now + Math.max(0, ms), order: this.#order++, fn };
    this.#timers.add(t);
    return t;
  }

  clearTimeout(handle: TimerHandle): void {
    // A handle of this clock is one of its ManualTimers.
    this.#timers.delete(handle as ManualTimer);
  }

  /** Number of timers not yet fired. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (and those they schedule). */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    await settle();
    for (;;) {
      const next = [...this.#timers].filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.#timers.delete(next);
      this.#now = next.at;
      next.fn();
      await settle();
    }
    this.#now = until;
    await settle();
  }
}

/** Lets pending promise callbacks (and what they chain) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
