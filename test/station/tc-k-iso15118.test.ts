// K15–K17 over real sockets, as far as the station's side of OCPP goes: the integrator's ISO 15118 stack reports the
// EV's charging needs and schedule (evChargingNeeds, evChargingSchedule) and is given the CSMS's answer and the
// schedules to offer the EV (hardware.evChargingNeedsAnswered, hardware.offerEvChargingSchedules). The EV itself is
// the test: it stands in for the 15118 stack, which is hardware to ocppkit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/rpc-harness.js';
import { states, withTxPair, type TxPair } from '../support/tx-pair.js';

const needs = {
  requestedEnergyTransfer: 'AC_three_phase' as const,
  acChargingParameters: { energyAmount: 20_000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 },
};

const schedule = (id: number, limit: number, extra: Record<string, unknown> = {}) => ({
  id,
  chargingRateUnit: 'A' as const,
  chargingSchedulePeriod: [{ startPeriod: 0, limit }],
  ...extra,
});

const txDefault = (limit: number) => ({
  id: 100,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Relative',
  chargingSchedule: [schedule(1, limit)],
});

const txProfile = (id: number, transactionId: string, schedules: unknown[]) => ({
  id,
  stackLevel: 1,
  chargingProfilePurpose: 'TxProfile',
  chargingProfileKind: 'Relative',
  transactionId,
  chargingSchedule: schedules,
});

type Offer = [evseId: number, schedules: any[], reason: string];
const offers = (p: TxPair): Offer[] =>
  p.hw.filter((h) => h.op === 'offerEvChargingSchedules').map((h) => h.args as unknown as Offer);
const answers = (p: TxPair) => p.hw.filter((h) => h.op === 'evChargingNeedsAnswered').map((h) => h.args);

test('TC_K_54_CS K15.FR.01 K15.FR.06 K15.FR.04 K17.FR.15 the EV needs go to the CSMS; its Rejected reaches the 15118 stack, and the EV is offered the TxDefaultProfile within the composite', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await p.call('SetChargingProfile', { evseId: 0, chargingProfile: txDefault(13) }), {
      status: 'Accepted',
    });
    await states.energyTransferStarted(p);
    p.station.evChargingNeeds(1, needs, { maxScheduleTuples: 12 });
    const sent = await p.waitFor('NotifyEVChargingNeeds');
    assert.equal(sent.request, { evseId: 1, chargingNeeds: needs, maxScheduleTuples: 12 });
    await until(() => offers(p).length === 1);
    assert.equal(answers(p), [[1, { status: 'Rejected' }]]);
    const [evseId, schedules, reason] = offers(p)[0]!;
    assert.is(evseId, 1);
    assert.is(reason, 'local');
    assert.is(schedules.length, 1);
    assert.equal(schedules[0].chargingSchedulePeriod, [{ startPeriod: 0, limit: 13, numberPhases: 3 }]);
    assert.is(schedules[0].chargingRateUnit, 'A');
  });
});

test('K15.FR.07 K01.FR.34 after the EV needs were sent a TxProfile may carry up to three schedules, and the EV is offered them; before, more than one is Rejected', async () => {
  await withTxPair({}, async (p) => {
    p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Accepted' }));
    const transactionId = await states.energyTransferStarted(p);
    const two = [schedule(1, 16), schedule(2, 10)];
    const early = await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(7, transactionId, two) });
    assert.is(early.status, 'Rejected', 'K01.FR.34: not a 15118 session yet');
    p.station.evChargingNeeds(1, needs);
    await p.waitFor('NotifyEVChargingNeeds');
    await until(() => answers(p).length === 1);
    assert.equal(answers(p), [[1, { status: 'Accepted' }]]);
    assert.is(offers(p).length, 0, 'Accepted: the CSMS sends the schedule; nothing is offered before it');
    assert.equal(await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(7, transactionId, two) }), {
      status: 'Accepted',
    });
    await until(() => offers(p).length === 1);
    assert.equal(offers(p)[0], [1, two, 'csms']);
  });
});

