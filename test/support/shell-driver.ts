// Drives use cases through the real Shell without sockets or real time: the ports record what the station would
// send or do, and the test decides each CALL's answer. For pure flow tests; socket-level behaviour is tested with
// station-harness.ts against the built-in CSMS.
import { ManualClock } from '../../runtime/queue/clock.js';
import type { SendResult } from '../../runtime/queue/dispatcher.js';
import { Shell, type ShellPorts } from '../../runtime/station/core/shell.js';
import type { AnyUseCase, EvseLayout, HardwareCall, PublicEvent, StationEvent } from '../../runtime/station/core/types.js';
import { ModelVariables, withShorthand } from '../../runtime/station/core/variables.js';
import { DeviceModel, type DeviceModelConfig } from '../../runtime/station/device-model/index.js';
import { testLayout, TEST_VARIABLES } from './station-harness.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';

export interface Sent {
  action: string;
  payload: any;
  direct: boolean;
  /** Settles the CALL: a CALLRESULT payload, or a SendResult for other outcomes. */
  answer(response: unknown): void;
  fail(result: SendResult): void;
}

export interface Driver {
  shell: Shell;
  clock: ManualClock;
  store: Store;
  variables: ModelVariables;
  model: DeviceModel;
  sent: Sent[];
  hardware: HardwareCall[];
  emitted: PublicEvent[];
  online: boolean[];
  restarts: string[];
  dispatch(event: StationEvent): void;
  /** Sends not yet answered, optionally of one action. */
  pending(action?: string): Sent[];
  /** Lets promise callbacks run (answers reach the use cases). */
  settle(): Promise<void>;
}

export function drive(useCases: AnyUseCase[], options: { evses?: EvseLayout[]; variables?: Record<string, string | number | boolean>; deviceModel?: DeviceModelConfig; store?: Store } = {}): Driver {
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  const store = options.store ?? openSqliteStore(':memory:');
  const evses = testLayout(options.evses ?? [{ id: 1, connectors: [{ id: 1 }] }]);
  // The real device model (2.0.1), on the same store: the use cases read their settings from it.
  const model = new DeviceModel({
    version: 'ocpp2.0.1',
    store,
    layout: { supplyPhases: 3, evses },
    config: withShorthand(options.deviceModel, { ...TEST_VARIABLES, 'SecurityCtrlr.SecurityProfile': 1, ...options.variables }),
    clock: () => new Date(clock.now()),
  });
  const variables = new ModelVariables(() => model);
  const sent: Sent[] = [];
  const settled = new Set<Sent>();
  const record = (direct: boolean) => (action: string, payload: unknown) =>
    new Promise<SendResult>((resolve) => {
      const s: Sent = {
        action,
        payload,
        direct,
        answer: (response) => (settled.add(s), resolve({ status: 'sent', response })),
        fail: (result) => (settled.add(s), resolve(result)),
      };
      sent.push(s);
    });
  const d: Omit<Driver, 'shell'> & { shell?: Shell } = {
    clock,
    store,
    variables,
    model,
    sent,
    hardware: [],
    emitted: [],
    online: [],
    restarts: [],
    dispatch: (e) => d.shell!.dispatch(e),
    pending: (action) => sent.filter((s) => !settled.has(s) && (!action || s.action === action)),
    settle: async () => {
      for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
    },
  };
  const ports: ShellPorts = {
    clock,
    store,
    variables,
    send: record(false),
    sendDirect: record(true),
    setOnline: async (online) => void d.online.push(online),
    hardware: async (call) => void d.hardware.push(call),
    setVariable: (e) => variables.set(e.component, e.variable, e.value, e),
    emit: (event) => void d.emitted.push(event),
    restart: (reason) => void d.restarts.push(reason),
  };
  d.shell = new Shell('CS001', evses, useCases, ports);
  model.onChange((c) => d.shell!.dispatch({ type: 'variables.changed', changes: [{ component: c.component.name, variable: c.variable.name }] }));
  return d as Driver;
}
