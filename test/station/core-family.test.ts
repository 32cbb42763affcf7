// The station core typed by its protocol family (issue 10): a use case of 2.1 alone, a 2.1 SEND message, the
// order of SetVariables' commit and `variables.changed`, and answers whose CALLRESULT never went out. Over real
// sockets against the built-in CSMS where the behaviour is the connection's; through the shell driver where it is
// the shell's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SetVariablesRequest } from '../../generated/v201/types.js';
import { deviceModelUseCase } from '../../runtime/station/B-provisioning/variables.js';
import { VALUES_NS } from '../../runtime/station/device-model/index.js';
import { useCasesFor } from '../../runtime/station/blocks.js';
import type { StationEvent, UseCase } from '../../runtime/station/core/types.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { TraceEntry } from '../../runtime/rpc/trace.js';
import { drive, type Driver } from '../support/shell-driver.js';
import { startPair } from '../support/station-harness.js';

declare module '../../runtime/station/core/registry.js' {
  interface HardwareOperations {
    /** The test's vendor operation: how long it takes is the test's to decide. */
    vendorWork(): Promise<string>;
  }
}

/** 2.1 I: keeps the default tariffs it is given (a stand-in for the tariff block to come). */
function tariffsUseCase(seen: StationEvent['type'][] = []): UseCase<{ tariffIds: string[] }> {
  return {
    name: 'tariffs',
    versions: ['ocpp2.1'],
    init: () => ({ tariffIds: [] }),
    on(state, event) {
      seen.push(event.type);
      return undefined;
    },
    answers: {
      // The request is 2.1's SetDefaultTariffRequest: tariff.tariffId without a cast.
      SetDefaultTariff: (state, request) => ({
        state: { tariffIds: [...state.tariffIds, request.tariff.tariffId] },
        response: { status: 'Accepted' },
      }),
    },
  };
}

test('a use case of 2.1 alone answers a 2.1-only action (SetDefaultTariff) once 2.1 is negotiated', async () => {
  const p = await startPair({
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'], useCases: [tariffsUseCase()] },
  });
  try {
    await p.waitFor('BootNotification');
    assert.equal(
      await p.csms.call(p.identity, 'SetDefaultTariff', { evseId: 0, tariff: { tariffId: 'T-1', currency: 'EUR' } }),
      { status: 'Accepted' },
    );
  } finally {
    await p.close();
  }
});

test('without a use case for it, a 2.1-only action is answered CALLERROR NotSupported, as any block the station does not run', async () => {
  const p = await startPair({ csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } });
  try {
    await p.waitFor('BootNotification');
    const error = await p.csms
      .call(p.identity, 'SetDefaultTariff', { evseId: 0, tariff: { tariffId: 'T-1', currency: 'EUR' } })
      .then(
        () => undefined,
        (e: { code?: string }) => e.code,
      );
    assert.is(error, 'NotSupported');
  } finally {
    await p.close();
  }
});

test('a use case of 2.1 alone sees no event while 2.0.1 is negotiated', async () => {
  const seen: StationEvent['type'][] = [];
  const p = await startPair({
    csms: { versions: ['ocpp2.0.1'] },
    station: { versions: ['ocpp2.1', 'ocpp2.0.1'], useCases: [tariffsUseCase(seen)] },
  });
  try {
    // The BootNotification is sent on `connected`, in the same round of the shell as every use case's turn.
    await p.waitFor('BootNotification');
    assert.equal(seen, []);
  } finally {
    await p.close();
  }
});

test('a use case of 2.1 alone is not registered on a station that does not offer 2.1', () => {
  const names = (versions: Array<'ocpp2.0.1' | 'ocpp2.1'>) =>
    useCasesFor({
      options: {
        identity: 'X',
        csms: { url: 'ws://127.0.0.1:1' },
        info: { model: 'm', vendorName: 'v' },
        evses: [],
        supplyPhases: 3,
        store: { path: ':memory:' },
        useCases: [tariffsUseCase()],
      },
      versions,
      network: { configured: [], slots: [] } as never,
      deviceModel: () => {
        throw new Error('not needed');
      },
      triggerable: () => new Set(),
      canTrigger: () => true,
    }).map((uc) => uc.name);
  assert.not.ok(names(['ocpp2.0.1']).includes('tariffs'));
  assert.ok(names(['ocpp2.1', 'ocpp2.0.1']).includes('tariffs'));
});

