// What becomes of a transaction when the station stops while it runs (power loss, crash, reboot): E17 (2.1) and
// the B/E rules for 2.0.1, on a real SQLite file that outlives each "process" (a Shell, queue and store opened
// anew). Also the crash windows between the queue's commit and the use case's own state (recovery.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../runtime/queue/clock.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import { tempDir } from '../helpers/tmp.js';
import { resumptionDelayS, resumptionRangeComponent } from '../../runtime/station/E-transactions/recovery.js';
import { kinds, txDriver, type TxDriver, type TxDriverOptions } from '../support/tx-driver.js';

/** A station "process" on the file; `power()` cuts it off without any goodbye. */
type Station = TxDriver & { power(): void };
type BootOptions = TxDriverOptions & {
  reason?: 'PowerUp' | 'Watchdog';
  /** What the integrator's pluggedConnectors says at the start (E17.FR.16/17). */
  plugged?: Array<{ evseId: number; connectorId: number }>;
};

function boot(file: string, options: BootOptions = {}): Station {
  const store = openSqliteStore(file);
  const d = txDriver({ ...options, store, noStart: true }) as Station;
  d.dispatch({
    type: 'started',
    reason: options.reason ?? 'PowerUp',
    ...(options.plugged ? { plugged: options.plugged } : {}),
  });
  d.power = () => {
    d.shell.stop();
    d.queue!.close();
    store.close();
  };
  return d;
}

/** A fresh folder for the store files of `body`, removed afterwards. */
async function withFiles(body: (file: (name: string) => string) => Promise<void>): Promise<void> {
  const tmp = tempDir();
  try {
    await body(tmp.file);
  } finally {
    tmp.remove();
  }
}

/** Cuts the power of `before`, boots again on its file, goes online and lets the CSMS answer what was queued. */
async function restart(before: Station, file: string, options: BootOptions = {}): Promise<Station> {
  before.power();
  const after = boot(file, options);
  await after.goOnline();
  await after.deliver();
  return after;
}

/** A transaction charging on EVSE 1, offline (nothing delivered). */
async function runningOffline(file: string, options: BootOptions = {}): Promise<Station> {
  const d = boot(file, options);
  d.plug();
  d.token('A');
  d.flow('Charging');
  await d.settle();
  return d;
}

test('E17.FR.20 E17.FR.21 B01.FR.03 a transaction running at a power loss is ended after the restart: AbnormalCondition, PowerLoss; the CSMS gets Started … Ended with contiguous seqNo', () =>
  withFiles(async (file) => {
    const after = await restart(await runningOffline(file('s.db')), file('s.db'));
    const events = after.events();
    assert.equal(kinds(events), ['Started:Authorized', 'Updated:ChargingStateChanged', 'Ended:AbnormalCondition']);
    assert.equal(
      events.map((e) => e.seqNo),
      [0, 1, 2],
    );
    assert.is(events[2].transactionInfo.stoppedReason, 'PowerLoss');
    assert.ok(
      events.every((e) => e.offline === true),
      'E04.FR.03: created while offline',
    );
    assert.equal(after.store.outbox.count(), 0);
    after.power();
  }));

test("E17.FR.22 after a restart of the station's own (watchdog): stoppedReason Reboot", () =>
  withFiles(async (file) => {
    const after = await restart(await runningOffline(file('s.db')), file('s.db'), { reason: 'Watchdog' });
    assert.is(after.events().at(-1).transactionInfo.stoppedReason, 'Reboot');
    after.power();
  }));

test('E04.FR.04 seqNo continues after a restart in the middle of a transaction whose first events were delivered', () =>
  withFiles(async (file) => {
    const before = boot(file('s.db'));
    await before.goOnline();
    before.plug();
    before.token('A');
    await before.deliver();
    await before.goOffline();
    before.flow('Charging');
    await before.settle();
    const after = await restart(before, file('s.db'));
    assert.equal(
      after.events().map((e) => [e.seqNo, e.eventType]),
      [
        [1, 'Updated'],
        [2, 'Ended'],
      ],
    );
    after.power();
  }));

