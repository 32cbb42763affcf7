// 2.1 K18–K20 over real sockets: smart charging with an ISO 15118-20 EV in ScheduledControl or DynamicControl, as
// far as the station's side of OCPP goes. The integrator's 15118-20 stack reports the EV's needs and schedule
// (evChargingNeeds, evChargingSchedule, evChargingScheduleSelected) and is given the CSMS's answer, the schedules
// for ScheduleExchangeRes and, in DynamicControl, the limit to steer the charge loop to (evChargingNeedsAnswered,
// offerEvChargingSchedules, setChargingLimit). The test stands in for the stack; the CSMS is the built-in one on 2.1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/rpc-harness.js';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

const v21: TxPairOptions = { csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } };

const departure = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** ISO 15118-20 charging needs: V2X parameters, no AC/DC ones (K18.FR.06, K19.FR.06). */
const needs20 = (controlMode: 'ScheduledControl' | 'DynamicControl', goal: { hours?: number; wh?: number } = {}) => ({
  requestedEnergyTransfer: 'AC_three_phase' as const,
  controlMode,
  departureTime: departure(goal.hours ?? 4),
  v2xChargingParameters: { maxChargePower: 22_000, minChargePower: 1_400, evTargetEnergyRequest: goal.wh ?? 20_000 },
});

const schedule = (id: number, limit: number, extra: Record<string, unknown> = {}) => ({
  id,
  chargingRateUnit: 'A' as const,
  chargingSchedulePeriod: [{ startPeriod: 0, limit }],
  ...extra,
});

/** An optional price schedule of the CSMS (K18.FR.07, K19.FR.07), for the EV's ScheduleExchangeRes. */
const prices = {
  priceLevelSchedule: {
    timeAnchor: departure(0),
    priceScheduleId: 7,
    numberOfPriceLevels: 2,
    priceLevelScheduleEntries: [
      { duration: 3600, priceLevel: 1 },
      { duration: 3600, priceLevel: 0 },
    ],
  },
};

const txProfile = (id: number, stackLevel: number, transactionId: string, schedules: unknown[]) => ({
  id,
  stackLevel,
  chargingProfilePurpose: 'TxProfile',
  chargingProfileKind: 'Relative',
  transactionId,
  chargingSchedule: schedules,
});

type Offer = [evseId: number, schedules: any[], reason: string];
const offers = (p: TxPair): Offer[] =>
  p.hw.filter((h) => h.op === 'offerEvChargingSchedules').map((h) => h.args as unknown as Offer);
const answers = (p: TxPair) => p.hw.filter((h) => h.op === 'evChargingNeedsAnswered').map((h) => h.args);
const lastLimit = (p: TxPair, evseId = 1) => p.limits.filter(([e]) => e === evseId).at(-1)?.[1].limit;
const needsSent = (p: TxPair) => p.sent('NotifyEVChargingNeeds').map((m) => m.request as any);

/** A transaction with an ISO 15118-20 EV whose needs the CSMS answers `status`; resolves with the transactionId. */
async function session20(p: TxPair, needs: ReturnType<typeof needs20>, status = 'Accepted'): Promise<string> {
  p.csms.respond('NotifyEVChargingNeeds', () => ({ status }));
  const transactionId = await states.energyTransferStarted(p);
  p.station.evChargingNeeds(1, needs, { maxScheduleTuples: 12 });
  await until(() => answers(p).length === 1);
  return transactionId;
}

async function setProfile(p: TxPair, profile: unknown) {
  assert.equal(await p.call('SetChargingProfile', { evseId: 1, chargingProfile: profile }), { status: 'Accepted' });
}

test('K18.FR.01 K18.FR.06 K19.FR.01 K19.FR.06 ISO 15118-20 needs reach the CSMS with their controlMode and V2X parameters; -20 needs with AC/DC parameters, or without V2X ones, are refused at the API', async () => {
  await withTxPair(v21, async (p) => {
    p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Accepted' }));
    await states.energyTransferStarted(p);
    const scheduled = needs20('ScheduledControl');
    p.station.evChargingNeeds(1, scheduled);
    const first = await p.waitFor('NotifyEVChargingNeeds');
    assert.equal((first.request as any).chargingNeeds, scheduled);
    const ac = { energyAmount: 20_000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 };
    assert.throws(() => p.station.evChargingNeeds(1, { ...scheduled, acChargingParameters: ac }), /K18\.FR\.06/);
    const { v2xChargingParameters: _v2x, ...bare } = needs20('DynamicControl');
    assert.throws(() => p.station.evChargingNeeds(1, { ...bare, acChargingParameters: ac }), /K19\.FR\.06/);
    const dynamic = needs20('DynamicControl');
    p.station.evChargingNeeds(1, dynamic);
    const second = await p.waitFor(
      'NotifyEVChargingNeeds',
      (m: any) => m.request.chargingNeeds.controlMode === 'DynamicControl',
    );
    assert.equal((second.request as any).chargingNeeds, dynamic);
    assert.is(needsSent(p).length, 2, 'the refused needs were not sent');
  });
});

