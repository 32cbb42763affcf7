// 2.1 B13 Reset ImmediateAndResume with a transaction running, over real sockets against the built-in CSMS and a
// real SQLite file: the station reports the reset (ResetCommand), stops energy, reboots (its shell and queue torn
// down and started again on the same store), and resumes the transaction from the stored state (TxResumed). Also
// the connector lock around the reboot (B13.FR.20/22) and a restart whose EV left meanwhile (E17.FR.16).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

function with21(options: TxPairOptions, body: (p: TxPair) => Promise<void>) {
  return withTxPair(
    {
      ...options,
      csms: { versions: ['ocpp2.1'] },
      station: { versions: ['ocpp2.1'], ...options.station },
      variables: { 'TxCtrlr.ResumptionTimeout': 60, ...options.variables },
    },
    body,
  );
}

const actions = (p: TxPair) => p.csms.received(p.identity).map((m) => m.action);

test('B13.FR.03 B13.FR.04 B13.FR.20 B13.FR.21 B13.FR.23 B13.FR.25 B13.FR.30 ImmediateAndResume during a transaction: Accepted, ResetCommand, energy stops, reboot, then TxResumed in SuspendedEVSE (no AllowEnergyTransferResumption)', async () => {
  await with21({}, async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    const boots = p.sent('BootNotification').length;
    assert.equal(await p.call('Reset', { type: 'ImmediateAndResume' }), { status: 'Accepted' });
    // B13.FR.04
    const told = await p.waitTx((r) => r.triggerReason === 'ResetCommand');
    assert.equal([told.eventType, told.transactionInfo.transactionId], ['Updated', transactionId]);
    // B13.FR.21: a reboot (BootNotification RemoteReset).
    const boot = await p.waitFor('BootNotification', (m: any) => m.request.reason === 'RemoteReset', 5000);
    assert.ok(p.sent('BootNotification').length > boots);
    assert.ok(boot);
    // B13.FR.20: energy stopped before the reset.
    const stop = p.hw.findIndex((c) => c.op === 'stopCharging');
    const reset = p.hw.findIndex((c) => c.op === 'reset');
    assert.ok(stop >= 0 && stop < reset, 'stopCharging before the reset callback');
    // B13.FR.23/30: the same transaction, resumed; B13.FR.25: no energy without AllowEnergyTransferResumption.
    const resumed = await p.waitTx((r) => r.triggerReason === 'TxResumed', 5000);
    assert.equal(
      [resumed.eventType, resumed.transactionInfo.transactionId, resumed.transactionInfo.chargingState],
      ['Updated', transactionId, 'SuspendedEVSE'],
    );
    const log = actions(p);
    assert.ok(log.lastIndexOf('BootNotification') < log.lastIndexOf('TransactionEvent'), 'TxResumed after the reboot');
    assert.not.ok(
      p.hw.slice(reset).some((c) => c.op === 'startCharging'),
      'no energy after the reboot',
    );
    assert.is(p.tx().filter((r) => r.eventType === 'Ended').length, 0, 'not ended');
    const seqNos = p.tx().map((r) => r.seqNo);
    assert.equal(
      seqNos,
      seqNos.map((_, i) => i),
      'contiguous seqNo across the reboot',
    );
    // It goes on: the driver stops it as usual.
    p.station.stopTransaction(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.is(ended.transactionInfo.transactionId, transactionId);
  });
});

test('B13.FR.23 B13.FR.24 B13.FR.30 a reboot that takes longer than ResumptionTimeout still resumes the transaction; with AllowEnergyTransferResumption energy flows again (Charging)', async () => {
  await with21(
    {
      variables: { 'TxCtrlr.ResumptionTimeout': 1, 'TxCtrlr.AllowEnergyTransferResumption': true },
      station: {
        hardware: {
          // The device reboots for 1.5 s: longer than the 1 s ResumptionTimeout (E17 would end the transaction).
          reset: () => new Promise<void>((resolve) => setTimeout(resolve, 1500)),
        },
      },
    },
    async (p) => {
      const transactionId = await states.energyTransferStarted(p);
      assert.equal(await p.call('Reset', { type: 'ImmediateAndResume' }), { status: 'Accepted' });
      await p.waitTx((r) => r.triggerReason === 'ResetCommand');
      const stopped = p.hw.map((c) => c.op).lastIndexOf('stopCharging');
      const resumed = await p.waitTx((r) => r.triggerReason === 'TxResumed', 8000);
      assert.equal(
        [resumed.transactionInfo.transactionId, resumed.transactionInfo.chargingState],
        [transactionId, 'Charging'],
      );
      assert.ok(
        p.hw.slice(stopped).some((c) => c.op === 'startCharging'),
        'energy again after the reboot (B13.FR.24)',
      );
      assert.is(p.tx().filter((r) => r.eventType === 'Ended').length, 0, 'not ended as after a power loss');
    },
  );
});