test('crash after the Started was committed to the queue but before the state was: the transaction the queue knows is still ended (Started and Ended both reach the CSMS)', () =>
  withFiles(async (file) => {
    const before = await runningOffline(file('s.db'));
    // The state as it was before the transaction (the write that would have followed the queue's never happened).
    before.store.delete('station.state', 'transactions');
    const after = await restart(before, file('s.db'));
    const events = after.events();
    assert.equal(kinds(events), ['Started:Authorized', 'Updated:ChargingStateChanged', 'Ended:AbnormalCondition']);
    assert.equal(
      events.map((e) => e.seqNo),
      [0, 1, 2],
    );
    assert.is(new Set(events.map((e) => e.transactionInfo.transactionId)).size, 1);
    after.power();
  }));

test('crash after the Ended was committed to the queue but before the state was: no second Ended', () =>
  withFiles(async (file) => {
    const before = await runningOffline(file('s.db'));
    const stale = before.store.get('station.state', 'transactions');
    before.token('A'); // ends it (TxStopPoint Authorized by default)
    await before.settle();
    before.store.put('station.state', 'transactions', stale); // the state write after the Ended "did not happen"
    const after = await restart(before, file('s.db'));
    assert.equal(kinds(after.events()), ['Started:Authorized', 'Updated:ChargingStateChanged', 'Ended:StopAuthorized']);
    after.power();
  }));

const v21 = (variables: Record<string, number | boolean>, resumable = true): BootOptions => ({
  variables,
  resumable,
  version: 'ocpp2.1',
});

test('E17.FR.10 E17.FR.14 E17.FR.12 2.1 with TxCtrlr.ResumptionTimeout: within the timeout the transaction resumes (Updated TxResumed), without AllowEnergyTransferResumption in SuspendedEVSE', () =>
  withFiles(async (file) => {
    const options = v21({ 'TxCtrlr.ResumptionTimeout': 60, 'TxCtrlr.AllowEnergyTransferResumption': false });
    const after = await restart(await runningOffline(file('s.db'), options), file('s.db'), options);
    const resumed = after.events().at(-1);
    assert.equal(
      [resumed.eventType, resumed.triggerReason, resumed.transactionInfo.chargingState],
      ['Updated', 'TxResumed', 'SuspendedEVSE'],
    );
    assert.ok(!after.hardware.some((h) => h.op === 'startCharging'), 'no energy without AllowEnergyTransferResumption');
    assert.ok(after.shell.query.transactionOn!(1));
    after.token('A');
    await after.deliver();
    assert.is(after.events().at(-1).eventType, 'Ended');
    after.power();
  }));

test('E17.FR.20 2.1 beyond TxCtrlr.ResumptionTimeout: ended with PowerLoss; and never resumed where 2.0.1 is offered', () =>
  withFiles(async (file) => {
    const options = v21({ 'TxCtrlr.ResumptionTimeout': 60 });
    const before = await runningOffline(file('s.db'), options);
    const saved = before.store.get<any>('station.state', 'transactions');
    saved.sessions[1].tx.lastSeen -= 61_000; // the outage lasted 61 s
    before.store.put('station.state', 'transactions', saved);
    const after = await restart(before, file('s.db'), options);
    assert.equal(
      [after.events().at(-1).eventType, after.events().at(-1).transactionInfo.stoppedReason],
      ['Ended', 'PowerLoss'],
    );
    after.power();

    const notResumable = v21({ 'TxCtrlr.ResumptionTimeout': 60 }, false);
    const v201 = await restart(await runningOffline(file('s2.db'), notResumable), file('s2.db'), notResumable);
    assert.is(v201.events().at(-1).eventType, 'Ended');
    v201.power();
  }));

const T0 = Date.UTC(2025, 0, 1);

test('E17.FR.01 E17.FR.02 2.1: the stored state is stamped while a transaction runs quietly, so a 30 s interruption after 10 minutes without events resumes it; 61 s ends it', () =>
  withFiles(async (file) => {
    const options = v21({ 'TxCtrlr.ResumptionTimeout': 60, 'TxCtrlr.AllowEnergyTransferResumption': true });
    for (const [name, outageS, expected] of [
      ['a.db', 30, 'Updated:TxResumed'],
      ['b.db', 61, 'Ended:AbnormalCondition'],
    ] as const) {
      const clock = new ManualClock(T0);
      const before = await runningOffline(file(name), { ...options, clock });
      await clock.advance(600_000); // 10 minutes: no sample, no event
      assert.equal(kinds(before.events()), [], 'nothing delivered, nothing new');
      const after = await restart(before, file(name), {
        ...options,
        clock: new ManualClock(T0 + 600_000 + outageS * 1000),
      });
      assert.is(kinds(after.events()).at(-1), expected, `${outageS} s`);
      after.power();
    }
  }));