test("K18.FR.20 K18.FR.09 K18.FR.10 K18.FR.14 K18.FR.19 ScheduledControl: the CSMS's schedules (with the price schedule) go to the stack; the EV's power profile is checked against the schedule it selected and sent with its id, and once accepted limits the hardware; without a power profile the selected schedule goes", async () => {
  await withTxPair(v21, async (p) => {
    const transactionId = await session20(p, needs20('ScheduledControl'));
    const csms = [schedule(1, 16, prices), schedule(2, 10)];
    await setProfile(p, txProfile(10, 1, transactionId, csms));
    // K18.FR.20: the stack returns them to the EV in ScheduleExchangeRes.
    await until(() => offers(p).length === 1);
    assert.equal(offers(p)[0], [1, csms, 'csms']);
    // K18.FR.09: 14 A is within schedule 1 (the first, in force) but not within schedule 2, which the EV selected.
    p.station.evChargingSchedule(1, schedule(30, 14), { selectedChargingScheduleId: 2 });
    await until(() => offers(p).length === 2);
    assert.is(offers(p)[1]![2], 'renegotiation');
    assert.is(p.sent('NotifyEVChargingSchedule').length, 0, 'not sent to the CSMS');
    // K18.FR.10: within the selected schedule: sent, with its id; K18.FR.14: accepted, it is the EV's limit.
    p.station.evChargingSchedule(1, schedule(31, 8), { selectedChargingScheduleId: 2 });
    const sent = (await p.waitFor('NotifyEVChargingSchedule')).request as any;
    assert.equal([sent.selectedChargingScheduleId, sent.chargingSchedule], [2, schedule(31, 8)]);
    await until(() => lastLimit(p) === 8);
    // K18.FR.19: the EV selected schedule 1 and returned no power profile: schedule 1 goes as the EV's.
    p.station.evChargingScheduleSelected(1, 1);
    const selected = (
      await p.waitFor('NotifyEVChargingSchedule', (m: any) => m.request.selectedChargingScheduleId === 1)
    ).request as any;
    assert.equal(selected.chargingSchedule, csms[0]);
  });
});

test("K19.FR.09 K19.FR.10 K20.FR.03 K20.FR.04 K20.FR.01 DynamicControl: the CSMS's schedule and price schedule go to the stack; the EV's power profile is disregarded for the CSMS's; a new TxProfile is steered in the charge loop (setChargingLimit), not renegotiated, and the EV's new departure time goes to the CSMS", async () => {
  await withTxPair(v21, async (p) => {
    const transactionId = await session20(p, needs20('DynamicControl'));
    const csms = schedule(5, 12, prices);
    await setProfile(p, txProfile(10, 1, transactionId, [csms]));
    // K19.FR.09: the price schedule, with the schedule, for ScheduleExchangeRes.
    await until(() => offers(p).length === 1);
    assert.equal(offers(p)[0], [1, [csms], 'csms']);
    await until(() => lastLimit(p) === 12);
    // K19.FR.10: the EV's power profile (beyond the schedule, even) is not what the CSMS gets: its own schedule is.
    p.station.evChargingSchedule(1, schedule(40, 30), { selectedChargingScheduleId: 40 });
    const sent = (await p.waitFor('NotifyEVChargingSchedule')).request as any;
    assert.equal([sent.selectedChargingScheduleId, sent.chargingSchedule], [5, csms]);
    // K20.FR.04: the CSMS's new schedule: the stack steers the EV to the limit in force; no renegotiation.
    const lower = schedule(6, 8);
    await setProfile(p, txProfile(11, 2, transactionId, [lower]));
    await until(() => offers(p).length === 2 && lastLimit(p) === 8);
    assert.equal(offers(p)[1], [1, [lower], 'dynamic']);
    // K20.FR.01: the EV's new departure time goes to the CSMS.
    const later = needs20('DynamicControl', { hours: 6 });
    p.station.evChargingNeeds(1, later);
    const again = await p.waitFor(
      'NotifyEVChargingNeeds',
      (m: any) => m.request.chargingNeeds.departureTime === later.departureTime,
    );
    assert.equal((again.request as any).chargingNeeds, later);
  });
});

