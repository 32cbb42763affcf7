// The web view of `ocppkit fleet --ui` on the main thread (runtime/ui/README.md): the latest view of every station,
// posted by the worker that runs it (worker-ui.ts), so the list is answered at once; a station's kept messages and
// the page's commands are asked of its worker by message; frames stream only for the stations a page watches.
import type { UiCommandResult, UiEvent, UiMessage, UiSource, UiSourceInfo, UiStation } from '../ui/types.js';
import type { MainMessage, WorkerMessage } from './worker.js';

/** A worker's answer that does not come within this is given up (the worker is busy or gone). */
export const ANSWER_TIMEOUT_MS = 15_000;

/** What the source needs of a worker: a way to post to it. */
export interface UiWorker {
  postMessage(message: MainMessage): void;
}

interface Pending {
  resolve(answer: { messages?: UiMessage[]; result?: UiCommandResult }): void;
  timer: NodeJS.Timeout;
}

export class FleetSource implements UiSource {
  readonly #listeners = new Set<(event: UiEvent) => void>();
  readonly #views = new Map<string, UiStation>();
  /** Which worker runs each station. */
  readonly #owner = new Map<string, number>();
  readonly #workers = new Map<number, UiWorker>();
  /** Pages watching each station (several tabs may watch one). */
  readonly #watching = new Map<string, number>();
  readonly #pending = new Map<number, Pending>();
  #nextReq = 0;
  #stopped = false;

  info(): UiSourceInfo {
    return { kind: 'fleet', capabilities: ['hardware'] };
  }

  /**
   * The worker `index` runs these stations (with `evses` EVSEs each): they are listed at once, not connected, until
   * the worker posts their views.
   */
  attach(index: number, worker: UiWorker, identities: readonly string[], evses: number): void {
    this.#workers.set(index, worker);
    for (const identity of identities) {
      this.#owner.set(identity, index);
      this.#views.set(identity, {
        identity,
        connected: false,
        evses: Array.from({ length: evses }, (_, i) => ({ id: i + 1, connectors: [{ id: 1 }] })),
      });
    }
  }

  /** A worker's post; false when it is not the web view's. */
  receive(m: WorkerMessage): boolean {
    if (m.type === 'views') {
      for (const station of m.stations) {
        if (this.#owner.get(station.identity) !== m.worker) continue;
        this.#views.set(station.identity, station);
        this.#emit({ type: 'station', station });
      }
      return true;
    }
    if (m.type === 'message') {
      this.#emit({ type: 'message', identity: m.identity, message: m.message });
      return true;
    }
    if (m.type === 'answer') {
      const pending = this.#pending.get(m.req);
      if (!pending) return true;
      this.#pending.delete(m.req);
      clearTimeout(pending.timer);
      pending.resolve(m);
      return true;
    }
    return false;
  }

  /** The workers are gone (the run ended): open requests are answered, commands refused; the views stay. */
  stopped(): void {
    this.#stopped = true;
    for (const [req, p] of this.#pending) {
      clearTimeout(p.timer);
      this.#pending.delete(req);
      p.resolve({});
    }
  }

  stations(): UiStation[] {
    return [...this.#views.values()];
  }

  station(identity: string): UiStation | undefined {
    return this.#views.get(identity);
  }

  async messages(identity: string): Promise<UiMessage[] | undefined> {
    if (!this.#views.has(identity)) return undefined;
    if (this.#stopped) return [];
    return (await this.#ask(identity, (req) => ({ type: 'messages', req, identity }))).messages ?? [];
  }

  subscribe(listener: (event: UiEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  watch(identity: string): () => void {
    const count = this.#watching.get(identity) ?? 0;
    this.#watching.set(identity, count + 1);
    if (count === 0) this.#worker(identity)?.postMessage({ type: 'watch', identity });
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      const left = (this.#watching.get(identity) ?? 1) - 1;
      if (left > 0) return void this.#watching.set(identity, left);
      this.#watching.delete(identity);
      if (!this.#stopped) this.#worker(identity)?.postMessage({ type: 'unwatch', identity });
    };
  }

  async execute(identity: string, line: string): Promise<UiCommandResult | undefined> {
    if (!this.#views.has(identity)) return undefined;
    if (this.#stopped) return { ok: false, reason: 'failed', error: 'the fleet has stopped' };
    const { result } = await this.#ask(identity, (req) => ({ type: 'execute', req, identity, line }));
    return result ?? { ok: false, reason: 'failed', error: 'the station did not answer (the fleet is stopping?)' };
  }

  #worker(identity: string): UiWorker | undefined {
    const index = this.#owner.get(identity);
    return index === undefined ? undefined : this.#workers.get(index);
  }

  /** Posts a request to the station's worker; resolves with its answer, or an empty one after ANSWER_TIMEOUT_MS. */
  #ask(
    identity: string,
    request: (req: number) => MainMessage,
  ): Promise<{ messages?: UiMessage[]; result?: UiCommandResult }> {
    const worker = this.#worker(identity);
    if (!worker) return Promise.resolve({});
    const req = ++this.#nextReq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(req);
        resolve({});
      }, ANSWER_TIMEOUT_MS);
      this.#pending.set(req, { resolve, timer });
      worker.postMessage(request(req));
    });
  }

  #emit(event: UiEvent): void {
    for (const l of this.#listeners) l(event);
  }
}