test('K16.FR.01 K16.FR.02 K16.FR.03 K16.FR.09 K17.FR.01 a new profile from the CSMS renegotiates: the EV is offered it, its next needs are not sent on; needs the EV raises later are', async () => {
  await withTxPair({}, async (p) => {
    p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Accepted' }));
    const transactionId = await states.energyTransferStarted(p);
    p.station.evChargingNeeds(1, needs);
    await until(() => answers(p).length === 1);
    await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(7, transactionId, [schedule(1, 16)]) });
    await until(() => offers(p).length === 1);
    // K16.FR.01: Accepted; K16.FR.02/.03: the stack renegotiates with the new schedule.
    assert.equal(
      await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(7, transactionId, [schedule(1, 8)]) }),
      { status: 'Accepted' },
    );
    await until(() => offers(p).length === 2);
    assert.equal(offers(p)[1], [1, [schedule(1, 8)], 'renegotiation']);
    // K16.FR.09: the EV answers the renegotiation with its needs: not sent, the EV gets the schedule again.
    p.station.evChargingNeeds(1, needs);
    await until(() => offers(p).length === 3);
    assert.equal(offers(p)[2], [1, [schedule(1, 8)], 'csms']);
    assert.is(p.sent('NotifyEVChargingNeeds').length, 1);
    // K17.FR.01: the EV renegotiates of its own accord: its needs go to the CSMS.
    p.station.evChargingNeeds(1, { ...needs, departureTime: '2030-01-01T00:00:00Z' });
    await until(() => p.sent('NotifyEVChargingNeeds').length === 2);
    assert.is((p.sent('NotifyEVChargingNeeds')[1]!.request as any).chargingNeeds.departureTime, '2030-01-01T00:00:00Z');
  });
});

test('K15.FR.05 the CSMS answers Processing: the EV is offered the local schedule meanwhile, and the TxProfile that follows renegotiates', async () => {
  await withTxPair({}, async (p) => {
    p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Processing' }));
    const transactionId = await states.energyTransferStarted(p);
    p.station.evChargingNeeds(1, needs);
    await until(() => offers(p).length === 1);
    assert.is(offers(p)[0]![2], 'local');
    await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(9, transactionId, [schedule(1, 12)]) });
    await until(() => offers(p).length === 2);
    assert.equal(offers(p)[1], [1, [schedule(1, 12)], 'renegotiation']);
  });
});

test('TC_K_53_CS K15.FR.09 K15.FR.10 K16.FR.04 K16.FR.05 K17.FR.09 K17.FR.10 the EV schedule goes to the CSMS when it stays within the station schedule; beyond it, it is not sent and the EV renegotiates', async () => {
  await withTxPair({}, async (p) => {
    p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Accepted' }));
    const transactionId = await states.energyTransferStarted(p);
    p.station.evChargingNeeds(1, needs);
    await until(() => answers(p).length === 1);
    await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(7, transactionId, [schedule(1, 16)]) });
    await until(() => offers(p).length === 1);
    const timeBase = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    // Over the limit: 20 A where 16 A is allowed.
    p.station.evChargingSchedule(1, schedule(1, 20), { timeBase });
    await until(() => offers(p).length === 2);
    assert.equal(offers(p)[1], [1, [schedule(1, 16)], 'renegotiation']);
    // Within it: 16 A, then 10 A after 10 minutes.
    const within = {
      id: 1,
      chargingRateUnit: 'A' as const,
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 16 },
        { startPeriod: 600, limit: 10 },
      ],
    };
    p.station.evChargingSchedule(1, within, { timeBase });
    const sent = await p.waitFor('NotifyEVChargingSchedule');
    assert.equal(sent.request, { timeBase, evseId: 1, chargingSchedule: within });
    assert.is(p.sent('NotifyEVChargingSchedule').length, 1, 'the schedule over the limit was never sent');
  });
});

test('K15.FR.21 K16.FR.14 K17.FR.18 (2.1) NotifyEVChargingSchedule names the schedule the EV selected', async () => {
  await withTxPair({ csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } }, async (p) => {
    await states.energyTransferStarted(p);
    p.station.evChargingSchedule(1, schedule(2, 10), { selectedChargingScheduleId: 2 });
    const sent = await p.waitFor('NotifyEVChargingSchedule');
    assert.is((sent.request as any).selectedChargingScheduleId, 2);
    assert.equal((sent.request as any).chargingSchedule, schedule(2, 10));
  });
});

test('K15.FR.15 offline the EV needs cannot be delivered: the stack hears there is no answer, and the EV is offered the local schedule', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    await p.csmsDown();
    await until(() => !p.station.connected);
    p.station.evChargingNeeds(1, needs);
    await until(() => offers(p).length === 1);
    assert.equal(answers(p), [[1, undefined]]);
    assert.is(offers(p)[0]![2], 'local');
    assert.is(offers(p)[0]![1][0].chargingSchedulePeriod[0].limit, 31.8);
  });
});