const TWO = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

for (const allow of [false, true])
  test(`${allow ? 'B13.FR.13' : 'B13.FR.10 B13.FR.11 B13.FR.12 B13.FR.14 B13.FR.30'} ImmediateAndResume of EVSE 1 during its transaction: ResetCommand, energy stops, the EVSE reset (no reboot, longer than ResumptionTimeout), TxResumed ${allow ? 'Charging, energy again (AllowEnergyTransferResumption)' : 'SuspendedEVSE'}`, async () => {
    const evseResets: number[] = [];
    await with21(
      {
        evses: TWO,
        variables: { 'TxCtrlr.ResumptionTimeout': 1, 'TxCtrlr.AllowEnergyTransferResumption': allow },
        station: {
          hardware: {
            // The EVSE resets for 1.5 s, longer than the 1 s ResumptionTimeout: resumed anyway (B13.FR.12).
            resetEvse: (evseId) => {
              evseResets.push(evseId);
              return new Promise<void>((resolve) => setTimeout(resolve, 1500));
            },
          },
        },
      },
      async (p) => {
        const transactionId = await states.energyTransferStarted(p);
        const boots = p.sent('BootNotification').length;
        assert.equal(await p.call('Reset', { type: 'ImmediateAndResume', evseId: 1 }), { status: 'Accepted' });
        const told = await p.waitTx((r) => r.triggerReason === 'ResetCommand');
        assert.equal([told.eventType, told.transactionInfo.transactionId], ['Updated', transactionId]);
        const resumed = await p.waitTx((r) => r.triggerReason === 'TxResumed', 5000);
        // B13.FR.10/11: energy stopped, the EVSE reset by the firmware, no reboot of the station.
        assert.equal(evseResets, [1]);
        assert.ok(p.hw.some((c) => c.op === 'stopCharging' && c.args[0] === 1));
        assert.is(p.sent('BootNotification').length, boots, 'no reboot');
        assert.equal(
          [resumed.eventType, resumed.transactionInfo.transactionId, resumed.transactionInfo.chargingState],
          ['Updated', transactionId, allow ? 'Charging' : 'SuspendedEVSE'],
        );
        const stopped = p.hw.map((c) => c.op).lastIndexOf('stopCharging');
        assert.is(
          p.hw.slice(stopped).some((c) => c.op === 'startCharging'),
          allow,
          'energy again only with AllowEnergyTransferResumption',
        );
        assert.is(p.tx().filter((r) => r.eventType === 'Ended').length, 0);
      },
    );
  });

test('B13.FR.01 B13.FR.03 ImmediateAndResume with a transaction on a station that may come back speaking 2.0.1 (no TxResumed): Rejected TxInProgress, the transaction untouched', async () => {
  await withTxPair(
    {
      csms: { versions: ['ocpp2.1'] },
      station: { versions: ['ocpp2.1', 'ocpp2.0.1'] },
      // Not a 2.0.1 variable: configured with its type.
      deviceModel: {
        components: [
          {
            name: 'TxCtrlr',
            variables: [{ name: 'ResumptionTimeout', value: 60, dataType: 'integer', mutability: 'ReadWrite' }],
          },
        ],
      },
    },
    async (p) => {
      await states.energyTransferStarted(p);
      assert.equal(await p.call('Reset', { type: 'ImmediateAndResume' }), {
        status: 'Rejected',
        statusInfo: { reasonCode: 'TxInProgress' },
      });
      assert.not.ok(p.tx().some((r) => r.triggerReason === 'ResetCommand'));
    },
  );
});

/** Hardware calls from `from` on, as `op evse/connector`, for the ones a relock test follows. */
const relockOps = (p: TxPair, from = 0) =>
  p.hw
    .slice(from)
    .filter((c) => ['stopCharging', 'unlockConnector', 'reset', 'lockConnector', 'startCharging'].includes(c.op))
    .map((c) => c.op);

function withLock(locks: boolean, fixedCable: boolean, body: (p: TxPair) => Promise<void>) {
  let hw: TxPair['hw'] = [];
  return with21(
    {
      evses: [{ id: 1, connectors: [{ id: 1, fixedCable }] }],
      variables: { 'TxCtrlr.AllowEnergyTransferResumption': true },
      station: {
        hardware: {
          lockConnector: (evseId, connectorId) => (
            hw.push({ op: 'lockConnector', args: [evseId, connectorId] }),
            locks
          ),
        },
      },
    },
    async (p) => {
      hw = p.hw;
      await body(p);
    },
  );
}

