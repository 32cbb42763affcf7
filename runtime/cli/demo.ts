// `ocppkit demo` (`make demo`): the built-in CSMS and one simulated 2.0.1 station, in this process, over a real
// socket on 127.0.0.1 and with a real store file in a temporary folder, run a complete charging session — boot,
// plug, authorize, charge with meter values, unplug, transaction ended — and print the message sequence as the
// CSMS saw it. Every step waits a bounded time; the exit code says whether the session completed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimpleCsms, type LoggedMessage } from '../csms/simple-csms.js';
import { parseFlags, secondsFlag } from './args.js';
import { logCsms } from './csms-log.js';
import { streamLog, type Log } from './output.js';
import { StationRun } from './station-run.js';

export const DEMO_HELP = `Usage: ocppkit demo [--charge <seconds>]

Starts the built-in CSMS and one simulated OCPP 2.0.1 charging station on 127.0.0.1, runs a complete charging
session (boot, plug, authorize, charge with meter values, unplug, transaction ended) and prints the message
sequence. Exit code 0 when the session completed, 1 (with the step that did not happen) when not.

Flags:
  --charge <seconds>   how long the EV charges; default 3 (meter values every second)`;

const IDENTITY = 'DEMO-STATION';
const ID_TOKEN = 'DEMO-CARD-01';
/** The longest any one step may take before the demo gives up. */
const STEP_TIMEOUT_MS = 10_000;

interface Step {
  /** What happens, in words (also the error when it does not). */
  what: string;
  match: (m: LoggedMessage) => boolean;
  /** A message that shows the step cannot happen any more: why, in words. */
  fails?: (m: LoggedMessage) => string | undefined;
}

const req = (m: LoggedMessage) => (m.request ?? {}) as Record<string, any>;
const res = (m: LoggedMessage) => (m.response ?? {}) as Record<string, any>;
const inbound =
  (action: string, more: (m: LoggedMessage) => boolean = () => true) =>
  (m: LoggedMessage) =>
    m.direction === 'in' && m.action === action && m.error === undefined && more(m);
const txEvent = (eventType: string) => inbound('TransactionEvent', (m) => req(m).eventType === eventType);
const hasMeter = (m: LoggedMessage) => Array.isArray(req(m).meterValue) && req(m).meterValue.length > 0;

export async function demoCommand(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, { charge: { value: true } });
  const chargeSeconds = secondsFlag(flags.charge, 'charge') ?? 3;
  const out = streamLog({ prefix: '' });
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-demo-'));
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'] });
  let run: StationRun | undefined;
  try {
    logCsms(csms, out);
    const url = csms.url(await csms.listen(0, '127.0.0.1'));
    out.info(`demo: CSMS on ${url}; station ${IDENTITY} (OCPP 2.0.1), store ${join(dir, 'station.db')}`);
    run = new StationRun({
      identity: IDENTITY,
      csmsUrl: url,
      versions: ['ocpp2.0.1'],
      dbPath: join(dir, 'station.db'),
      evses: 1,
      powerW: 11_000,
      info: { model: 'ocppkit-sim', vendorName: 'ocppkit' },
      // Meter values every second while charging, so a short demo shows several.
      variables: {
        'SecurityCtrlr.OrganizationName': 'ocppkit demo',
        'SampledDataCtrlr.TxUpdatedInterval': '1',
        'SampledDataCtrlr.TxUpdatedMeasurands': 'Energy.Active.Import.Register,Power.Active.Import',
      },
      connectTimeoutSec: 10,
      log: quiet(out),
      out: process.stdout,
    });
    const session = new Session(csms);
    await run.start();
    await session.expect({
      what: 'BootNotification accepted',
      match: (m) => inbound('BootNotification')(m) && res(m).status === 'Accepted',
    });
    await session.expect({
      what: 'EVSE 1 reported Available',
      match: inbound('StatusNotification', (m) => req(m).connectorStatus === 'Available'),
    });

    out.info('demo: the driver plugs in the EV on EVSE 1');
    await run.run({ op: 'plug', evseId: 1 });
    await session.expect({
      what: 'EVSE 1 reported Occupied',
      match: inbound('StatusNotification', (m) => req(m).connectorStatus === 'Occupied'),
    });

    out.info(`demo: the driver presents card ${ID_TOKEN}`);
    await run.run({ op: 'auth', idToken: ID_TOKEN, evseId: 1 });
    await session.expect({ what: `the CSMS accepts card ${ID_TOKEN}`, match: (m) => tokenVerdict(m) === 'Accepted', fails: (m) => refused(tokenVerdict(m)) });
    await session.expect({
      what: 'a transaction started (TransactionEvent Started)',
      match: txEvent('Started'),
    });
    await session.expect({
      what: 'charging began (chargingState Charging)',
      match: inbound('TransactionEvent', (m) => req(m).transactionInfo?.chargingState === 'Charging'),
    });

    out.info(`demo: charging for ${chargeSeconds} s`);
    await new Promise((r) => setTimeout(r, chargeSeconds * 1000));
    await session.expect({
      what: 'meter values during the transaction (TransactionEvent Updated with meterValue)',
      match: inbound('TransactionEvent', (m) => req(m).eventType === 'Updated' && hasMeter(m)),
    });

    out.info('demo: the driver unplugs the EV');
    await run.run({ op: 'unplug', evseId: 1 });
    await session.expect({
      what: 'the transaction ended (TransactionEvent Ended)',
      match: txEvent('Ended'),
    });
    await session.expect({
      what: 'EVSE 1 reported Available again',
      match: inbound('StatusNotification', (m) => req(m).connectorStatus === 'Available'),
    });

    out.info(`demo: session complete — ${session.summary()}`);
    return 0;
  } catch (e) {
    out.error(`demo: the session did not complete: ${(e as Error).message}`);
    return 1;
  } finally {
    await run?.stop().catch(() => {});
    await csms.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The station's own log shows only its warnings and errors; the CSMS's log is the message sequence. */
function quiet(log: Log): Log {
  return {
    info: () => {},
    warn: (t) => log.warn(`station: ${t}`),
    error: (t) => log.error(`station: ${t}`),
  };
}

/** The CSMS's verdict on the demo card, when `m` carries one (Authorize, or a TransactionEvent with the idToken). */
function tokenVerdict(m: LoggedMessage): string | undefined {
  if (m.direction !== 'in' || m.error !== undefined) return undefined;
  if (m.action !== 'Authorize' && m.action !== 'TransactionEvent') return undefined;
  return req(m).idToken?.idToken === ID_TOKEN ? res(m).idTokenInfo?.status : undefined;
}

const refused = (verdict: string | undefined) => (verdict && verdict !== 'Accepted' ? `the CSMS answered ${verdict} for card ${ID_TOKEN}` : undefined);

/** Waits for the session's messages in order: each step must follow the one before it. */
class Session {
  #cursor = -1;
  readonly #csms: SimpleCsms;
  readonly #steps: string[] = [];

  constructor(csms: SimpleCsms) {
    this.#csms = csms;
  }

  async expect(step: Step): Promise<void> {
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
        this.#cursor,
      );
    } catch {
      throw new Error(`${where}: no such message within ${STEP_TIMEOUT_MS / 1000} s`);
    }
    if (failure) throw new Error(`${where}: ${failure}`);
    this.#cursor = this.#csms.log.indexOf(found);
    this.#steps.push(step.what);
  }

  summary(): string {
    return `${this.#steps.length} steps, ${this.#csms.log.filter((m) => m.identity === IDENTITY).length} messages`;
  }
}