test('K15.FR.20 K17.FR.17 (2.1) EV needs queued offline (QueueAllMessages) carry the time they were received; the answer reaches the stack after reconnecting', async () => {
  await withTxPair(
    {
      csms: { versions: ['ocpp2.1'] },
      station: { versions: ['ocpp2.1'] },
      variables: { 'OCPPCommCtrlr.QueueAllMessages': true },
    },
    async (p) => {
      p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Accepted' }));
      await states.energyTransferStarted(p);
      await p.csmsDown();
      await until(() => !p.station.connected);
      const before = Date.now();
      p.station.evChargingNeeds(1, needs);
      await until(() => offers(p).length === 1);
      assert.is(offers(p)[0]![2], 'local', 'meanwhile the station schedule');
      p.csmsUp();
      const sent = await p.waitFor('NotifyEVChargingNeeds', undefined, 15_000);
      const timestamp = Date.parse((sent.request as any).timestamp);
      assert.ok(timestamp >= before - 1000 && timestamp <= Date.now());
      await until(() => answers(p).length === 1, 5000);
      assert.equal(answers(p), [[1, { status: 'Accepted' }]]);
    },
  );
});

test('K15.FR.06 K17.FR.06 malformed EV needs or schedules are refused at the API; the station goes on', async () => {
  await withTxPair({}, async (p) => {
    assert.throws(() => p.station.evChargingNeeds(1, { requestedEnergyTransfer: 'DC' } as any), /K15\.FR\.06/);
    assert.throws(
      () =>
        p.station.evChargingNeeds(1, {
          ...needs,
          dcChargingParameters: { evMaxCurrent: 100, evMaxVoltage: 400 },
        } as any),
      /not both/,
    );
    assert.throws(() => p.station.evChargingNeeds(9, needs), /evseId/);
    assert.throws(
      () => p.station.evChargingSchedule(1, { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [] }),
      /empty/,
    );
    p.station.evChargingNeeds(1, needs);
    await p.waitFor('NotifyEVChargingNeeds');
  });
});

test('K15.FR.01 K01.FR.34 EV needs reported before the transaction starts (a late TxStartPoint): the transaction that follows is the 15118 session, its TxProfile may carry several schedules', async () => {
  await withTxPair({}, async (p) => {
    p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Accepted' }));
    await states.evConnected(p);
    p.station.evChargingNeeds(1, needs);
    const sent = await p.waitFor('NotifyEVChargingNeeds');
    assert.is((sent.request as any).evseId, 1);
    assert.is(p.tx().length, 0, 'no transaction yet (TxStartPoint PowerPathClosed)');
    states.authorizeLocal(p, 1);
    p.station.chargingStateChanged(1, 'Charging');
    const started = await p.waitTx((r) => r.eventType === 'Started' || r.transactionInfo.chargingState === 'Charging');
    const transactionId = started.transactionInfo.transactionId;
    const two = [schedule(1, 16), schedule(2, 10)];
    assert.equal(await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(7, transactionId, two) }), {
      status: 'Accepted',
    });
    await until(() => offers(p).length === 1);
    assert.equal(offers(p)[0], [1, two, 'csms']);
  });
});

test('TC_K_56_CS K15.FR.15 K17.FR.15 offline with a TxDefaultProfile: the EV is offered it, and the schedule it returns reaches the CSMS once the connection is back', async () => {
  await withTxPair({ manualClock: true, station: { random: () => 0 } }, async (p) => {
    assert.equal(await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txDefault(6) }), {
      status: 'Accepted',
    });
    await states.energyTransferStarted(p);
    await p.csmsDown();
    await until(() => !p.station.connected);
    p.station.evChargingNeeds(1, needs);
    await until(() => offers(p).length === 1);
    const [, [offered], reason] = offers(p)[0]!;
    assert.is(reason, 'local');
    assert.is(offered.chargingSchedulePeriod[0].limit, 6);
    const timeBase = new Date(Math.floor(p.clock!.now() / 1000) * 1000).toISOString();
    p.station.evChargingSchedule(1, schedule(1, 6), { timeBase });
    p.csmsUp();
    for (let i = 0; i < 120 && !p.station.connected; i++) await p.advance(1_000);
    const sent = await p.waitFor('NotifyEVChargingSchedule');
    assert.equal(sent.request, { timeBase, evseId: 1, chargingSchedule: schedule(1, 6) });
    assert.is(
      p.sent('NotifyEVChargingNeeds').length,
      0,
      'the needs themselves were not queued (QueueAllMessages false)',
    );
  });
});

