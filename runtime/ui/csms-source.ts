// The web view of `ocppkit csms`: the stations as the CSMS sees them (csms-view.ts), their frames (from the CSMS's
// trace), and CSMS-initiated CALLs typed in the page in the syntax of the csms prompt (csms-prompt.ts), checked
// against the station's version the same way and logged on the terminal the same way.
import { checkCall, parsePromptLine, PromptError } from '../cli/csms-prompt.js';
import { messageLine, type Log } from '../cli/output.js';
import type { SimpleCsms } from '../csms/simple-csms.js';
import { messageOf } from '../error-text.js';
import { redactSecrets } from '../rpc/redact.js';
import type { TraceSink } from '../rpc/trace.js';
import { CsmsStationView } from './csms-view.js';
import { MAX_STATIONS, MessageFeed, PAYLOAD_CHARS } from './message-feed.js';
import type { UiCommandResult, UiEvent, UiMessage, UiSource, UiSourceInfo, UiStation } from './types.js';

/**
 * What `ocppkit csms --ui` builds before the CSMS: the trace sink to give it (next to a --trace file), and
 * `source(csms)` once it exists.
 */
export function csmsWebView(log: Log): { trace: TraceSink; source(csms: SimpleCsms): CsmsSource } {
  const feed = new MessageFeed('csms');
  return { trace: feed.sink, source: (csms) => new CsmsSource(csms, feed, log) };
}

/** Stands for the station in the prompt syntax: the page names the station by its URL, not in the line. */
const PLACEHOLDER = '_';

export class CsmsSource implements UiSource {
  readonly #csms: SimpleCsms;
  readonly #feed: MessageFeed;
  readonly #log: Log;
  /** Stations connected now, and those that were (shown as disconnected), oldest first; at most MAX_STATIONS. */
  readonly #views = new Map<string, CsmsStationView>();
  readonly #listeners = new Set<(event: UiEvent) => void>();

  constructor(csms: SimpleCsms, feed: MessageFeed, log: Log) {
    this.#csms = csms;
    this.#feed = feed;
    this.#log = log;
    for (const { identity, version } of csms.stations()) this.#connected(identity, version);
    csms.on('station', ({ identity, version }) => this.#connected(identity, version));
    csms.on('disconnect', ({ identity }) => {
      const view = this.#views.get(identity);
      if (!view) return;
      view.connected = false;
      this.#emit({ type: 'station', station: view.view() });
    });
    csms.on('message', (m) => {
      const view = this.#views.get(m.identity);
      if (view?.apply(m)) this.#emit({ type: 'station', station: view.view() });
    });
    feed.onMessage((identity, message) => {
      if (this.#views.has(identity)) this.#emit({ type: 'message', identity, message });
    });
  }

  info(): UiSourceInfo {
    return { kind: 'csms', capabilities: ['csmsCall'] };
  }

  stations(): UiStation[] {
    return [...this.#views.values()].map((v) => v.view());
  }

  station(identity: string): UiStation | undefined {
    return this.#views.get(identity)?.view();
  }

  messages(identity: string): UiMessage[] | undefined {
    if (!this.#views.has(identity)) return undefined;
    return this.#feed.history(identity) ?? [];
  }

  subscribe(listener: (event: UiEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async execute(identity: string, line: string): Promise<UiCommandResult | undefined> {
    if (!this.#views.has(identity)) return undefined;
    if (line.trim() === '')
      return { ok: false, reason: 'bad', error: 'type <Action> <json payload>, e.g. Reset {"type":"Immediate"}' };
    let parsed;
    try {
      parsed = parsePromptLine(`${PLACEHOLDER} ${line}`);
    } catch (e) {
      if (e instanceof PromptError) return { ok: false, reason: 'bad', error: e.message };
      throw e;
    }
    // A line with an action always parses as a call (shortcuts included): the placeholder is the station.
    if (parsed?.op !== 'call') return { ok: false, reason: 'bad', error: 'type <Action> <json payload>' };
    const { action, payload } = parsed;
    const problem = checkCall(this.#csms, identity, action, payload);
    if (problem) return { ok: false, reason: 'bad', error: `${problem} — nothing was sent` };
    this.#log.info(`${identity} ${messageLine('toStation', action, 'request', redactSecrets(payload))}`);
    try {
      const answer = JSON.stringify(redactSecrets(await this.#csms.call(identity, action, payload)));
      const output = answer.length > PAYLOAD_CHARS ? `${answer.slice(0, PAYLOAD_CHARS - 1)}…` : answer;
      return { ok: true, output: `${action}Response ${output}`, warnings: [] };
    } catch (e) {
      return { ok: false, reason: 'failed', error: `${action}: ${messageOf(e)}` };
    }
  }

  #connected(identity: string, version: string): void {
    let view = this.#views.get(identity);
    if (view) this.#views.delete(identity);
    else {
      view = new CsmsStationView(identity);
      if (this.#views.size >= MAX_STATIONS) this.#forgetOne();
    }
    // Most recently connected last.
    this.#views.set(identity, view);
    view.version = version;
    view.connected = true;
    this.#emit({ type: 'station', station: view.view() });
  }

  /** Forgets the station that disconnected longest ago (connected ones stay). */
  #forgetOne(): void {
    for (const [identity, view] of this.#views)
      if (!view.connected) {
        this.#views.delete(identity);
        this.#emit({ type: 'removed', identity });
        return;
      }
  }

  #emit(event: UiEvent): void {
    for (const l of this.#listeners) l(event);
  }
}
