// E03, E05, E07–E10, F01–F03 as flows: authorization before the EV, EVConnectionTimeOut, the CSMS refusing an
// idToken during a transaction (StopTxOnInvalidId, MaxEnergyOnInvalidId), stopping by a group member, EV-side
// disconnects, remote start and stop, forced ends. The real queue underneath; the stand-in for block C answers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { UseCase } from '../../runtime/station/core/types.js';
import { kinds, tok, txDriver } from '../support/tx-driver.js';

const invalid = (p: any) =>
  p.idToken ? { idTokenInfo: { status: p.idToken.idToken === 'A' ? 'Invalid' : 'Accepted' } } : {};

test('E03.FR.01 E03.FR.05 idToken first, no EV within EVConnectionTimeOut: Ended with EVConnectTimeout / Timeout', async () => {
  const d = txDriver({
    variables: {
      'TxCtrlr.TxStartPoint': 'Authorized',
      'TxCtrlr.TxStopPoint': 'EVConnected',
      'TxCtrlr.EVConnectionTimeOut': 30,
    },
  });
  await d.goOnline();
  d.token('A');
  await d.deliver();
  await d.clock.advance(29_999);
  await d.deliver();
  assert.equal(kinds(d.events()), ['Started:Authorized']);
  assert.equal(d.events()[0].idToken, tok('A'));
  await d.clock.advance(1);
  await d.deliver();
  const ended = d.events()[1];
  assert.equal(
    [ended.eventType, ended.triggerReason, ended.transactionInfo.stoppedReason],
    ['Ended', 'EVConnectTimeout', 'Timeout'],
  );
});

test('E03.FR.15 F02.FR.08 TxStopPoint ParkingBayOccupancy: the timeout deauthorizes (Updated); the transaction ends when the EV leaves', async () => {
  const d = txDriver({
    variables: {
      'TxCtrlr.TxStartPoint': 'ParkingBayOccupancy',
      'TxCtrlr.TxStopPoint': 'ParkingBayOccupancy',
      'TxCtrlr.EVConnectionTimeOut': 10,
    },
  });
  await d.goOnline();
  d.fire({ type: 'parkingBay', evseId: 1, occupied: true });
  d.token('A');
  await d.clock.advance(10_000);
  d.plug();
  d.fire({ type: 'parkingBay', evseId: 1, occupied: false });
  await d.deliver();
  assert.equal(kinds(d.events()), [
    'Started:EVDetected',
    'Updated:Authorized',
    'Updated:EVConnectTimeout',
    'Updated:CablePluggedIn',
    'Ended:EVDeparted',
  ]);
  assert.is(d.events().at(-1).transactionInfo.stoppedReason, 'Timeout');
  assert.equal(
    d.hardware.filter((h) => h.op === 'startCharging'),
    [],
    'no energy after the timeout (TC_E_39_CS)',
  );
});

test('E03 connecting within EVConnectionTimeOut cancels it', async () => {
  const d = txDriver({ variables: { 'TxCtrlr.TxStartPoint': 'Authorized', 'TxCtrlr.EVConnectionTimeOut': 10 } });
  await d.goOnline();
  d.token('A');
  await d.clock.advance(9_000);
  d.plug();
  await d.clock.advance(60_000);
  await d.deliver();
  assert.equal(kinds(d.events()), ['Started:Authorized', 'Updated:CablePluggedIn']);
  assert.equal(d.hardware.at(-1), { op: 'startCharging', args: [1, 1] });
});

test('E05.FR.10 E06.FR.04 E05.FR.11 StopTxOnInvalidId, TxStopPoint Authorized: the CSMS refuses the idToken, the transaction ends (Deauthorized / DeAuthorized) and the cable stays locked for its owner', async () => {
  const d = txDriver({ variables: { 'TxCtrlr.StopTxOnInvalidId': true, 'TxCtrlr.TxStopPoint': 'Authorized' } });
  await d.goOnline();
  d.plug();
  d.token('A');
  await d.deliver(invalid);
  const ended = d.events()[1];
  assert.equal(
    [ended.eventType, ended.triggerReason, ended.transactionInfo.stoppedReason],
    ['Ended', 'Deauthorized', 'DeAuthorized'],
  );
  assert.equal(
    d.hardware.map((h) => h.op),
    ['startCharging', 'stopCharging'],
    'not unlocked',
  );
  d.token('A'); // the owner comes back
  await d.settle();
  assert.equal(d.hardware.at(-1), { op: 'unlockConnector', args: [1, 1] });
});