/**
 * Reusable state RenegotiateChargingLimits (Part 6), after Authorized (local) and EVConnectedPreSession: the EV's
 * needs go to the CSMS (Accepted), the CSMS answers with a TxProfile of 10 A for 300 s, the EV is offered it and
 * returns a schedule within it (NotifyEVChargingSchedule), and energy flows. TxStartPoint EVConnected, so that the
 * transaction (and its id for the TxProfile) exists once the EV is connected. Resolves with the transactionId.
 */
async function renegotiateChargingLimits(p: TxPair): Promise<string> {
  p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Accepted' }));
  await states.authorizeAndWait(p);
  await states.evConnected(p);
  const started = await p.waitTx((r) => r.eventType === 'Started');
  const transactionId: string = started.transactionInfo.transactionId;
  p.station.evChargingNeeds(1, needs);
  const sentNeeds = await p.waitFor('NotifyEVChargingNeeds');
  assert.is((sentNeeds.request as any).evseId, 1);
  assert.ok((sentNeeds.request as any).chargingNeeds.acChargingParameters, 'AC needs carry acChargingParameters');
  await until(() => answers(p).length === 1);
  const tenFor300 = { ...schedule(1, 10), duration: 300 };
  assert.equal(
    await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(7, transactionId, [tenFor300]) }),
    { status: 'Accepted' },
  );
  await until(() => offers(p).length === 1);
  assert.equal(offers(p)[0], [1, [tenFor300], 'csms']);
  p.station.evChargingSchedule(1, schedule(1, 10));
  const sentSchedule = await p.waitFor('NotifyEVChargingSchedule');
  assert.is((sentSchedule.request as any).evseId, 1);
  p.station.chargingStateChanged(1, 'Charging');
  const charging = await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
  assert.is(charging.triggerReason, 'ChargingStateChanged');
  await until(() => p.limits.at(-1)?.[1].limit === 10);
  return transactionId;
}

const rateChanges = (p: TxPair) => p.tx().filter((r) => r.triggerReason === 'ChargingRateChanged');

test('TC_K_57_CS K17.FR.01 K17.FR.06 K17.FR.09 K17.FR.10 renegotiation initiated by the EV: its new needs go to the CSMS, the new TxProfile is offered to it, the schedule it returns goes to the CSMS and the rate change is reported', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' } }, async (p) => {
    const transactionId = await renegotiateChargingLimits(p);
    const changesBefore = rateChanges(p).length;
    // Step 1: the EV renegotiates of its own accord (K17.FR.01); its needs are valid (K17.FR.06) and go on.
    p.station.evChargingNeeds(1, {
      ...needs,
      acChargingParameters: { ...needs.acChargingParameters, energyAmount: 30_000 },
    });
    await until(() => p.sent('NotifyEVChargingNeeds').length === 2);
    const renegotiated = p.sent('NotifyEVChargingNeeds')[1]!.request as any;
    assert.is(renegotiated.evseId, 1);
    assert.is(renegotiated.chargingNeeds.acChargingParameters.energyAmount, 30_000);
    await until(() => answers(p).length === 2);
    assert.equal(answers(p)[1], [1, { status: 'Accepted' }]);
    // Steps 3–4: the CSMS's new schedule, 15 A.
    assert.equal(
      await p.call('SetChargingProfile', {
        evseId: 1,
        chargingProfile: txProfile(7, transactionId, [schedule(1, 15)]),
      }),
      { status: 'Accepted' },
    );
    await until(() => offers(p).length === 2);
    assert.equal(offers(p)[1], [1, [schedule(1, 15)], 'csms']);
    // Step 5 (K17.FR.09/.10): the EV's schedule stays within 15 A: it goes to the CSMS.
    p.station.evChargingSchedule(1, schedule(1, 15));
    await until(() => p.sent('NotifyEVChargingSchedule').length === 2);
    assert.equal((p.sent('NotifyEVChargingSchedule')[1]!.request as any).evseId, 1);
    assert.equal((p.sent('NotifyEVChargingSchedule')[1]!.request as any).chargingSchedule, schedule(1, 15));
    // Step 7: the rate went from 10 A to 15 A.
    await until(() => rateChanges(p).length === changesBefore + 1);
    assert.is(rateChanges(p).at(-1).transactionInfo.transactionId, transactionId);
    await until(() => p.limits.at(-1)?.[1].limit === 15);
  });
});