test('B13.FR.20 B13.FR.22 B13.FR.24 with lockConnector: the cable is unlocked after energy stops and before the reboot, locked again after it, and only then does energy flow', async () => {
  await withLock(true, false, async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    const from = p.hw.length;
    assert.equal(await p.call('Reset', { type: 'ImmediateAndResume' }), { status: 'Accepted' });
    const resumed = await p.waitTx((r) => r.triggerReason === 'TxResumed', 5000);
    assert.is(resumed.transactionInfo.transactionId, transactionId);
    await until('energy again', () => p.hw.slice(from).some((c) => c.op === 'startCharging'));
    assert.equal(relockOps(p, from), ['stopCharging', 'unlockConnector', 'reset', 'lockConnector', 'startCharging']);
    assert.equal(
      p.hw.slice(from).find((c) => c.op === 'lockConnector'),
      { op: 'lockConnector', args: [1, 1] },
    );
  });
});

test('B13.FR.22 a cable that does not lock again after the reboot: no energy, taken as a failed retention lock (G05.FR.01)', async () => {
  await withLock(false, false, async (p) => {
    await states.energyTransferStarted(p);
    const from = p.hw.length;
    assert.equal(await p.call('Reset', { type: 'ImmediateAndResume' }), { status: 'Accepted' });
    await p.waitTx((r) => r.triggerReason === 'TxResumed', 5000);
    await until('the lock', () => p.hw.slice(from).some((c) => c.op === 'lockConnector'));
    // The failure was taken as a failed retention lock: when the cable comes out, the lock problem is cleared
    // (G05's NotifyEvent Problem false, which follows only a recorded failure; the one at the start went nowhere: the
    // station was not connected yet). No energy in between (G05.FR.01).
    const atUnplug = p.hw.length;
    states.evDisconnected(p);
    const cleared = await p.waitFor('NotifyEvent', (m: any) =>
      m.request.eventData.some(
        (e: any) =>
          e.component.name === 'ConnectorPlugRetentionLock' &&
          e.variable.name === 'Problem' &&
          e.actualValue === 'false',
      ),
    );
    assert.ok(cleared);
    assert.equal(
      p.hw
        .slice(from, atUnplug)
        .map((c) => c.op)
        .filter((op) => op !== 'setChargingLimit'),
      ['stopCharging', 'unlockConnector', 'reset', 'lockConnector'],
    );
    assert.not.ok(p.hw.slice(atUnplug).some((c) => c.op === 'startCharging'));
  });
});

test('B13.FR.20 a fixed cable is neither unlocked nor locked for the reset', async () => {
  await withLock(true, true, async (p) => {
    await states.energyTransferStarted(p);
    const from = p.hw.length;
    assert.equal(await p.call('Reset', { type: 'ImmediateAndResume' }), { status: 'Accepted' });
    await p.waitTx((r) => r.triggerReason === 'TxResumed', 5000);
    await until('energy again', () => p.hw.slice(from).some((c) => c.op === 'startCharging'));
    assert.equal(relockOps(p, from), ['stopCharging', 'reset', 'startCharging']);
  });
});

async function until(what: string, ok: () => boolean) {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), `never: ${what}`);
}

test('E17.FR.16 over sockets: a power cut during which the EV left; at the restart hardware.pluggedConnectors says no cable is in: the transaction resumes (TxResumed) as Idle, without energy', async () => {
  let plugged = [{ evseId: 1, connectorId: 1 }];
  await with21(
    {
      variables: {
        'TxCtrlr.AllowEnergyTransferResumption': true,
        'TxCtrlr.StopTxOnEVSideDisconnect': false,
        'TxCtrlr.TxStopPoint': 'Authorized',
      },
      station: { hardware: { pluggedConnectors: () => plugged } },
    },
    async (p) => {
      const transactionId = await states.energyTransferStarted(p);
      plugged = [];
      const from = p.hw.length;
      await p.restart();
      const resumed = await p.waitTx((r) => r.triggerReason === 'TxResumed', 5000);
      assert.equal(
        [resumed.transactionInfo.transactionId, resumed.transactionInfo.chargingState],
        [transactionId, 'Idle'],
      );
      assert.not.ok(
        p.hw.slice(from).some((c) => c.op === 'startCharging'),
        'no energy: the EV is gone',
      );
    },
  );
});

test.run();