test('K20.FR.01 K20.FR.02 ScheduledControl: right after the CSMS renegotiated, needs with a new target energy still go to the CSMS (not taken as the answer to the renegotiation), and its next TxProfile answers them as in K17', async () => {
  await withTxPair(v21, async (p) => {
    const transactionId = await session20(p, needs20('ScheduledControl'));
    await setProfile(p, txProfile(10, 1, transactionId, [schedule(1, 16)]));
    await setProfile(p, txProfile(11, 2, transactionId, [schedule(2, 12)]));
    await until(() => offers(p).length === 2);
    assert.is(offers(p)[1]![2], 'renegotiation');
    const more = needs20('ScheduledControl', { wh: 30_000 });
    p.station.evChargingNeeds(1, more);
    const sent = await p.waitFor(
      'NotifyEVChargingNeeds',
      (m: any) => m.request.chargingNeeds.v2xChargingParameters.evTargetEnergyRequest === 30_000,
    );
    assert.equal((sent.request as any).chargingNeeds, more);
    // K20.FR.02 (K17.FR.07): the CSMS's schedule for the new needs is offered as the answer to them.
    await setProfile(p, txProfile(12, 3, transactionId, [schedule(3, 10)]));
    await until(() => offers(p).length === 3);
    assert.equal(offers(p)[2], [1, [schedule(3, 10)], 'csms']);
  });
});

test('K18.FR.15 ScheduledControl: the CSMS answers NoChargingProfile: the stack hears it, and the EV is offered the TxDefaultProfile within the composite schedule', async () => {
  await withTxPair(v21, async (p) => {
    const txDefault = {
      id: 100,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: [schedule(1, 13)],
    };
    assert.equal(await p.call('SetChargingProfile', { evseId: 0, chargingProfile: txDefault }), {
      status: 'Accepted',
    });
    await session20(p, needs20('ScheduledControl'), 'NoChargingProfile');
    await until(() => offers(p).length === 1);
    assert.equal(answers(p), [[1, { status: 'NoChargingProfile' }]]);
    assert.is(offers(p)[0]![2], 'local');
    assert.is(offers(p)[0]![1][0].chargingSchedulePeriod[0].limit, 13);
  });
});

test('K19.FR.11 K19.FR.14 K18.FR.21 K20.FR.05 offline: -20 needs (and new ones) are queued with the time the EV gave them, and the EV is offered the local schedule meanwhile', async () => {
  await withTxPair({ ...v21, variables: { 'OCPPCommCtrlr.QueueAllMessages': true } }, async (p) => {
    p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Accepted' }));
    await states.energyTransferStarted(p);
    await p.csmsDown();
    await until(() => !p.station.connected);
    const before = Date.now();
    p.station.evChargingNeeds(1, needs20('DynamicControl'));
    // K19.FR.11: the station's own schedule (no TxDefaultProfile: the EVSE's maximum).
    await until(() => offers(p).length === 1);
    assert.equal([offers(p)[0]![2], offers(p)[0]![1][0].chargingSchedulePeriod[0].limit], ['local', 31.8]);
    p.station.evChargingNeeds(1, needs20('ScheduledControl', { hours: 5 }));
    p.csmsUp();
    await until(() => needsSent(p).length === 2, 15_000);
    const after = Date.now();
    for (const sent of needsSent(p)) {
      const timestamp = Date.parse(sent.timestamp);
      assert.ok(timestamp >= before - 1000 && timestamp <= after, `${sent.timestamp} when the EV gave the needs`);
    }
    assert.equal(
      needsSent(p).map((r) => r.chargingNeeds.controlMode),
      ['DynamicControl', 'ScheduledControl'],
    );
  });
});

/** The CSMS Rejects the needs: the transaction ends (AbnormalCondition, ReqEnergyTransferRejected). */
async function rejectedNeedsEnd(mode: 'ScheduledControl' | 'DynamicControl') {
  await withTxPair(v21, async (p) => {
    const transactionId = await session20(p, needs20(mode), 'Rejected');
    const ended = await p.waitTx((t) => t.eventType === 'Ended' && t.transactionInfo.transactionId === transactionId);
    assert.equal(
      [ended.triggerReason, ended.transactionInfo.stoppedReason],
      ['AbnormalCondition', 'ReqEnergyTransferRejected'],
    );
  });
}

// Literal names: the status table reads the requirement IDs from them.
test('K18.FR.23 ScheduledControl: the CSMS Rejects the needs: the transaction ends (AbnormalCondition, ReqEnergyTransferRejected)', () =>
  rejectedNeedsEnd('ScheduledControl'));
test('K19.FR.16 DynamicControl: the CSMS Rejects the needs: the transaction ends (AbnormalCondition, ReqEnergyTransferRejected)', () =>
  rejectedNeedsEnd('DynamicControl'));

test.run();