test('TC_K_58_CS K16.FR.01 K16.FR.02 K17.FR.09 K17.FR.10 renegotiation initiated by the CSMS: a TxProfile of 8 A is offered to the EV without new needs, the schedule it returns goes to the CSMS and the rate change is reported', async () => {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' } }, async (p) => {
    const transactionId = await renegotiateChargingLimits(p);
    const changesBefore = rateChanges(p).length;
    // Step 1: the CSMS lowers the limit to 8 A.
    assert.equal(
      await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(7, transactionId, [schedule(1, 8)]) }),
      { status: 'Accepted' },
    );
    await until(() => offers(p).length === 2);
    assert.equal(offers(p)[1], [1, [schedule(1, 8)], 'renegotiation']);
    // Step 3: the EV's schedule within 8 A goes to the CSMS; one above it would not (TC_K_53_CS).
    p.station.evChargingSchedule(1, schedule(1, 8));
    await until(() => p.sent('NotifyEVChargingSchedule').length === 2);
    assert.equal((p.sent('NotifyEVChargingSchedule')[1]!.request as any).chargingSchedule, schedule(1, 8));
    // Step 5: it was charging at 10 A, above 8 A.
    await until(() => rateChanges(p).length === changesBefore + 1);
    assert.is(rateChanges(p).at(-1).transactionInfo.transactionId, transactionId);
    assert.is(p.sent('NotifyEVChargingNeeds').length, 1, 'no needs were asked of the EV');
    await until(() => p.limits.at(-1)?.[1].limit === 8);
  });
});

test("K15.FR.11 K15.FR.14 K16.FR.10 K17.FR.14 the EV's schedule the CSMS accepted is merged into the composite schedule and the hardware limit; refused, it is not; the next check of an EV schedule is against the profiles alone", async () => {
  await withTxPair({}, async (p) => {
    p.csms.respond('NotifyEVChargingNeeds', () => ({ status: 'Accepted' }));
    let answer: 'Accepted' | 'Rejected' = 'Rejected';
    p.csms.respond('NotifyEVChargingSchedule', () => ({ status: answer }));
    const transactionId = await states.energyTransferStarted(p);
    p.station.evChargingNeeds(1, needs);
    await until(() => answers(p).length === 1);
    await p.call('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(7, transactionId, [schedule(1, 16)]) });
    await until(() => p.limits.at(-1)?.[1].limit === 16);
    const timeBase = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const plan = {
      id: 1,
      chargingRateUnit: 'A' as const,
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 12 },
        { startPeriod: 3600, limit: 8 },
      ],
    };
    // Accepted: the EV's 12 A, then 8 A, in the composite schedule and at the hardware.
    answer = 'Accepted';
    p.station.evChargingSchedule(1, plan, { timeBase });
    await until(() => p.limits.at(-1)?.[1].limit === 12);
    const merged = await p.call('GetCompositeSchedule', { evseId: 1, duration: 7200, chargingRateUnit: 'A' });
    const start = Date.parse(merged.schedule.scheduleStart);
    assert.equal(
      merged.schedule.chargingSchedulePeriod.map((q: any) => [q.startPeriod, q.limit]),
      [
        [0, 12],
        [(Date.parse(timeBase) + 3600_000 - start) / 1000, 8],
      ],
    );
    // A schedule the CSMS refuses is not merged, and the one before no longer counts: the TxProfile's 16 A again.
    answer = 'Rejected';
    p.station.evChargingSchedule(1, schedule(1, 10), { timeBase });
    await until(() => p.limits.at(-1)?.[1].limit === 16);
    const refused = await p.call('GetCompositeSchedule', { evseId: 1, duration: 7200, chargingRateUnit: 'A' });
    assert.equal(
      refused.schedule.chargingSchedulePeriod.map((q: any) => q.limit),
      [16],
    );
    answer = 'Accepted';
    p.station.evChargingSchedule(1, plan, { timeBase });
    await until(() => p.limits.at(-1)?.[1].limit === 12);
    // A new EV schedule of 16 A is within the TxProfile (its own earlier 12 A does not count against it).
    p.station.evChargingSchedule(1, schedule(1, 16), { timeBase });
    await until(() => p.sent('NotifyEVChargingSchedule').length === 4);
    await until(() => p.limits.at(-1)?.[1].limit === 16);
  });
});

test.run();