test('a 2.1 SEND message (NotifyPeriodicEventStream) goes out once the CSMS accepted the boot, never answered', async () => {
  const streamer: UseCase<null> = {
    name: 'streamer',
    versions: ['ocpp2.1'],
    init: () => null,
    on(state, event) {
      // The reply is typed by its action: BootNotification's response has a status.
      if (
        event.type !== 'reply' ||
        event.action !== 'BootNotification' ||
        event.result.status !== 'sent' ||
        event.result.response.status !== 'Accepted'
      )
        return undefined;
      return {
        state,
        effects: [
          {
            type: 'sendMessage',
            action: 'NotifyPeriodicEventStream',
            payload: { id: 7, pending: 0, basetime: new Date().toISOString(), data: [{ t: 0, v: '42' }] },
          },
        ],
      };
    },
  };
  const p = await startPair({
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'], useCases: [streamer] },
  });
  try {
    const m = await p.waitFor('NotifyPeriodicEventStream');
    assert.equal((m.request as { id: number }).id, 7);
    assert.is(m.response, undefined, 'a SEND is never answered');
  } finally {
    await p.close();
  }
});

/** Records the `variables.changed` events the shell hands the use cases. */
function changes(): { useCase: UseCase<null>; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    useCase: {
      name: 'probe',
      init: () => null,
      on(state, event) {
        if (event.type === 'variables.changed') seen.push(...event.changes.map((c) => `${c.component}.${c.variable}`));
        return undefined;
      },
    },
  };
}

const heartbeat = (value: string): SetVariablesRequest => ({
  setVariableData: [
    { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: value },
  ],
});

test('B05: SetVariables stores the value before answering and puts it into effect (variables.changed) only once the CALLRESULT is out', () => {
  const probe = changes();
  let d!: Driver;
  d = drive([deviceModelUseCase(() => d.model), probe.useCase]);
  const before = d.model.getInt('OCPPCommCtrlr', 'HeartbeatInterval');
  const response = d.shell.answer('SetVariables', heartbeat('77'), 'm1') as {
    setVariableResult: Array<{ attributeStatus: string }>;
  };
  assert.is(response.setVariableResult[0]!.attributeStatus, 'Accepted');
  assert.ok(
    d.store.list(VALUES_NS).some((e) => JSON.stringify(e.value).includes('"77"')),
    'stored before the answer goes out',
  );
  assert.equal(probe.seen, [], 'no use case hears of it before the CALLRESULT');
  assert.is(d.model.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), before);
  d.shell.answered('m1');
  assert.equal(probe.seen, ['OCPPCommCtrlr.HeartbeatInterval']);
  assert.is(d.model.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 77);
});

test('B05: a SetVariables whose values cannot be stored answers each accepted item Rejected (InternalError) and changes nothing', () => {
  const real = openSqliteStore(':memory:');
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'put')
        return (ns: string, key: string, value: unknown) =>
          ns === VALUES_NS
            ? (() => {
                throw new Error('disk full');
              })()
            : target.put(ns, key, value);
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const probe = changes();
  let d!: Driver;
  d = drive([deviceModelUseCase(() => d.model), probe.useCase], { store });
  const before = d.model.getInt('OCPPCommCtrlr', 'HeartbeatInterval');
  const response = d.shell.answer('SetVariables', heartbeat('78'), 'm1') as {
    setVariableResult: Array<{ attributeStatus: string; attributeStatusInfo?: { reasonCode: string } }>;
  };
  assert.equal(
    [response.setVariableResult[0]!.attributeStatus, response.setVariableResult[0]!.attributeStatusInfo?.reasonCode],
    ['Rejected', 'InternalError'],
  );
  d.shell.answered('m1');
  assert.equal(probe.seen, []);
  assert.is(d.model.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), before);
});

test('an answer whose CALLRESULT never went out (the connection closed first) has no after-effects', async () => {
  let finish!: (value: string) => void;
  let started!: () => void;
  const working = new Promise<void>((resolve) => (started = resolve));
  const vendor: UseCase<null> = {
    name: 'vendor',
    init: () => null,
    answers: {
      DataTransfer: () => ({
        askHardware: {
          call: { op: 'vendorWork', args: [] },
          respond: (outcome) => ({ status: 'Accepted', data: outcome.ok ? String(outcome.result) : 'failed' }),
        },
        after: [{ type: 'emit', event: { type: 'log', level: 'info', message: 'AFTER-MARK' } }],
      }),
    },
  };
  let droppedNow!: () => void;
  const dropped = new Promise<void>((resolve) => (droppedNow = resolve));
  const p = await startPair({
    station: {
      useCases: [vendor],
      trace: (e: TraceEntry) => e.event === 'answerDropped' && droppedNow(),
      hardware: { vendorWork: () => (started(), new Promise<string>((resolve) => (finish = resolve))) },
    },
  });
  const logs: string[] = [];
  p.station.on('log', (e) => logs.push(e.message));
  try {
    await p.waitFor('BootNotification');
    const call = p.csms.call(p.identity, 'DataTransfer', { vendorId: 'acme' }).catch(() => undefined);
    await working;
    await p.csms.disconnect(p.identity);
    await call;
    finish('done');
    await dropped;
    assert.not.ok(logs.includes('AFTER-MARK'), 'the after-effect of a lost answer is discarded');
  } finally {
    await p.close();
  }
});

test.run();
