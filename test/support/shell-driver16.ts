// The 1.6 blocks (blocks.ts useCases16) in the real Shell<Family16> without sockets or real time: the ports record
// what the station sends and does, the test answers each CALL and moves a ManualClock. For flow tests of the 1.6
// station; over sockets see pair16.ts.
import { ManualClock } from '../../runtime/queue/clock.js';
import type { SendResult } from '../../runtime/queue/dispatcher.js';
import { Shell } from '../../runtime/station/core/shell.js';
import type { Family16 } from '../../runtime/station/core/family.js';
import type { HardwareCall, PublicEvent, StationEvent } from '../../runtime/station/core/types.js';
import { useCases16 } from '../../runtime/station/blocks.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import { testLayout } from './station-harness.js';

export interface Sent16 {
  action: string;
  payload: any;
  direct: boolean;
  transaction?: string;
  answer(response: unknown): void;
  fail(result: SendResult): void;
}

export interface Driver16 {
  shell: Shell<Family16>;
  clock: ManualClock;
  sent: Sent16[];
  hardware: HardwareCall[];
  emitted: PublicEvent[];
  online: boolean[];
  dispatch(event: StationEvent<Family16>): void;
  pending(action?: string): Sent16[];
  settle(): Promise<void>;
}

export function drive16(options: Partial<ChargingStationOptions> = {}): Driver16 {
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  const store = openSqliteStore(':memory:');
  const evses = testLayout(options.evses ?? [{ id: 1, connectors: [{ id: 1 }] }]);
  const sent: Sent16[] = [];
  const settled = new Set<Sent16>();
  const hardware: HardwareCall[] = [];
  const emitted: PublicEvent[] = [];
  const online: boolean[] = [];
  const record =
    (direct: boolean) =>
    (action: string, payload: unknown, o?: { transaction?: string }): Promise<SendResult> =>
      new Promise((resolve) => {
        const s: Sent16 = {
          action,
          payload,
          direct,
          ...(o?.transaction ? { transaction: o.transaction } : {}),
          answer: (response) => (settled.add(s), resolve({ status: 'sent', response })),
          fail: (result) => (settled.add(s), resolve(result)),
        };
        sent.push(s);
      });
  const full: ChargingStationOptions = {
    identity: 'CP16',
    csms: { url: 'ws://127.0.0.1:1' },
    versions: ['ocpp1.6'],
    info: { model: 'Flow', vendorName: 'ocppkit' },
    supplyPhases: 3,
    store,
    ...options,
    evses,
  };
  const shell = new Shell<Family16>('CP16', evses, useCases16(full), {
    clock,
    store,
    variables: { int: () => undefined, bool: () => undefined, string: () => undefined },
    send: record(false),
    sendDirect: record(true),
    setOnline: async (o) => void online.push(o),
    hardware: async (call) => void hardware.push(call),
    setVariable: () => {},
    applyVariables: () => {},
    emit: (e) => void emitted.push(e),
    restart: () => {},
    meter: (evseId) => full.hardware?.readMeter?.(evseId) ?? [],
  });
  return {
    shell,
    clock,
    sent,
    hardware,
    emitted,
    online,
    dispatch: (e) => shell.dispatch(e),
    pending: (action) => sent.filter((s) => !settled.has(s) && (!action || s.action === action)),
    settle: async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    },
  };
}