test('E05.FR.09 StopTxOnInvalidId, TxStopPoint EVConnected: deauthorized (Updated Deauthorized, chargingState EVConnected), ended at unplug with DeAuthorized', async () => {
  const d = txDriver({
    variables: {
      'TxCtrlr.StopTxOnInvalidId': true,
      'TxCtrlr.TxStopPoint': 'EVConnected',
      'TxCtrlr.TxStartPoint': 'EVConnected',
    },
  });
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  await d.deliver(invalid);
  assert.equal(kinds(d.events()), [
    'Started:CablePluggedIn',
    'Updated:Authorized',
    'Updated:ChargingStateChanged',
    'Updated:Deauthorized',
  ]);
  assert.is(d.events()[3].transactionInfo.chargingState, 'EVConnected');
  assert.equal(d.hardware.at(-1), { op: 'stopCharging', args: [1] });
  d.unplug();
  await d.deliver();
  assert.equal([d.events()[4].eventType, d.events()[4].transactionInfo.stoppedReason], ['Ended', 'DeAuthorized']);
});

test('E05.FR.02 StopTxOnInvalidId false, no MaxEnergyOnInvalidId: energy stops at once, ChargingStateChanged SuspendedEVSE, the transaction goes on', async () => {
  const d = txDriver({ variables: { 'TxCtrlr.StopTxOnInvalidId': false } });
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  await d.deliver(invalid);
  const last = d.events().at(-1);
  assert.equal(
    [last.eventType, last.triggerReason, last.transactionInfo.chargingState],
    ['Updated', 'ChargingStateChanged', 'SuspendedEVSE'],
  );
  assert.equal(d.hardware.at(-1), { op: 'stopCharging', args: [1] });
});

test('E05.FR.03 MaxEnergyOnInvalidId: energy may flow until that much was delivered, then SuspendedEVSE', async () => {
  const d = txDriver({ variables: { 'TxCtrlr.StopTxOnInvalidId': false, 'TxCtrlr.MaxEnergyOnInvalidId': 500 } });
  d.readings.set(1, [{ value: 10_000 }]);
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  await d.deliver(invalid);
  const before = d.events().length;
  d.meter(1, [{ value: 10_499 }]);
  await d.deliver();
  assert.is(d.events().length, before, 'below the limit: nothing changes');
  d.meter(1, [{ value: 10.5, unit: 'kWh' }]);
  await d.deliver();
  assert.is(d.events().at(-1).transactionInfo.chargingState, 'SuspendedEVSE');
  assert.equal(d.hardware.at(-1), { op: 'stopCharging', args: [1] });
});

test('E07.FR.01 E07.FR.02 E08.FR.02 another idToken with the same GroupIdToken stops the transaction and is reported in the stop event', async () => {
  const d = txDriver({ groupOf: { A: 'FAMILY', B: 'FAMILY', C: 'OTHER' } });
  await d.goOnline();
  d.plug();
  d.token('A');
  d.token('C'); // different group: nothing
  await d.deliver();
  assert.equal(kinds(d.events()), ['Started:Authorized']);
  d.token('B');
  await d.deliver();
  const ended = d.events()[1];
  assert.equal([ended.eventType, ended.triggerReason, ended.idToken], ['Ended', 'StopAuthorized', tok('B')]);
});

test('E09.FR.01 E09.FR.02 StopTxOnEVSideDisconnect with TxStopPoint Authorized: an EV-side disconnect ends the transaction (EVCommunicationLost, Idle, EVDisconnected) and unlocks', async () => {
  const d = txDriver({
    variables: {
      'TxCtrlr.TxStopPoint': 'Authorized',
      'TxCtrlr.StopTxOnEVSideDisconnect': true,
      'OCPPCommCtrlr.UnlockOnEVSideDisconnect': true,
    },
  });
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('SuspendedEV');
  d.fire({ type: 'evDisconnected', evseId: 1 });
  await d.deliver();
  const ended = d.events().at(-1);
  assert.equal(
    [ended.eventType, ended.triggerReason, ended.transactionInfo.chargingState, ended.transactionInfo.stoppedReason],
    ['Ended', 'EVCommunicationLost', 'Idle', 'EVDisconnected'],
  );
  assert.ok(d.hardware.some((h) => h.op === 'unlockConnector'));
});