test('E17.FR.11 2.1 AllowEnergyTransferResumption, the EV still connected: resumed in the state it had (Charging), energy started again', () =>
  withFiles(async (file) => {
    const options = v21({ 'TxCtrlr.ResumptionTimeout': 60, 'TxCtrlr.AllowEnergyTransferResumption': true });
    const after = await restart(await runningOffline(file('s.db'), options), file('s.db'), options);
    const resumed = after.events().at(-1);
    assert.equal(
      [resumed.eventType, resumed.triggerReason, resumed.transactionInfo.chargingState],
      ['Updated', 'TxResumed', 'Charging'],
    );
    assert.equal(after.hardware, [{ op: 'startCharging', args: [1, 1] }]);
    after.power();
  }));

test('E17.FR.13 E17.FR.12 2.1 without AllowEnergyTransferResumption: EVConnected and SuspendedEVSE resume as they were; SuspendedEV (an EV that could draw again at once), like Charging, as SuspendedEVSE', () =>
  withFiles(async (file) => {
    const options = v21({ 'TxCtrlr.ResumptionTimeout': 60, 'TxCtrlr.AllowEnergyTransferResumption': false });
    const cases = [
      [undefined, 'EVConnected'],
      ['SuspendedEVSE', 'SuspendedEVSE'],
      ['SuspendedEV', 'SuspendedEVSE'],
    ] as const;
    for (const [flow, expected] of cases) {
      const before = boot(file(`${flow}.db`), options);
      before.plug();
      before.token('A');
      if (flow) before.flow(flow);
      await before.settle();
      const after = await restart(before, file(`${flow}.db`), options);
      const resumed = after.events().at(-1);
      assert.equal(
        [resumed.triggerReason, resumed.transactionInfo.chargingState],
        ['TxResumed', expected],
        String(flow),
      );
      after.power();
    }
  }));

test('E17.FR.16 E17.FR.17 2.1 the EV was disconnected during the interruption: after TxResumed the firmware reports it; TxStopPoint not met: Idle; met: the transaction ends normally (E06)', () =>
  withFiles(async (file) => {
    const base = { 'TxCtrlr.ResumptionTimeout': 60, 'TxCtrlr.AllowEnergyTransferResumption': true };
    const cases = [
      [
        { ...base, 'TxCtrlr.TxStopPoint': 'Authorized', 'TxCtrlr.StopTxOnEVSideDisconnect': false },
        'Updated:EVCommunicationLost',
        'Idle',
      ],
      [{ ...base, 'TxCtrlr.TxStopPoint': 'EVConnected' }, 'Ended:EVCommunicationLost', 'Idle'],
    ] as const;
    for (const [i, [variables, expected, state]] of cases.entries()) {
      const options: BootOptions = { variables, resumable: true, version: 'ocpp2.1' };
      const after = await restart(await runningOffline(file(`${i}.db`), options), file(`${i}.db`), options);
      assert.is(kinds(after.events()).at(-1), 'Updated:TxResumed');
      after.unplug();
      await after.deliver();
      const e = after.events().at(-1);
      assert.equal([kinds([e])[0], e.transactionInfo.chargingState], [expected, state]);
      if (e.eventType === 'Ended') assert.is(e.transactionInfo.stoppedReason, 'EVDisconnected');
      after.power();
    }
  }));

