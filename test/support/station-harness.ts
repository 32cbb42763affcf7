// A station and the built-in CSMS on 127.0.0.1, with a real SQLite file: the pair every station test starts from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimpleCsms, type LoggedMessage, type SimpleCsmsOptions } from '../../runtime/csms/simple-csms.js';
import { ChargingStation } from '../../runtime/station/charging-station.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import type { EvseLayout } from '../../runtime/station/core/types.js';

/**
 * Test layouts may leave out what the device model requires of real hardware (EVSE maxPower, connector type): a
 * 22 kW EVSE with Type 2 connectors is assumed.
 */
export function testLayout(evses: readonly EvseLayout[]): EvseLayout[] {
  return evses.map((e) => ({ maxPower: 22000, ...e, connectors: e.connectors.map((c) => ({ type: 'cType2', ...c })) }));
}

/** What every test station needs in its device model that ocppkit cannot default. */
export const TEST_VARIABLES = { 'SecurityCtrlr.OrganizationName': 'ocppkit tests' } as const;

export interface Pair {
  csms: SimpleCsms;
  station: ChargingStation;
  url: string;
  dir: string;
  dbPath: string;
  identity: string;
  /** A new ChargingStation on the same store file and CSMS (a reboot), with extra options. */
  restart(extra?: Partial<ChargingStationOptions>): Promise<ChargingStation>;
  /** Messages the station sent, of one action. */
  sent(action: string): LoggedMessage[];
  waitFor(action: string, match?: (m: LoggedMessage) => boolean, timeoutMs?: number): Promise<LoggedMessage>;
  close(): Promise<void>;
}

let counter = 0;

export async function startPair(
  options: { csms?: SimpleCsmsOptions; station?: Partial<ChargingStationOptions>; start?: boolean } = {},
): Promise<Pair> {
  const csms = new SimpleCsms({ versions: ['ocpp2.0.1'], ...options.csms });
  const address = await csms.listen();
  const url = csms.url(address);
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-station-'));
  const dbPath = join(dir, 'station.db');
  const identity = `CS${process.pid}-${++counter}`;
  const make = (extra: Partial<ChargingStationOptions> = {}) => {
    const o = { ...options.station, ...extra };
    return new ChargingStation({
      identity,
      csms: { url },
      versions: ['ocpp2.0.1'],
      info: { model: 'TestModel', vendorName: 'ocppkit' },
      supplyPhases: 3,
      store: { path: dbPath },
      ...o,
      evses: testLayout(o.evses ?? [{ id: 1, connectors: [{ id: 1 }] }]),
      variables: { ...TEST_VARIABLES, ...o.variables },
    });
  };
  let station = make();
  if (options.start !== false) await station.start();
  const pair: Pair = {
    csms,
    get station() {
      return station;
    },
    url,
    dir,
    dbPath,
    identity,
    async restart(extra) {
      await station.stop();
      station = make(extra);
      await station.start();
      return station;
    },
    sent: (action) => csms.received(identity, action),
    waitFor: (action, match = () => true, timeoutMs = 5000) =>
      csms.waitFor(
        (m) => m.identity === identity && m.direction === 'in' && m.action === action && match(m),
        timeoutMs,
      ),
    async close() {
      await station.stop().catch(() => {});
      await csms.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return pair;
}
