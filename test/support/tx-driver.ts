// Flow tests of the transaction state machine without sockets: the real Shell, the real outgoing dispatcher and
// durable queue (so seqNo and the offline flag are the queue's), a ManualClock, the authorization stand-in for
// block C, and helpers to answer the CSMS side.
import type { ManualClock } from '../../runtime/queue/clock.js';
import { transactionsUseCase } from '../../runtime/station/E-transactions/transactions.js';
import type { AnyUseCase, EvseLayout, MeterReading, StationEvent } from '../../runtime/station/core/types.js';
import type { ComponentConfig, DeviceModelConfig } from '../../runtime/station/device-model/index.js';
import type { Store } from '../../runtime/store/types.js';
import { acceptEveryToken, type StandInOptions } from './authorize-stand-in.js';
import { drive, type Driver } from './shell-driver.js';

export interface TxDriver extends Driver {
  /** Connected and accepted: the queue sends. */
  goOnline(): Promise<void>;
  goOffline(): Promise<void>;
  /**
   * Answers every pending CALL, repeatedly: TransactionEvents with `respond` (default: idTokenInfo Accepted where an
   * idToken was sent), anything else (a security event ahead in the queue, MeterValues) with an empty response.
   */
  deliver(respond?: (payload: any) => unknown): Promise<void>;
  /** The TransactionEvents handed to the transport so far, in order (retransmissions included). */
  events(): any[];
  fire(...events: StationEvent[]): void;
  plug(evseId?: number, connectorId?: number): void;
  unplug(evseId?: number, connectorId?: number): void;
  token(idToken: string, evseId?: number): void;
  flow(state: 'Charging' | 'SuspendedEV' | 'SuspendedEVSE', evseId?: number): void;
  meter(evseId: number, readings: MeterReading[]): void;
}

export interface TxDriverOptions extends StandInOptions {
  variables?: Record<string, string | number | boolean>;
  evses?: EvseLayout[];
  store?: Store;
  /** Use cases before E (e.g. boot); the stand-in for C is always there. */
  before?: AnyUseCase[];
  /** Use cases after E (e.g. meter values, remote control, availability). */
  after?: AnyUseCase[];
  resumable?: boolean;
  /** The device model's version; default 2.0.1. */
  version?: 'ocpp2.0.1' | 'ocpp2.1';
  /** Skip the `started` event (a test that restarts dispatches its own). */
  noStart?: boolean;
  /** The queue's bound (drop policy: E04.FR.08, E11.FR.05, E12.FR.05). */
  maxMessages?: number;
  /** The station's clock (default: a ManualClock at 2025-01-01); a restart test gives the later time it boots at. */
  clock?: ManualClock;
  /** Device-model components besides the test meter's (e.g. a variable the runtime adds). */
  components?: ComponentConfig[];
}

export const tok = (idToken: string) => ({ idToken, type: 'ISO14443' as const });

/** The test stations' meter measures all these: the measurand lists may name any of them. */
const TEST_MEASURANDS = ['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'Voltage'];

/** Device-model configuration of the test stations: the meter's measurands as the lists' valuesList. */
export const testMeterModel: DeviceModelConfig = {
  components: [
    {
      name: 'SampledDataCtrlr',
      variables: ['TxStartedMeasurands', 'TxUpdatedMeasurands', 'TxEndedMeasurands'].map((name) => ({
        name,
        valuesList: TEST_MEASURANDS,
      })),
    },
    {
      name: 'AlignedDataCtrlr',
      variables: ['Measurands', 'TxEndedMeasurands'].map((name) => ({ name, valuesList: TEST_MEASURANDS })),
    },
  ],
};

export function txDriver(options: TxDriverOptions = {}): TxDriver {
  let n = 0;
  const d = drive(
    [
      ...(options.before ?? []),
      acceptEveryToken(options),
      transactionsUseCase({ newId: () => `tx-${++n}`, resumable: options.resumable === true }),
      ...(options.after ?? []),
    ],
    {
      queue: true,
      // Baseline of the tests: no periodic or clock-aligned samples unless a test asks for them.
      variables: { 'SampledDataCtrlr.TxUpdatedInterval': 0, 'AlignedDataCtrlr.Interval': 0, ...options.variables },
      deviceModel: { components: [...testMeterModel.components!, ...(options.components ?? [])] },
      evses: options.evses ?? [{ id: 1, connectors: [{ id: 1 }] }],
      ...(options.store ? { store: options.store } : {}),
      ...(options.version ? { version: options.version } : {}),
      ...(options.maxMessages ? { maxMessages: options.maxMessages } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    },
  ) as unknown as TxDriver;
  d.goOnline = async () => {
    // Going online first re-sends the connector statuses (B04): answer them as a CSMS would.
    let done = false;
    const going = d.dispatcher!.setOnline(true).then(() => (done = true));
    for (let i = 0; i < 100 && !done; i++) {
      await d.settle();
      for (const s of d.pending('StatusNotification')) s.answer({});
    }
    await going;
    await d.settle();
  };
  d.goOffline = async () => {
    await d.dispatcher!.setOnline(false);
    await d.settle();
  };
  d.deliver = async (respond = (p) => (p.idToken ? { idTokenInfo: { status: 'Accepted' } } : {})) => {
    for (let i = 0; i < 200; i++) {
      await d.settle();
      const open = d.pending();
      if (!open.length) return;
      for (const s of open) s.answer(s.action === 'TransactionEvent' ? respond(s.payload) : {});
    }
    throw new Error('the queue kept sending');
  };
  d.events = () => d.sent.filter((s) => s.action === 'TransactionEvent').map((s) => s.payload);
  d.fire = (...events) => events.forEach((e) => d.dispatch(e));
  d.plug = (evseId = 1, connectorId = 1) => d.dispatch({ type: 'cablePlugged', evseId, connectorId });
  d.unplug = (evseId = 1, connectorId = 1) => d.dispatch({ type: 'cableUnplugged', evseId, connectorId });
  d.token = (idToken, evseId) =>
    d.dispatch({ type: 'idTokenPresented', idToken: tok(idToken), ...(evseId !== undefined ? { evseId } : {}) });
  d.flow = (state, evseId = 1) => d.dispatch({ type: 'energyFlow', evseId, state });
  d.meter = (evseId, readings) => {
    d.readings.set(evseId, readings);
    d.dispatch({ type: 'meterValues', evseId, readings });
  };
  if (!options.noStart) d.dispatch({ type: 'started', reason: 'PowerUp' });
  return d;
}

/** [eventType, triggerReason] of each event, for compact assertions. */
export const kinds = (events: any[]) => events.map((e) => `${e.eventType}:${e.triggerReason}`);