test("E17.FR.18 E17.FR.11 2.1 with EnergyTransferResumptionRandomRange energy that flowed resumes after a random delay of at most the range (the shell's timers), different from station to station; the TxResumed event still says Charging", () =>
  withFiles(async (file) => {
    const RANGE_S = 30;
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const options = {
        ...v21({
          'TxCtrlr.ResumptionTimeout': 60,
          'TxCtrlr.AllowEnergyTransferResumption': true,
          'TxCtrlr.EnergyTransferResumptionRandomRange': RANGE_S,
        }),
        components: [resumptionRangeComponent],
      };
      const clock = new ManualClock(T0);
      const before = await runningOffline(file(`${i}.db`), { ...options, clock });
      // The stations come back at moments a few ms apart (their transactions here all have the id tx-1).
      const after = await restart(before, file(`${i}.db`), { ...options, clock: new ManualClock(T0 + 5_000 + 7 * i) });
      const resumed = after.events().at(-1);
      assert.equal([resumed.triggerReason, resumed.transactionInfo.chargingState], ['TxResumed', 'Charging']);
      const started = () => after.hardware.some((h) => h.op === 'startCharging');
      let waited = 0;
      while (!started() && waited <= RANGE_S) {
        await after.clock.advance(1_000);
        await after.settle();
        waited++;
      }
      assert.ok(started(), `energy resumed within ${RANGE_S} s`);
      assert.equal(after.hardware, [{ op: 'startCharging', args: [1, 1] }]);
      delays.push(waited);
      after.power();
    }
    assert.ok(
      delays.every((d) => d >= 0 && d <= RANGE_S),
      String(delays),
    );
    assert.ok(new Set(delays).size > 1, `the delays differ: ${delays}`);
    assert.ok(
      delays.some((d) => d > 0),
      'energy did not resume at once everywhere',
    );
  }));

test('E17.FR.18 the random delay is a whole number of seconds within the range, spread over it', () => {
  const draws = Array.from({ length: 200 }, (_, i) => resumptionDelayS(`tx-${i}:${T0}`, 10));
  assert.ok(draws.every((d) => Number.isInteger(d) && d >= 0 && d <= 10));
  assert.is(new Set(draws).size, 11, 'every second of the range occurs');
  assert.is(resumptionDelayS('any', 0), 0);
});

test('E17.FR.16 E17.FR.17 2.1 the integrator says at the start that the EV left during the interruption (pluggedConnectors): TxStopPoint not met: TxResumed in Idle, no energy; met: TxResumed, then the transaction ends as on a disconnection (E06)', () =>
  withFiles(async (file) => {
    const base = { 'TxCtrlr.ResumptionTimeout': 60, 'TxCtrlr.AllowEnergyTransferResumption': true };
    const cases = [
      [
        { ...base, 'TxCtrlr.TxStopPoint': 'Authorized', 'TxCtrlr.StopTxOnEVSideDisconnect': false },
        // Resumed as Idle, then the disconnection's own report (E10: the EV has EVConnectionTimeOut to come back).
        ['Updated:TxResumed', 'Updated:EVCommunicationLost'],
      ],
      [{ ...base, 'TxCtrlr.TxStopPoint': 'EVConnected' }, ['Updated:TxResumed', 'Ended:EVCommunicationLost']],
    ] as const;
    for (const [i, [variables, expected]] of cases.entries()) {
      const options: BootOptions = { variables, resumable: true, version: 'ocpp2.1' };
      const before = await runningOffline(file(`${i}.db`), options);
      const seen = before.events().length;
      const after = await restart(before, file(`${i}.db`), { ...options, plugged: [] });
      const events = after.events().slice(seen + 2); // after Started and the Charging update
      assert.equal(kinds(events), [...expected], String(i));
      assert.is(events[0].transactionInfo.chargingState, 'Idle', 'E17.FR.16: resumed as Idle');
      const ended = events.find((e) => e.eventType === 'Ended');
      if (ended) assert.is(ended.transactionInfo.stoppedReason, 'EVDisconnected');
      assert.not.ok(
        after.hardware.some((h) => h.op === 'startCharging'),
        'no energy to an EV that left',
      );
      after.power();
    }
    // The EV still there by the integrator's word: resumed in the state it had (E17.FR.11).
    const options: BootOptions = { variables: base, resumable: true, version: 'ocpp2.1' };
    const after = await restart(await runningOffline(file('still.db'), options), file('still.db'), {
      ...options,
      plugged: [{ evseId: 1, connectorId: 1 }],
    });
    assert.is(after.events().at(-1).transactionInfo.chargingState, 'Charging');
    after.power();
  }));

test.run();
