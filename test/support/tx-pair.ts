// Part 6 test cases of blocks E, F, J over real sockets: the built-in CSMS and a ChargingStation on a real SQLite
// file (station-harness.ts), with recorded hardware callbacks, a meter the test sets, and the CS-side "reusable
// states" of Part 6 as helpers. Authorization is the station's own (blocks C, D, H) against the built-in CSMS.
import { ManualClock } from '../../runtime/queue/clock.js';
import type { IdTokenType } from '../../generated/v201/types.js';
import type { HardwareCall, MeterReading } from '../../runtime/station/core/types.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import type { ChargingStation } from '../../runtime/station/charging-station.js';

/** What the firmware may present: a 2.0.1 idToken, or a 2.1 one (any IdTokenEnumStringType). */
export type PresentedIdToken = Parameters<ChargingStation['idTokenPresented']>[0];
import type { DeviceModelConfig } from '../../runtime/station/device-model/index.js';
import type { LoggedMessage, SimpleCsmsOptions } from '../../runtime/csms/simple-csms.js';
import { startPair, type Pair } from './station-harness.js';
import { testMeterModel } from './tx-driver.js';

export const TOKEN = { idToken: 'VALID-1', type: 'ISO14443' as const };

export interface TxPair extends Pair {
  /** Hardware callbacks ocppkit made, in order (setChargingLimit apart: `limits`). */
  hw: HardwareCall[];
  /** The setChargingLimit calls (block K), in order. */
  limits: Array<Extract<HardwareCall, { op: 'setChargingLimit' }>['args']>;
  /** What the meter reads, per EVSE (0: main meter). */
  readings: Map<number, MeterReading[]>;
  /** The result unlockConnector returns. */
  unlockResult: { value: boolean };
  clock?: ManualClock;
  /** TransactionEvent requests the CSMS received, in order. */
  tx(): any[];
  waitTx(match: (r: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Waits until the station reported every connector after its boot (State Booted). */
  booted(): Promise<void>;
  call(action: string, payload: unknown): Promise<any>;
  /** Moves the ManualClock (the station's timers: intervals, timeouts, retries, back-off). */
  advance(ms: number): Promise<void>;
  /** The CSMS goes down: the connection is closed and reconnections are refused. */
  csmsDown(): Promise<void>;
  /** The CSMS accepts connections again. */
  csmsUp(): void;
}

export interface TxPairOptions {
  /** idTokens the CSMS answers Invalid (Authorize, TransactionEvent). */
  deny?: Iterable<string>;
  /** The groupIdToken the CSMS gives each idToken (AuthorizeResponse, TransactionEventResponse). */
  groupOf?: Record<string, string>;
  variables?: Record<string, string | number | boolean>;
  /** More device-model configuration (merged after the test meter's). */
  deviceModel?: DeviceModelConfig;
  evses?: ChargingStationOptions['evses'];
  manualClock?: boolean;
  csms?: SimpleCsmsOptions;
  station?: Partial<ChargingStationOptions>;
}

export async function txPair(options: TxPairOptions = {}): Promise<TxPair> {
  const hw: HardwareCall[] = [];
  const limits: TxPair['limits'] = [];
  const readings = new Map<number, MeterReading[]>([[1, [{ value: 1000 }]]]);
  const unlockResult = { value: true };
  const clock = options.manualClock ? new ManualClock(Date.now()) : undefined;
  const pair = (await startPair({
    csms: { versions: ['ocpp2.0.1'], ...options.csms, ...(options.deny ? { denyTokens: options.deny } : {}) },
    station: {
      ...(options.evses ? { evses: options.evses } : {}),
      // Baseline of the tests: no periodic or clock-aligned samples unless a test asks for them.
      variables: { 'SampledDataCtrlr.TxUpdatedInterval': 0, 'AlignedDataCtrlr.Interval': 0, ...options.variables },
      ...(clock ? { clock } : {}),
      deviceModel: { components: [...testMeterModel.components!, ...(options.deviceModel?.components ?? [])] },
      hardware: {
        startCharging: (evseId, connectorId) => void hw.push({ op: 'startCharging', args: [evseId, connectorId] }),
        stopCharging: (evseId) => void hw.push({ op: 'stopCharging', args: [evseId] }),
        unlockConnector: (evseId, connectorId) => (
          hw.push({ op: 'unlockConnector', args: [evseId, connectorId] }),
          unlockResult.value
        ),
        readMeter: (evseId) => readings.get(evseId) ?? [],
        reset: async (kind) => void hw.push({ op: 'reset', args: [kind] }),
        setChargingLimit: (evseId, limit) => void limits.push([evseId, limit]),
        evChargingNeedsAnswered: (evseId, response) =>
          void hw.push({ op: 'evChargingNeedsAnswered', args: [evseId, response] }),
        offerEvChargingSchedules: (evseId, schedules, reason) =>
          void hw.push({ op: 'offerEvChargingSchedules', args: [evseId, schedules, reason] }),
        priorityChargingUnavailable: (evseId) => void hw.push({ op: 'priorityChargingUnavailable', args: [evseId] }),
        // A test's own callbacks (e.g. showDisplay) join the recorded ones.
        ...options.station?.hardware,
      },
      ...withoutHardware(options.station),
    },
  })) as TxPair;
  if (options.groupOf) {
    const groupOf = options.groupOf;
    const info = (idToken: { idToken: string } | undefined) => {
      const group = idToken && groupOf[idToken.idToken];
      return { status: 'Accepted', ...(group ? { groupIdToken: { idToken: group, type: 'Central' } } : {}) };
    };
    pair.csms.respond('Authorize', (req: any) => ({ idTokenInfo: info(req.idToken) }));
    pair.csms.respond('TransactionEvent', (req: any) => (req.idToken ? { idTokenInfo: info(req.idToken) } : {}));
  }
  pair.hw = hw;
  pair.limits = limits;
  pair.readings = readings;
  pair.unlockResult = unlockResult;
  if (clock) pair.clock = clock;
  pair.tx = () => pair.sent('TransactionEvent').map((m) => m.request);
  pair.waitTx = async (match, timeoutMs = 3000) =>
    (await pair.waitFor('TransactionEvent', (m: LoggedMessage) => match(m.request as any), timeoutMs)).request;
  pair.booted = async () => {
    const evses = options.evses ?? [{ id: 1, connectors: [{ id: 1 }] }];
    for (const e of evses)
      for (const c of e.connectors)
        await pair.waitFor(
          'StatusNotification',
          (m: any) => m.request.evseId === e.id && m.request.connectorId === c.id,
        );
  };
  pair.call = (action, payload) => pair.csms.call(pair.identity, action, payload) as Promise<any>;
  pair.csmsDown = async () => {
    pair.csms.refuseConnections(true);
    await pair.csms.disconnect(pair.identity);
  };
  pair.csmsUp = () => pair.csms.refuseConnections(false);
  pair.advance = async (ms) => {
    if (!clock) throw new Error('advance() needs manualClock: true');
    // Let CALLs on the wire be answered first: a jump past MessageTimeout would time them out.
    await new Promise((r) => setTimeout(r, 15));
    await clock.advance(ms);
  };
  await pair.booted();
  return pair;
}

function withoutHardware(station: Partial<ChargingStationOptions> = {}): Partial<ChargingStationOptions> {
  const { hardware: _, ...rest } = station;
  return rest;
}

/** Runs `body` with a fresh pair and closes it afterwards, whatever happens. */
export async function withTxPair(options: TxPairOptions, body: (p: TxPair) => Promise<void>): Promise<void> {
  const p = await txPair(options);
  try {
    await body(p);
  } finally {
    await p.close();
  }
}

/** Part 6 reusable states (Charging Station side), on EVSE 1 connector 1 unless told otherwise. */
export const states = {
  /** EVConnectedPreSession: the EV is connected; StatusNotification Occupied. */
  async evConnected(p: TxPair, evseId = 1, connectorId = 1) {
    p.station.cablePlugged(evseId, connectorId);
    await p.waitFor(
      'StatusNotification',
      (m: any) => m.request.evseId === evseId && m.request.connectorStatus === 'Occupied',
    );
  },
  /** Authorized (local): the driver presents the idToken. */
  authorizeLocal(p: TxPair, evseId?: number, idToken: PresentedIdToken = TOKEN) {
    p.station.idTokenPresented(idToken, evseId);
  },
  /** Presents the idToken and waits for the station's verdict on it (block C: cache, local list or the CSMS). */
  async authorizeAndWait(p: TxPair, evseId?: number, idToken: PresentedIdToken = TOKEN): Promise<void> {
    const verdict = new Promise<void>((resolve) => {
      const listener = (e: { idToken: { idToken: string } }) => {
        if (e.idToken.idToken !== idToken.idToken) return;
        p.station.off('authorization', listener);
        resolve();
      };
      p.station.on('authorization', listener);
    });
    p.station.idTokenPresented(idToken, evseId);
    await verdict;
  },
  /** Authorized (remote): RequestStartTransaction. */
  async authorizeRemote(p: TxPair, evseId = 1, remoteStartId = 1, idToken = TOKEN) {
    return p.call('RequestStartTransaction', { idToken, evseId, remoteStartId });
  },
  /** EnergyTransferStarted: connected, authorized, energy flows; resolves with the transactionId. */
  async energyTransferStarted(p: TxPair, evseId = 1): Promise<string> {
    await states.evConnected(p, evseId);
    states.authorizeLocal(p, evseId);
    p.station.chargingStateChanged(evseId, 'Charging');
    const e = await p.waitTx(
      (r) => r.transactionInfo.chargingState === 'Charging' && (r.evse?.id ?? evseId) === evseId,
    );
    return e.transactionInfo.transactionId;
  },
  /** EnergyTransferSuspended: the EV suspends. */
  suspendByEv(p: TxPair, evseId = 1) {
    p.station.chargingStateChanged(evseId, 'SuspendedEV');
  },
  /** EVDisconnected: cable out at the station side. */
  evDisconnected(p: TxPair, evseId = 1, connectorId = 1) {
    p.station.cableUnplugged(evseId, connectorId);
  },
};
