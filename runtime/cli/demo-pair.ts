// The frame every demo runs in (`ocppkit demo`, 2.0.1 and 1.6): the built-in CSMS and one simulated station in this
// process, over a real socket on 127.0.0.1 and a real store file in a temporary folder; the CSMS's log is the
// message sequence the demo prints and the steps wait on. Each demo version only says what its session looks like.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimpleCsms, type LoggedMessage } from '../csms/simple-csms.js';
import { logCsms } from './csms-log.js';
import { streamLog, type Log } from './output.js';
import { StationRun } from './station-run.js';
import { messageOf } from '../error-text.js';

export const IDENTITY = 'DEMO-STATION';
export const ID_TOKEN = 'DEMO-CARD-01';
/** The longest any one step may take before the demo gives up. */
const STEP_TIMEOUT_MS = 10_000;

export interface Step {
  /** What happens, in words (also the error when it does not). */
  what: string;
  match: (m: LoggedMessage) => boolean;
  /** A message that shows the step cannot happen any more: why, in words. */
  fails?: (m: LoggedMessage) => string | undefined;
}

// The demo reads the CSMS's log of messages whose schemas the RPC layer checked; it only reads a few fields.
export const req = (m: LoggedMessage) => (m.request ?? {}) as Record<string, any>;
export const res = (m: LoggedMessage) => (m.response ?? {}) as Record<string, any>;
/** A CALL the station sent and the CSMS answered with a CALLRESULT. */
export const sent =
  (action: string, more: (m: LoggedMessage) => boolean = () => true) =>
  (m: LoggedMessage) =>
    m.direction === 'in' && m.action === action && m.error === undefined && more(m);
export interface DemoPair {
  out: Log;
  run: StationRun;
  session: Session;
}

/**
 * Starts the CSMS and the station (with `variables` set), runs `script`, and always stops both and removes the
 * folder. Exit code 0 when the script completed, 1 with the step that did not happen.
 */
export async function runDemo(
  version: 'ocpp2.0.1' | 'ocpp1.6',
  options: { refuseCard: boolean; variables: Record<string, string> },
  script: (pair: DemoPair) => Promise<void>,
): Promise<number> {
  const out = streamLog();
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-demo-'));
  const csms = new SimpleCsms({ versions: [version], denyTokens: options.refuseCard ? [ID_TOKEN] : [] });
  let run: StationRun | undefined;
  try {
    logCsms(csms, out);
    const url = csms.url(await csms.listen(0, '127.0.0.1'));
    const name = version === 'ocpp1.6' ? 'OCPP 1.6J' : 'OCPP 2.0.1';
    out.info(`demo: CSMS on ${url}; station ${IDENTITY} (${name}), store ${join(dir, 'station.db')}`);
    run = new StationRun({
      identity: IDENTITY,
      csmsUrl: url,
      versions: [version],
      dbPath: join(dir, 'station.db'),
      evses: 1,
      powerW: 11_000,
      info: { model: 'ocppkit-sim', vendorName: 'ocppkit' },
      variables: options.variables,
      connectTimeoutSec: 10,
      log: quiet(out),
      out: process.stdout,
    });
    const session = new Session(csms);
    await run.start();
    await session.expect({
      what: 'the CSMS accepts the BootNotification',
      match: sent('BootNotification', (m) => res(m).status === 'Accepted'),
    });
    await script({ out, run, session });
    return 0;
  } catch (e) {
    out.error(`demo: the session did not complete: ${messageOf(e)}`);
    return 1;
  } finally {
    await run?.stop().catch(() => {});
    await csms.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The station's own log shows only its warnings and errors; the CSMS's log is the message sequence. */
export function quiet(log: Log): Log {
  return { info: () => {}, warn: (t) => log.warn(`station: ${t}`), error: (t) => log.error(`station: ${t}`) };
}

/** Waits for the session's messages in order: each step must follow the one before it. */
export class Session {
  #cursor = -1;
  readonly #csms: SimpleCsms;
  readonly #steps: string[] = [];

  constructor(csms: SimpleCsms) {
    this.#csms = csms;
  }

  /** Where the log stands now, for steps whose messages may arrive in either order. */
  mark(): number {
    return this.#csms.log.length - 1;
  }

  /** Waits for the step's message after the previous step's (or after `since`, a mark). */
  async expect(step: Step, since = this.#cursor): Promise<LoggedMessage> {
    const where = `step ${this.#steps.length + 1} (${step.what})`;
    let failure: string | undefined;
    let found: LoggedMessage;
    try {
      found = await this.#csms.waitFor(
        (m) => {
          if (m.identity !== IDENTITY) return false;
          failure ??= step.fails?.(m);
          return failure !== undefined || step.match(m);
        },
        STEP_TIMEOUT_MS,
        since,
      );
    } catch {
      throw new Error(`${where}: no such message within ${STEP_TIMEOUT_MS / 1000} s`);
    }
    if (failure) throw new Error(`${where}: ${failure}`);
    this.#cursor = Math.max(this.#cursor, this.#csms.log.indexOf(found));
    this.#steps.push(step.what);
    return found;
  }

  summary(): string {
    return `${this.#steps.length} steps, ${this.#csms.log.filter((m) => m.identity === IDENTITY).length} messages`;
  }
}
