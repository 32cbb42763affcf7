// The contract between the web view's server (server.ts) and what it shows: a UiSource lists stations, streams
// each station's OCPP messages and executes commands. `ocppkit station` (station-source.ts) and `ocppkit csms`
// (csms-source.ts) implement it in process; everything in it is plain JSON data, so that a source living in
// another thread or process (the fleet's workers) can implement it by message passing (README.md).

/** Where a message travels, in the arrows of the CLI log: `→` to the CSMS, `←` to the station. */
export type UiTravel = 'toCsms' | 'toStation';

/** One OCPP-J frame as the page shows it; secrets are masked before a frame gets here (the RPC layer's trace). */
export interface UiMessage {
  /** Counts up per station from 1: the order frames passed, and what a reconnecting page resumes after. */
  seq: number;
  /** ISO 8601 time the frame was sent or received. */
  time: string;
  travel: UiTravel;
  /** call: CALL (and 2.1 SEND); result: CALLRESULT; error: CALLERROR (and 2.1 CALLRESULTERROR); unreadable: not JSON. */
  kind: 'call' | 'result' | 'error' | 'unreadable';
  /** The frame's MessageId. */
  messageId?: string;
  /** The CALL's action; for an answer, the action of the CALL it answers when that is known. */
  action?: string;
  /** CALL and CALLRESULT: the payload. CALLERROR: `{ errorCode, errorDescription, errorDetails }`. Unreadable: the text. */
  payload: unknown;
}

export interface UiConnector {
  id: number;
  /** The last status reported (StatusNotification), if any. */
  status?: string;
}

export interface UiEvse {
  id: number;
  connectors: UiConnector[];
  /** The transaction running on this EVSE. */
  transactionId?: string;
  /** The last meter reading known: the import register (Wh) and the power (W). */
  energyWh?: number;
  powerW?: number;
  /** What the simulated hardware knows (station source only). */
  cable?: 'plugged' | 'unplugged';
  faulted?: boolean;
}

export interface UiStation {
  identity: string;
  /** The negotiated OCPP version (ocpp1.6, ocpp2.0.1, ocpp2.1), once connected. */
  version?: string;
  connected: boolean;
  /** The answer to the last BootNotification: Accepted, Pending, Rejected. */
  registration?: string;
  evses: UiEvse[];
}

/** What the page can do with the stations of this source: which controls it shows. */
export type UiCapability = 'hardware' | 'csmsCall';

export interface UiSourceInfo {
  /** `station`, `csms` or `fleet`: the page's title. */
  kind: string;
  /** hardware: plug, card, unplug, fault, clear (station commands); csmsCall: `<Action> <json payload>`. */
  capabilities: UiCapability[];
}

/** The answer to a command: ok with an output (the CSMS call's answer, `status` text), or the error in words. */
export type UiCommandResult =
  | { ok: true; output: string; warnings: string[] }
  | {
      ok: false;
      /** bad: the command is wrong (the CLI's error text); failed: it ran and failed (CALLERROR, timeout). */
      reason: 'bad' | 'failed';
      error: string;
    };

export type UiEvent =
  | { type: 'station'; station: UiStation }
  | { type: 'removed'; identity: string }
  | { type: 'message'; identity: string; message: UiMessage };

/** In process a source answers at once; one in another thread (the fleet's workers) answers by message. */
export type Awaitable<T> = T | Promise<T>;

export interface UiSource {
  info(): UiSourceInfo;
  stations(): Awaitable<UiStation[]>;
  /** undefined: no such station (the server answers 404). */
  station(identity: string): Awaitable<UiStation | undefined>;
  /** The station's latest messages, oldest first (bounded), undefined for an unknown station. */
  messages(identity: string): Awaitable<UiMessage[] | undefined>;
  /**
   * Station changes and messages from now on; returns the unsubscribe function. Messages may be limited to the
   * stations being watched (see watch).
   */
  subscribe(listener: (event: UiEvent) => void): () => void;
  /**
   * A page opened the station's message stream (until the returned function is called). Optional: a source that
   * sends every frame anyway ignores it; the fleet forwards the frames of watched stations only.
   */
  watch?(identity: string): () => void;
  /** Runs one command line in the CLI's syntax for this station; undefined: no such station. */
  execute(identity: string, line: string): Promise<UiCommandResult | undefined>;
}