test('E09.FR.01 E09.FR.03 StopTxOnEVSideDisconnect, TxStopPoint ParkingBayOccupancy: deauthorized, the EV coming back gets no energy; the cable unlocks only for its owner', async () => {
  const d = txDriver({
    variables: {
      'TxCtrlr.TxStartPoint': 'PowerPathClosed',
      'TxCtrlr.TxStopPoint': 'ParkingBayOccupancy',
      'TxCtrlr.StopTxOnEVSideDisconnect': true,
      'OCPPCommCtrlr.UnlockOnEVSideDisconnect': false,
    },
  });
  await d.goOnline();
  d.plug();
  d.token('A');
  d.fire({ type: 'evDisconnected', evseId: 1 });
  d.plug();
  await d.deliver();
  assert.equal(kinds(d.events()), ['Started:Authorized', 'Updated:EVCommunicationLost', 'Updated:CablePluggedIn']);
  assert.is(d.events()[2].transactionInfo.chargingState, 'EVConnected');
  assert.equal(
    d.hardware.map((h) => h.op),
    ['startCharging', 'stopCharging'],
    'no energy, not unlocked',
  );
});

test('E10.FR.02 E10.FR.03 StopTxOnEVSideDisconnect false: the transaction is suspended (Idle), resumes when the EV comes back, and times out if it does not', async () => {
  const d = txDriver({
    variables: {
      'TxCtrlr.TxStopPoint': 'Authorized',
      'TxCtrlr.StopTxOnEVSideDisconnect': false,
      'TxCtrlr.EVConnectionTimeOut': 20,
    },
  });
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('SuspendedEV');
  d.fire({ type: 'evDisconnected', evseId: 1 });
  d.plug();
  d.flow('Charging');
  await d.deliver();
  assert.equal(kinds(d.events()).slice(2), [
    'Updated:EVCommunicationLost',
    'Updated:CablePluggedIn',
    'Updated:ChargingStateChanged',
  ]);
  assert.equal(
    d
      .events()
      .slice(2)
      .map((e) => e.transactionInfo.chargingState),
    ['Idle', 'EVConnected', 'Charging'],
  );
  d.fire({ type: 'evDisconnected', evseId: 1 });
  await d.clock.advance(20_000);
  await d.deliver();
  const ended = d.events().at(-1);
  assert.equal(
    [ended.eventType, ended.triggerReason, ended.transactionInfo.stoppedReason],
    ['Ended', 'EVConnectTimeout', 'Timeout'],
  );
});

test('E06.FR.16 E06.FR.08 a fault ends the transaction at once: AbnormalCondition with the fault as stoppedReason', async () => {
  const d = txDriver();
  await d.goOnline();
  d.plug();
  d.token('A');
  d.fire({ type: 'transactions.stop', evseId: 1, reason: 'GroundFault' });
  await d.deliver();
  const ended = d.events().at(-1);
  assert.equal(
    [ended.eventType, ended.triggerReason, ended.transactionInfo.stoppedReason],
    ['Ended', 'AbnormalCondition', 'GroundFault'],
  );
});

test('B12.FR.04 transactions.stop ImmediateReset: Ended with ResetCommand, ImmediateReset, chargingState EVConnected and no idToken', async () => {
  const d = txDriver();
  await d.goOnline();
  d.plug();
  d.token('A');
  d.flow('Charging');
  d.fire({ type: 'transactions.stop', evseId: 0, reason: 'ImmediateReset' });
  await d.deliver();
  const ended = d.events().at(-1);
  assert.equal(
    [
      ended.eventType,
      ended.triggerReason,
      ended.transactionInfo.stoppedReason,
      ended.transactionInfo.chargingState,
      ended.idToken,
    ],
    ['Ended', 'ResetCommand', 'ImmediateReset', 'EVConnected', undefined],
  );
});

test('F01.FR.02 F01.FR.19 F01.FR.25 F02.FR.21 remote start without AuthorizeRemoteStart, cable first: the next event is RemoteStart with the idToken and remoteStartId', async () => {
  const d = txDriver({ variables: { 'TxCtrlr.TxStartPoint': 'EVConnected', 'AuthCtrlr.AuthorizeRemoteStart': false } });
  await d.goOnline();
  d.plug();
  d.fire({ type: 'remote.start', evseId: 1, idToken: tok('R'), remoteStartId: 7 });
  await d.deliver();
  const e = d.events()[1];
  assert.equal(
    [e.eventType, e.triggerReason, e.idToken, e.transactionInfo.remoteStartId],
    ['Updated', 'RemoteStart', tok('R'), 7],
  );
  assert.ok(!d.sent.some((s) => s.action === 'Authorize'));
  assert.equal(d.hardware.at(-1), { op: 'startCharging', args: [1, 1] });
});

test('F02.FR.01 F02.FR.21 F01.FR.01 remote start first with AuthorizeRemoteStart and TxStartPoint EVConnected: authorized by C, started at plug-in with RemoteStart and the remoteStartId', async () => {
  const d = txDriver({ variables: { 'TxCtrlr.TxStartPoint': 'EVConnected', 'AuthCtrlr.AuthorizeRemoteStart': true } });
  await d.goOnline();
  d.fire({ type: 'remote.start', evseId: 1, idToken: tok('R'), remoteStartId: 8 });
  await d.settle();
  assert.equal(d.events(), [], 'not started before the EV connects');
  d.plug();
  await d.deliver();
  const [started] = d.events();
  assert.equal(
    [started.eventType, started.triggerReason, started.transactionInfo.remoteStartId, started.idToken],
    ['Started', 'RemoteStart', 8, tok('R')],
  );
});

test('C03.FR.01 a Central idToken from RequestStartTransaction is not authorized again', async () => {
  const asked: string[] = [];
  const spy: UseCase<null> = {
    name: 'spy',
    init: () => null,
    on: (st, e) => (e.type === 'authorize.request' && asked.push((e as any).idToken.idToken), undefined),
  };
  const d = txDriver({ variables: { 'AuthCtrlr.AuthorizeRemoteStart': true }, before: [spy] });
  await d.goOnline();
  d.plug();
  d.fire({ type: 'remote.start', evseId: 1, idToken: { idToken: 'C1', type: 'Central' }, remoteStartId: 1 });
  d.token('LOCAL'); // the spy sees what C is asked: this one, not the Central one
  await d.deliver();
  assert.equal(asked, ['LOCAL']);
  assert.is(d.events()[0].triggerReason, 'RemoteStart');
});

test('F03.FR.02 remote stop with TxStopPoint EVConnected: Updated RemoteStop, energy stops; Ended at unplug with stoppedReason Remote', async () => {
  const d = txDriver({ variables: { 'TxCtrlr.TxStopPoint': 'EVConnected' } });
  await d.goOnline();
  d.plug();
  d.token('A');
  await d.deliver();
  d.fire({
    type: 'transactions.stop',
    evseId: 1,
    transactionId: d.events()[0].transactionInfo.transactionId,
    reason: 'Remote',
  });
  d.unplug();
  await d.deliver();
  assert.equal(kinds(d.events()), ['Started:Authorized', 'Updated:RemoteStop', 'Ended:EVCommunicationLost']);
  assert.is(d.events()[2].transactionInfo.stoppedReason, 'Remote');
  assert.ok(d.hardware.some((h) => h.op === 'stopCharging'));
});

test('F03.FR.03 remote stop with TxStopPoint Authorized: Ended at once with RemoteStop / Remote', async () => {
  const d = txDriver({ variables: { 'TxCtrlr.TxStopPoint': 'Authorized' } });
  await d.goOnline();
  d.plug();
  d.token('A');
  await d.deliver();
  d.fire({
    type: 'transactions.stop',
    evseId: 1,
    transactionId: d.events()[0].transactionInfo.transactionId,
    reason: 'Remote',
  });
  await d.deliver();
  const ended = d.events()[1];
  assert.equal(
    [ended.eventType, ended.triggerReason, ended.transactionInfo.stoppedReason],
    ['Ended', 'RemoteStop', 'Remote'],
  );
});

test('E01.FR.08 transaction ids are unique and at most 36 characters (default generator: UUIDs)', async () => {
  const { transactionsUseCase } = await import('../../runtime/station/E-transactions/transactions.js');
  const { drive } = await import('../support/shell-driver.js');
  const { acceptEveryToken } = await import('../support/authorize-stand-in.js');
  const d = drive([acceptEveryToken(), transactionsUseCase()]);
  const ids = new Set<string>();
  for (let i = 0; i < 50; i++) {
    d.dispatch({ type: 'cablePlugged', evseId: 1, connectorId: 1 });
    d.dispatch({ type: 'idTokenPresented', idToken: tok('A') });
    d.dispatch({ type: 'cableUnplugged', evseId: 1, connectorId: 1 });
  }
  for (const s of d.sent) ids.add(s.payload.transactionInfo.transactionId);
  assert.is(ids.size, 50);
  assert.ok([...ids].every((id) => id.length <= 36));
});

test('G05.FR.01 a failed connector retention lock: authorized and connected, but charging is not started', async () => {
  const { availabilityUseCase } = await import('../../runtime/station/G-availability/availability.js');
  const d = txDriver({ after: [availabilityUseCase] });
  await d.goOnline();
  d.plug();
  d.fire({ type: 'connectorLockFailed', evseId: 1, connectorId: 1 });
  d.token('A');
  await d.deliver();
  assert.is(d.events()[0].eventType, 'Started', 'the transaction is recorded');
  assert.ok(!d.hardware.some((h) => h.op === 'startCharging'), 'no energy');
});

test.run();
