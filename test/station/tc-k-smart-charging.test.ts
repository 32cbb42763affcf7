// Part 6 test cases of block K (K01–K10) and the K requirements the station owns, over real sockets against the
// built-in CSMS: SetChargingProfile checked by checkChargingProfile and kept in the store, ClearChargingProfile,
// GetChargingProfiles with ReportChargingProfiles, GetCompositeSchedule from compositeSchedule, and the limit in
// force reaching the hardware (setChargingLimit).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair, type TxPair } from '../support/tx-pair.js';
import { PROFILES_PER_REPORT } from '../../runtime/station/K-smart-charging/smart-charging.js';

const twoEvses = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

type Purpose = 'TxDefaultProfile' | 'TxProfile' | 'ChargingStationMaxProfile';

function profile(
  id: number,
  purpose: Purpose,
  limit: number,
  extra: { stackLevel?: number; unit?: 'A' | 'W'; transactionId?: string; [k: string]: unknown } = {},
) {
  const { stackLevel = 0, unit = 'A', transactionId, ...rest } = extra;
  return {
    id,
    stackLevel,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Relative',
    ...(transactionId ? { transactionId } : {}),
    chargingSchedule: [{ id: 1, chargingRateUnit: unit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] }],
    ...rest,
  };
}

const set = (p: TxPair, evseId: number, chargingProfile: unknown) =>
  p.call('SetChargingProfile', { evseId, chargingProfile });

/** ReportChargingProfiles of one GetChargingProfiles, once the last (tbc absent) arrived. */
async function reported(p: TxPair, requestId: number): Promise<any[]> {
  await p.waitFor('ReportChargingProfiles', (m: any) => m.request.requestId === requestId && !m.request.tbc);
  return p
    .sent('ReportChargingProfiles')
    .map((m) => m.request as any)
    .filter((r) => r.requestId === requestId);
}

const limitOf = async (p: TxPair, evseId: number, chargingRateUnit: 'A' | 'W' = 'A', duration = 60) => {
  const r = await p.call('GetCompositeSchedule', { evseId, duration, chargingRateUnit });
  assert.is(r.status, 'Accepted');
  return r.schedule.chargingSchedulePeriod;
};

test('TC_K_01_CS K01.FR.07 K01.FR.15 K09.FR.01 a TxDefaultProfile on one EVSE: Accepted, reported as sent with the requestId, and in force on that EVSE only', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    const sent = {
      ...profile(11, 'TxDefaultProfile', 6),
      chargingSchedule: [
        {
          id: 1,
          duration: 3600,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 6, numberPhases: 3 }],
        },
      ],
    };
    assert.equal(await set(p, 1, sent), { status: 'Accepted' });
    assert.equal(await p.call('GetChargingProfiles', { requestId: 7, chargingProfile: { chargingProfileId: [11] } }), {
      status: 'Accepted',
    });
    const reports = await reported(p, 7);
    assert.equal(reports, [{ requestId: 7, chargingLimitSource: 'CSO', evseId: 1, chargingProfile: [sent] }]);
    assert.equal((await limitOf(p, 1))[0].limit, 6);
    assert.is((await limitOf(p, 2))[0].limit, 31.8, 'EVSE 2: its 22 kW maximum on 3 × 230 V');
  });
});

test('TC_K_02_CS K01.FR.09 a TxProfile without a transaction on the EVSE is Rejected (TxNotFound) and not stored', async () => {
  await withTxPair({}, async (p) => {
    const r = await set(p, 1, profile(3, 'TxProfile', 10));
    assert.is(r.status, 'Rejected');
    assert.is(r.statusInfo.reasonCode, 'TxNotFound');
    assert.equal(await p.call('GetChargingProfiles', { requestId: 1, chargingProfile: {} }), { status: 'NoProfiles' });
  });
});

test('TC_K_03_CS K04.FR.03 ChargingStationMaxProfile on EVSE 0: Accepted and caps every EVSE; on EVSE 1: Rejected', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    const onEvse = await set(p, 1, { ...profile(4, 'ChargingStationMaxProfile', 16), chargingProfileKind: 'Absolute' });
    assert.is(onEvse.status, 'Rejected');
    const max = profile(4, 'ChargingStationMaxProfile', 16, {
      chargingProfileKind: 'Absolute',
    }) as ReturnType<typeof profile> & { chargingSchedule: Array<Record<string, unknown>> };
    max.chargingSchedule[0]!.startSchedule = new Date(Date.now() - 60_000).toISOString();
    assert.equal(await set(p, 0, max), { status: 'Accepted' });
    assert.is((await limitOf(p, 1))[0].limit, 16);
    assert.is((await limitOf(p, 0))[0].limit, 16, 'the station as a whole');
  });
});

test('TC_K_04_CS K01.FR.05 a profile with a known id replaces it', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await set(p, 1, profile(5, 'TxDefaultProfile', 10)), { status: 'Accepted' });
    assert.equal(await set(p, 1, profile(5, 'TxDefaultProfile', 8)), { status: 'Accepted' });
    await p.call('GetChargingProfiles', { requestId: 2, chargingProfile: {} });
    const reports = await reported(p, 2);
    assert.equal(
      reports.flatMap((r) => r.chargingProfile.map((c: any) => c.chargingSchedule[0].chargingSchedulePeriod[0].limit)),
      [8],
    );
  });
});

test('TC_K_05_CS TC_K_08_CS K10.FR.01 K10.FR.03 ClearChargingProfile by id: Accepted, then Unknown; nothing left', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await p.call('ClearChargingProfile', { chargingProfileId: 1 }), { status: 'Unknown' });
    await set(p, 1, profile(1, 'TxDefaultProfile', 10));
    assert.equal(await p.call('ClearChargingProfile', { chargingProfileId: 1 }), { status: 'Accepted' });
    assert.equal(await p.call('ClearChargingProfile', { chargingProfileId: 1 }), { status: 'Unknown' });
    assert.equal(await p.call('GetChargingProfiles', { requestId: 1, chargingProfile: {} }), { status: 'NoProfiles' });
  });
});

test('TC_K_06_CS TC_K_07_CS TC_K_24_CS K10.FR.04 ClearChargingProfile by criteria: only the matching profiles (logical AND); Unknown for none', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    await set(p, 1, profile(1, 'TxDefaultProfile', 10, { stackLevel: 1 }));
    await set(p, 2, profile(2, 'TxDefaultProfile', 11, { stackLevel: 1 }));
    await set(p, 1, profile(3, 'TxDefaultProfile', 12, { stackLevel: 2 }));
    const clear = (criteria: object) => p.call('ClearChargingProfile', { chargingProfileCriteria: criteria });
    assert.equal(await clear({ chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 5 }), { status: 'Unknown' });
    assert.equal(await clear({ chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 2, evseId: 1 }), {
      status: 'Accepted',
    });
    await p.call('GetChargingProfiles', { requestId: 3, chargingProfile: {} });
    assert.equal(
      (await reported(p, 3)).flatMap((r) => r.chargingProfile.map((c: any) => c.id)),
      [1, 2],
    );
    assert.equal(await clear({ chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1 }), { status: 'Accepted' });
    assert.equal(await p.call('GetChargingProfiles', { requestId: 4, chargingProfile: {} }), { status: 'NoProfiles' });
  });
});

test('TC_K_09_CS K10.FR.05 K10.FR.07 clearing the TxDefaultProfile during a transaction: the hardware gets the EVSE maximum again', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    await set(p, 1, profile(1, 'TxDefaultProfile', 10));
    await until(() => p.limits.some(([, l]) => l.limit === 10));
    assert.equal(await p.call('ClearChargingProfile', { chargingProfileId: 1 }), { status: 'Accepted' });
    await until(() => p.limits.at(-1)?.[1].limit === 31.8);
    assert.equal(p.limits.at(-1), [1, { limit: 31.8, unit: 'A', numberPhases: 3 }]);
  });
});

test('TC_K_10_CS K01.FR.14 a TxDefaultProfile on EVSE 0 applies to every EVSE and is reported on EVSE 0 (K09.FR.05)', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    assert.equal(await set(p, 0, profile(9, 'TxDefaultProfile', 7)), { status: 'Accepted' });
    assert.is((await limitOf(p, 1))[0].limit, 7);
    assert.is((await limitOf(p, 2))[0].limit, 7);
    await p.call('GetChargingProfiles', { requestId: 5, evseId: 0, chargingProfile: {} });
    assert.equal(
      (await reported(p, 5)).map((r) => [r.evseId, r.chargingProfile.map((c: any) => c.id)]),
      [[0, [9]]],
    );
    assert.equal(await p.call('GetChargingProfiles', { requestId: 6, evseId: 1, chargingProfile: {} }), {
      status: 'NoProfiles',
    });
  });
});

test('TC_K_11_CS K01.FR.16 a TxProfile on EVSE 0 is Rejected', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    assert.is((await set(p, 0, profile(1, 'TxProfile', 10))).status, 'Rejected');
  });
});

test('TC_K_12_CS K01.FR.26 a chargingRateUnit not in SmartChargingCtrlr.RateUnit is Rejected', async () => {
  await withTxPair({ variables: { 'SmartChargingCtrlr.RateUnit': 'A' } }, async (p) => {
    const r = await set(p, 1, profile(1, 'TxDefaultProfile', 6000, { unit: 'W' }));
    assert.equal(r.status, 'Rejected');
    assert.is(r.statusInfo.reasonCode, 'UnsupportedRateUnit');
  });
});

test('TC_K_13_CS K01.FR.27 profiles survive a reboot, and their limit is given to the hardware at start-up', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await set(p, 1, profile(1, 'TxDefaultProfile', 12)), { status: 'Accepted' });
    const limits: unknown[] = [];
    await p.station.stop();
    const again = await p.restart({
      hardware: { setChargingLimit: (evseId, limit) => void limits.push([evseId, limit]) },
    });
    await until(() => again.registration === 'Accepted');
    await until(() => limits.length > 0);
    assert.equal(limits, [[1, { limit: 12, unit: 'A', numberPhases: 3 }]]);
    await p.call('GetChargingProfiles', { requestId: 8, chargingProfile: { chargingProfileId: [1] } });
    assert.is((await reported(p, 8))[0].chargingProfile[0].id, 1);
  });
});

test('TC_K_14_CS K01.FR.28 an EVSE that does not exist: Rejected (UnknownEvse)', async () => {
  await withTxPair({}, async (p) => {
    const r = await set(p, 5, profile(1, 'TxDefaultProfile', 10));
    assert.equal(r.status, 'Rejected');
    assert.is(r.statusInfo.reasonCode, 'UnknownEvse');
  });
});

test('TC_K_16_CS K01.FR.33 a TxProfile for an unknown transactionId is Rejected', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    const r = await set(p, 1, profile(1, 'TxProfile', 10, { transactionId: 'not-this-one' }));
    assert.is(r.status, 'Rejected');
    assert.is(r.statusInfo.reasonCode, 'TxNotFound');
  });
});

test('TC_K_60_CS K01.FR.04 K02.FR.04 TxProfile with the running transaction: Accepted, overrules the TxDefaultProfile; removed when the transaction ends', async () => {
  await withTxPair({}, async (p) => {
    await set(p, 1, profile(1, 'TxDefaultProfile', 20));
    const transactionId = await states.energyTransferStarted(p);
    assert.equal(await set(p, 1, profile(2, 'TxProfile', 8, { transactionId })), { status: 'Accepted' });
    assert.is((await limitOf(p, 1))[0].limit, 8);
    await until(() => p.limits.at(-1)?.[1].limit === 8);
    states.evDisconnected(p);
    await p.waitTx((r) => r.eventType === 'Ended');
    await until(() => p.limits.at(-1)?.[1].limit === 20);
    await p.call('GetChargingProfiles', { requestId: 9, chargingProfile: {} });
    assert.equal(
      (await reported(p, 9)).flatMap((r) => r.chargingProfile.map((c: any) => c.id)),
      [1],
      'only the TxDefaultProfile is left',
    );
  });
});

test('TC_K_39_CS TC_K_42_CS TC_K_47_CS K08.FR.05 K08.FR.07 GetCompositeSchedule without profiles: the EVSE maximum; Rejected for an unknown unit or EVSE', async () => {
  await withTxPair({ variables: { 'SmartChargingCtrlr.RateUnit': 'A' } }, async (p) => {
    const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 300 });
    assert.is(r.status, 'Accepted');
    assert.equal(
      [r.schedule.evseId, r.schedule.duration, r.schedule.chargingRateUnit, r.schedule.chargingSchedulePeriod],
      [1, 300, 'A', [{ startPeriod: 0, limit: 31.8, numberPhases: 3 }]],
    );
    const unit = await p.call('GetCompositeSchedule', { evseId: 1, duration: 300, chargingRateUnit: 'W' });
    assert.is(unit.status, 'Rejected');
    const evse = await p.call('GetCompositeSchedule', { evseId: 9, duration: 300 });
    assert.is(evse.status, 'Rejected');
  });
});

test('TC_K_40_CS TC_K_41_CS K08.FR.02 K08.FR.04 K01.FR.17 stacking and combining purposes: the higher stack level, then the minimum over purposes', async () => {
  await withTxPair({}, async (p) => {
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
    const absolute = (id: number, purpose: Purpose, stackLevel: number, periods: object[]) => ({
      id,
      stackLevel,
      chargingProfilePurpose: purpose,
      chargingProfileKind: 'Absolute',
      chargingSchedule: [{ id: 1, startSchedule: start, chargingRateUnit: 'A', chargingSchedulePeriod: periods }],
    });
    await set(p, 1, absolute(1, 'TxDefaultProfile', 0, [{ startPeriod: 0, limit: 10 }]));
    await set(
      p,
      1,
      absolute(2, 'TxDefaultProfile', 1, [
        { startPeriod: 0, limit: 14 },
        { startPeriod: 3600, limit: 6 },
      ]),
    );
    await set(p, 0, absolute(3, 'ChargingStationMaxProfile', 0, [{ startPeriod: 0, limit: 12 }]));
    const periods = await limitOf(p, 1, 'A', 7200);
    assert.equal(
      periods.map((x: any) => x.limit),
      [12, 6],
      'stack level 1 overrules 0; the station maximum caps it',
    );
    assert.ok(periods[1].startPeriod > 3500 && periods[1].startPeriod <= 3600);
  });
});

test('K09.FR.02 K09.FR.04 K09.FR.06 GetChargingProfiles in parts: tbc on all but the last, each with the requestId; filtered by EVSE', async () => {
  // Validity that never overlaps (each profile valid for one day, in the future) lets many share a stack level.
  await withTxPair({ evses: twoEvses }, async (p) => {
    const n = PROFILES_PER_REPORT + 2;
    const day = 86_400_000;
    const t0 = Date.now() + day;
    for (let i = 1; i <= n; i++)
      assert.equal(
        await set(p, 1, {
          ...profile(i, 'TxDefaultProfile', 10),
          validFrom: new Date(t0 + i * day).toISOString(),
          validTo: new Date(t0 + (i + 1) * day).toISOString(),
        }),
        { status: 'Accepted' },
        `profile ${i}`,
      );
    await set(p, 2, profile(100, 'TxDefaultProfile', 10));
    await p.call('GetChargingProfiles', { requestId: 10, chargingProfile: {} });
    const all = await reported(p, 10);
    assert.equal(
      all.map((r) => [r.evseId, r.chargingProfile.length, r.tbc ?? false]),
      [
        [1, PROFILES_PER_REPORT, true],
        [1, 2, true],
        [2, 1, false],
      ],
    );
    await p.call('GetChargingProfiles', { requestId: 11, evseId: 2, chargingProfile: {} });
    assert.equal(
      (await reported(p, 11)).map((r) => [r.evseId, r.chargingProfile.map((c: any) => c.id)]),
      [[2, [100]]],
    );
  });
});

test('K01.FR.36 K01.FR.37 a profile whose validTo has passed is removed, and the hardware gets the limit without it', async () => {
  await withTxPair({ manualClock: true }, async (p) => {
    const now = p.clock!.now();
    await set(p, 1, { ...profile(1, 'TxDefaultProfile', 9), validTo: new Date(now + 5_000).toISOString() });
    await until(() => p.limits.at(-1)?.[1].limit === 9);
    await p.advance(6_000);
    await until(() => p.limits.at(-1)?.[1].limit === 31.8);
    assert.equal(await p.call('GetChargingProfiles', { requestId: 1, chargingProfile: {} }), { status: 'NoProfiles' });
  });
});

test('K01.FR.07 a period boundary changes the limit the hardware gets, at that moment', async () => {
  await withTxPair({ manualClock: true }, async (p) => {
    await states.energyTransferStarted(p);
    const start = new Date(Math.floor(p.clock!.now() / 1000) * 1000).toISOString();
    await set(p, 1, {
      id: 1,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: [
        {
          id: 1,
          startSchedule: start,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 16 },
            { startPeriod: 60, limit: 8 },
          ],
        },
      ],
    });
    await until(() => p.limits.at(-1)?.[1].limit === 16);
    await p.advance(30_000);
    assert.is(p.limits.at(-1)?.[1].limit, 16, 'not before the boundary');
    await p.advance(31_000);
    await until(() => p.limits.at(-1)?.[1].limit === 8);
  });
});

/** TC_K_37_CS: RequestStartTransaction with a TxProfile, from EVConnectedPreSession, with this TxStartPoint. */
async function remoteStartWithProfile(startPoint: 'PowerPathClosed' | 'EVConnected') {
  await withTxPair({ variables: { 'TxCtrlr.TxStartPoint': startPoint } }, async (p) => {
    await states.evConnected(p);
    const chargingProfile = profile(21, 'TxProfile', 6, { stackLevel: 1 });
    const answer = await p.call('RequestStartTransaction', {
      idToken: { idToken: 'VALID-1', type: 'ISO14443' },
      evseId: 1,
      remoteStartId: 77,
      chargingProfile,
    });
    assert.is(answer.status, 'Accepted');
    const started = await p.waitTx((r) => r.transactionInfo.remoteStartId === 77);
    const transactionId = started.transactionInfo.transactionId;
    await until(() => p.limits.at(-1)?.[1].limit === 6);
    await p.call('GetChargingProfiles', { requestId: 12, chargingProfile: { chargingProfileId: [21] } });
    assert.equal(await reported(p, 12), [
      {
        requestId: 12,
        chargingLimitSource: 'CSO',
        evseId: 1,
        chargingProfile: [{ ...chargingProfile, transactionId }],
      },
    ]);
    assert.is((await limitOf(p, 1))[0].limit, 6);
    // K01.FR.04: it ends with its transaction.
    states.evDisconnected(p);
    await p.waitTx((r) => r.eventType === 'Ended');
    await until(() => p.limits.at(-1)?.[1].limit === 31.8);
  });
}

test('TC_K_37_CS F01.FR.10 F02.FR.18 K05.FR.03 RequestStartTransaction with a TxProfile, cable first (PowerPathClosed): installed for the transaction it starts, reported with its transactionId, in force on the hardware, ended with it', () =>
  remoteStartWithProfile('PowerPathClosed'));

test('TC_K_37_CS F01.FR.13 RequestStartTransaction with a TxProfile for a transaction already running (TxStartPoint EVConnected): installed for that transaction', () =>
  remoteStartWithProfile('EVConnected'));

test('TC_K_38_CS F01.FR.12 F01.FR.13 a station without smart charging (SmartChargingCtrlr.Enabled false) ignores the TxProfile of a RequestStartTransaction: Accepted, authorized, started by RemoteStart, energy flows without the limit', async () => {
  await withTxPair(
    { variables: { 'SmartChargingCtrlr.Enabled': false, 'AuthCtrlr.AuthorizeRemoteStart': true } },
    async (p) => {
      await states.evConnected(p);
      // Relative, no transactionId, numberPhases given (the test case's profile).
      const chargingProfile = {
        ...profile(22, 'TxProfile', 6, { stackLevel: 1 }),
        chargingSchedule: [
          { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6, numberPhases: 3 }] },
        ],
      };
      const answer = await p.call('RequestStartTransaction', {
        idToken: { idToken: 'VALID-1', type: 'ISO14443' },
        evseId: 1,
        remoteStartId: 38,
        chargingProfile,
      });
      assert.is(answer.status, 'Accepted');
      const authorize = await p.waitFor('Authorize');
      assert.equal((authorize.request as any).idToken, { idToken: 'VALID-1', type: 'ISO14443' });
      const started = await p.waitTx((r) => r.transactionInfo.remoteStartId === 38);
      assert.is(started.triggerReason, 'RemoteStart');
      // EnergyTransferStarted.
      p.station.chargingStateChanged(1, 'Charging');
      await p.waitTx((r) => r.transactionInfo.chargingState === 'Charging');
      assert.ok(
        p.limits.every(([, l]) => l.limit !== 6),
        'the 6 A of the ignored profile never reaches the hardware',
      );
      assert.equal(await p.call('GetChargingProfiles', { requestId: 38, chargingProfile: {} }), {
        status: 'NoProfiles',
      });
    },
  );
});

test('K03.FR.03 a Local Controller (to the station the OCPP server it is connected to) updates the TxProfile of a running transaction at any time: each new profile enters the composite schedule and the limit the EV charges with', async () => {
  await withTxPair({}, async (p) => {
    // The cluster's start-up default (K03 scenario): 6 A until the Local Controller divides its maximum.
    assert.equal(await set(p, 0, profile(1, 'TxDefaultProfile', 6)), { status: 'Accepted' });
    const transactionId = await states.energyTransferStarted(p);
    await until(() => p.limits.at(-1)?.[1].limit === 6);
    for (const limit of [16, 8]) {
      assert.equal(await set(p, 1, profile(2, 'TxProfile', limit, { stackLevel: 1, transactionId })), {
        status: 'Accepted',
      });
      await until(() => p.limits.at(-1)?.[1].limit === limit);
      assert.is((await limitOf(p, 1))[0].limit, limit);
    }
  });
});

const at = (offsetS: number) => new Date(Date.now() + offsetS * 1000).toISOString();
const periodsOf = (r: any) => r.schedule.chargingSchedulePeriod.map((x: any) => [x.startPeriod, x.limit]);

test('TC_K_19_CS K01.FR.40 K01.FR.13 a Recurring (Daily) profile is Accepted and in force from its startSchedule', async () => {
  await withTxPair({}, async (p) => {
    const r = await set(p, 1, {
      ...profile(1, 'TxDefaultProfile', 6),
      chargingProfileKind: 'Recurring',
      recurrencyKind: 'Daily',
      chargingSchedule: [
        {
          id: 1,
          startSchedule: at(-86_400 - 60),
          duration: 3600,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }],
        },
      ],
    });
    assert.equal(r, { status: 'Accepted' });
    // Yesterday's cycle began 60 s before now, a day ago: today's is in force for the rest of its hour.
    assert.is((await limitOf(p, 1))[0].limit, 6);
  });
});

test('TC_K_21_CS K01.FR.36 a profile valid from 300 s on: the EVSE maximum until then, its limit after', async () => {
  await withTxPair({}, async (p) => {
    assert.equal(await set(p, 1, { ...profile(1, 'TxDefaultProfile', 6), validFrom: at(300) }), {
      status: 'Accepted',
    });
    const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 400, chargingRateUnit: 'A' });
    assert.is(r.schedule.duration, 400);
    const periods = periodsOf(r);
    assert.is(periods.length, 2, JSON.stringify(periods));
    assert.equal(periods[0], [0, 31.8]);
    assert.ok(periods[1][0] >= 298 && periods[1][0] <= 300, `starts at 300 - x: ${periods[1][0]}`);
    assert.is(periods[1][1], 6);
  });
});

test('TC_K_22_CS K01.FR.37 K08.FR.03 a profile on EVSE 0 valid until 300 s from now: its limit until then, on every EVSE and summed for EVSE 0', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    const r = await set(p, 0, {
      ...profile(1, 'TxDefaultProfile', 6),
      chargingProfileKind: 'Absolute',
      validFrom: at(-5),
      validTo: at(300),
      chargingSchedule: [
        { id: 1, startSchedule: at(0), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] },
      ],
    });
    assert.equal(r, { status: 'Accepted' });
    for (const [evseId, limit] of [
      [0, 12],
      [1, 6],
      [2, 6],
    ] as const) {
      const c = await p.call('GetCompositeSchedule', { evseId, duration: 400, chargingRateUnit: 'A' });
      const periods = periodsOf(c);
      assert.equal(periods[0], [0, limit], `EVSE ${evseId}`);
      assert.ok(periods[1][0] >= 298 && periods[1][0] <= 300, `EVSE ${evseId}: ends at 300 - x`);
    }
  });
});

test('TC_K_23_CS K01.FR.30 a schedule starting 60 s from now: the EVSE maximum first, its limit from then on', async () => {
  await withTxPair({}, async (p) => {
    const r = await set(p, 1, {
      ...profile(1, 'TxDefaultProfile', 6),
      chargingProfileKind: 'Absolute',
      validFrom: at(50),
      validTo: at(400),
      chargingSchedule: [
        { id: 1, startSchedule: at(60), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] },
      ],
    });
    assert.equal(r, { status: 'Accepted' });
    const periods = periodsOf(
      await p.call('GetCompositeSchedule', { evseId: 1, duration: 300, chargingRateUnit: 'A' }),
    );
    assert.is(periods.length, 2, JSON.stringify(periods));
    assert.equal(periods[0], [0, 31.8]);
    assert.ok(periods[1][0] >= 58 && periods[1][0] <= 60 && periods[1][1] === 6, JSON.stringify(periods));
  });
});

test('TC_K_28_CS K01.FR.32 a TxDefaultProfile set while a transaction runs: the transaction continues with the new limit', async () => {
  await withTxPair({}, async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    assert.equal(await set(p, 1, profile(1, 'TxDefaultProfile', 10)), { status: 'Accepted' });
    await until(() => p.limits.at(-1)?.[1].limit === 10);
    assert.ok(!p.tx().some((e) => e.eventType === 'Ended'), 'the transaction goes on');
    assert.equal(p.tx().at(-1).transactionInfo.transactionId, transactionId);
  });
});

test('TC_K_29_CS TC_K_30_CS TC_K_31_CS TC_K_32_CS TC_K_33_CS TC_K_34_CS TC_K_35_CS TC_K_36_CS K09.FR.03 K09.FR.04 K09.FR.05 K09.FR.06 GetChargingProfiles by EVSE, id, stackLevel, chargingLimitSource and purpose', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    const max = {
      ...profile(1, 'ChargingStationMaxProfile', 30),
      chargingProfileKind: 'Absolute',
      chargingSchedule: [
        {
          id: 1,
          startSchedule: at(-10),
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 30 }],
        },
      ],
    };
    assert.equal(await set(p, 0, max), { status: 'Accepted' });
    assert.equal(await set(p, 1, profile(2, 'TxDefaultProfile', 10, { stackLevel: 1 })), { status: 'Accepted' });
    assert.equal(await set(p, 1, profile(3, 'TxDefaultProfile', 12, { stackLevel: 2 })), { status: 'Accepted' });
    assert.equal(await set(p, 2, profile(4, 'TxDefaultProfile', 14, { stackLevel: 1 })), { status: 'Accepted' });
    let requestId = 100;
    const ids = async (request: object) => {
      const id = ++requestId;
      const answer = await p.call('GetChargingProfiles', { requestId: id, ...request });
      if (answer.status === 'NoProfiles') return 'NoProfiles';
      return (await reported(p, id)).map((r) => [r.evseId, r.chargingProfile.map((c: any) => c.id)]);
    };
    assert.equal(await ids({ evseId: 0, chargingProfile: {} }), [[0, [1]]], 'TC_K_29_CS');
    assert.equal(await ids({ evseId: 1, chargingProfile: {} }), [[1, [2, 3]]], 'TC_K_30_CS');
    assert.equal(
      await ids({ chargingProfile: {} }),
      [
        [0, [1]],
        [1, [2, 3]],
        [2, [4]],
      ],
      'TC_K_31_CS',
    );
    assert.equal(await ids({ chargingProfile: { chargingProfileId: [3, 4] } }), [
      [1, [3]],
      [2, [4]],
    ]);
    assert.equal(await ids({ evseId: 1, chargingProfile: { stackLevel: 2 } }), [[1, [3]]], 'TC_K_33_CS');
    assert.equal(await ids({ evseId: 1, chargingProfile: { chargingLimitSource: ['CSO'] } }), [[1, [2, 3]]]);
    assert.equal(await ids({ evseId: 1, chargingProfile: { chargingLimitSource: ['EMS'] } }), 'NoProfiles');
    assert.equal(
      await ids({ evseId: 0, chargingProfile: { chargingProfilePurpose: 'ChargingStationMaxProfile' } }),
      [[0, [1]]],
      'TC_K_35_CS',
    );
    assert.equal(
      await ids({ evseId: 2, chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1 } }),
      [[2, [4]]],
      'TC_K_36_CS',
    );
    assert.equal(await ids({ evseId: 2, chargingProfile: { stackLevel: 2 } }), 'NoProfiles');
  });
});

test('K01.FR.04 K01.FR.27 a TxProfile does not outlive its transaction across a power loss; the TxDefaultProfile does', async () => {
  await withTxPair({}, async (p) => {
    await set(p, 1, profile(1, 'TxDefaultProfile', 20));
    const transactionId = await states.energyTransferStarted(p);
    assert.equal(await set(p, 1, profile(2, 'TxProfile', 8, { transactionId })), { status: 'Accepted' });
    await p.station.stop();
    const again = await p.restart();
    await until(() => again.registration === 'Accepted');
    await p.waitTx((r) => r.eventType === 'Ended' && r.transactionInfo.transactionId === transactionId);
    await p.call('GetChargingProfiles', { requestId: 13, chargingProfile: {} });
    assert.equal(
      (await reported(p, 13)).flatMap((r) => r.chargingProfile.map((c: any) => c.id)),
      [1],
    );
  });
});

test('K01 K08 K09 K10 under OCPP 2.1: SetChargingProfile, GetCompositeSchedule, GetChargingProfiles and ClearChargingProfile', async () => {
  await withTxPair({ csms: { versions: ['ocpp2.1'] }, station: { versions: ['ocpp2.1'] } }, async (p) => {
    assert.equal(await set(p, 1, profile(1, 'TxDefaultProfile', 9)), { status: 'Accepted' });
    assert.is((await limitOf(p, 1))[0].limit, 9);
    await until(() => p.limits.at(-1)?.[1].limit === 9);
    await p.call('GetChargingProfiles', { requestId: 14, chargingProfile: {} });
    assert.is((await reported(p, 14))[0].chargingProfile[0].id, 1);
    assert.equal(await p.call('ClearChargingProfile', { chargingProfileId: 1 }), { status: 'Accepted' });
    assert.is((await limitOf(p, 1))[0].limit, 31.8);
  });
});

test('K01.FR.31 K01.FR.35 K01.FR.38 K01.FR.40 K01.FR.41 K01.FR.52 K01.FR.53 invalid profiles are Rejected with the reasonCode of checkChargingProfile, nothing is stored, and the station goes on', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    const schedule = (periods: object[], extra: object = {}) => [
      { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: periods, ...extra },
    ];
    const reason = async (evseId: number, chargingProfile: object) => {
      const r = await set(p, evseId, chargingProfile);
      assert.is(r.status, 'Rejected', JSON.stringify(chargingProfile));
      return r.statusInfo?.reasonCode;
    };
    const tx = (id: number, extra: object) => ({ ...profile(id, 'TxDefaultProfile', 10), ...extra });
    assert.is(
      await reason(1, tx(1, { chargingSchedule: schedule([{ startPeriod: 10, limit: 6 }]) })),
      'InvalidSchedule',
    );
    assert.is(
      await reason(
        1,
        tx(2, {
          chargingSchedule: schedule([
            { startPeriod: 0, limit: 6 },
            { startPeriod: 100, limit: 7 },
            { startPeriod: 50, limit: 8 },
          ]),
        }),
      ),
      'InvalidSchedule',
    );
    assert.is(await reason(0, { ...profile(3, 'ChargingStationMaxProfile', 16) }), 'InvalidProfile');
    assert.is(
      await reason(
        1,
        tx(4, { chargingProfileKind: 'Absolute', chargingSchedule: schedule([{ startPeriod: 0, limit: 6 }]) }),
      ),
      'InvalidSchedule',
    );
    assert.is(
      await reason(1, tx(5, { chargingSchedule: schedule([{ startPeriod: 0, limit: 6 }], { startSchedule: at(0) }) })),
      'InvalidSchedule',
    );
    // K01.FR.52/.53: one stack level of TxDefaultProfile either on EVSE 0 or on EVSEs, not both.
    assert.equal(await set(p, 1, tx(6, { stackLevel: 3 })), { status: 'Accepted' });
    assert.is(await reason(0, tx(7, { stackLevel: 3 })), 'DuplicateProfile');
    assert.equal(await set(p, 0, tx(8, { stackLevel: 4 })), { status: 'Accepted' });
    assert.is(await reason(2, tx(9, { stackLevel: 4 })), 'DuplicateProfile');
    await p.call('GetChargingProfiles', { requestId: 20, chargingProfile: {} });
    assert.equal(
      (await reported(p, 20)).flatMap((r) => r.chargingProfile.map((c: any) => c.id)),
      [6, 8],
      'only the accepted ones',
    );
    assert.equal(await p.call('ClearChargingProfile', { chargingProfileId: 6 }), { status: 'Accepted' });
  });
});

test('K08.FR.06 K01.FR.10 without a transaction the composite is that of a transaction starting now with the TxDefaultProfile', async () => {
  await withTxPair({}, async (p) => {
    await set(p, 1, {
      ...profile(1, 'TxDefaultProfile', 10),
      chargingSchedule: [
        {
          id: 1,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 10 },
            { startPeriod: 60, limit: 6 },
          ],
        },
      ],
    });
    const r = await p.call('GetCompositeSchedule', { evseId: 1, duration: 120, chargingRateUnit: 'A' });
    assert.equal(periodsOf(r), [
      [0, 10],
      [60, 6],
    ]);
  });
});

test('K01.FR.42 a Relative TxDefaultProfile counts from the start of the transaction', async () => {
  await withTxPair({}, async (p) => {
    await states.energyTransferStarted(p);
    // Real time (a ManualClock would be reset to the CSMS's time by the next Heartbeat): 1.2 s into the transaction.
    await new Promise((r) => setTimeout(r, 1200));
    await set(p, 1, {
      ...profile(1, 'TxDefaultProfile', 10),
      chargingSchedule: [
        {
          id: 1,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 10 },
            { startPeriod: 3600, limit: 6 },
          ],
        },
      ],
    });
    const periods = periodsOf(
      await p.call('GetCompositeSchedule', { evseId: 1, duration: 7200, chargingRateUnit: 'A' }),
    );
    assert.is(periods[0][1], 10);
    // Counted from the request, the 6 A period would start at 3600 s; from the transaction, 1.2 s (or, on a slow
    // machine, a few seconds) earlier.
    assert.ok(periods[1][0] >= 3580 && periods[1][0] <= 3599 && periods[1][1] === 6, JSON.stringify(periods));
  });
});

test('K02.FR.08 K01.FR.11 K01.FR.12 where the TxProfile has no period any more (after its duration) the TxDefaultProfile applies again; a period past the duration is not executed', async () => {
  await withTxPair({}, async (p) => {
    await set(p, 1, profile(1, 'TxDefaultProfile', 10));
    const transactionId = await states.energyTransferStarted(p);
    await set(p, 1, {
      ...profile(2, 'TxProfile', 8, { transactionId }),
      chargingSchedule: [
        {
          id: 1,
          duration: 60,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 8 },
            { startPeriod: 120, limit: 4 },
          ],
        },
      ],
    });
    const periods = periodsOf(
      await p.call('GetCompositeSchedule', { evseId: 1, duration: 300, chargingRateUnit: 'A' }),
    );
    assert.is(periods[0][1], 8);
    assert.ok(periods[1][0] > 55 && periods[1][0] <= 60, JSON.stringify(periods));
    assert.is(periods[1][1], 10);
    assert.is(periods.length, 2, 'the 4 A period after the duration is never in force');
  });
});

test('K01.FR.49 K01.FR.50 K01.FR.51 amperes are per phase, watts the sum over the phases, 3 phases unless the period says', async () => {
  await withTxPair({ evses: twoEvses }, async (p) => {
    await set(p, 1, profile(1, 'TxDefaultProfile', 10));
    await set(p, 2, profile(2, 'TxDefaultProfile', 6900, { unit: 'W' }));
    assert.equal((await limitOf(p, 1, 'W'))[0].limit, 6900, '10 A × 230 V × 3');
    assert.equal((await limitOf(p, 2, 'A'))[0].limit, 10, '6900 W / (230 V × 3)');
    await set(p, 1, {
      ...profile(1, 'TxDefaultProfile', 10),
      chargingSchedule: [
        { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10, numberPhases: 1 }] },
      ],
    });
    assert.equal((await limitOf(p, 1, 'W'))[0], { startPeriod: 0, limit: 2300, numberPhases: 1 });
  });
});

test('K07.FR.01 offline before a transaction starts, the station uses the profiles it has: the TxDefaultProfile applies to a transaction started offline, counted from its start', async () => {
  await withTxPair({ manualClock: true, variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' } }, async (p) => {
    const relative = (id: number, purpose: Purpose, periods: Array<[number, number]>, extra: object = {}) => ({
      ...profile(id, purpose, 0),
      ...extra,
      chargingSchedule: [
        {
          id: 1,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
        },
      ],
    });
    await set(
      p,
      1,
      relative(1, 'TxDefaultProfile', [
        [0, 10],
        [60, 6],
      ]),
    );
    await until(() => p.limits.at(-1)?.[1].limit === 10);
    await p.csmsDown();
    await p.advance(30_000);
    p.station.cablePlugged(1, 1); // the transaction starts offline (TxStartPoint EVConnected)
    await p.advance(59_000);
    assert.is(p.limits.at(-1)?.[1].limit, 10, 'counted from the transaction start, not from the profile');
    await p.advance(2_000);
    await until(() => p.limits.at(-1)?.[1].limit === 6);
  });
});

test('K06.FR.01 a TxProfile received before the station went offline goes on for the transaction: its next period comes offline', async () => {
  await withTxPair({ manualClock: true, variables: { 'TxCtrlr.TxStartPoint': 'EVConnected' } }, async (p) => {
    p.station.cablePlugged(1, 1);
    const transactionId = (await p.waitTx((r) => r.eventType === 'Started')).transactionInfo.transactionId;
    const txProfile = {
      ...profile(2, 'TxProfile', 8, { transactionId }),
      chargingSchedule: [
        {
          id: 1,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 8 },
            { startPeriod: 600, limit: 5 },
          ],
        },
      ],
    };
    assert.equal(await set(p, 1, txProfile), { status: 'Accepted' });
    await until(() => p.limits.at(-1)?.[1].limit === 8);
    await p.csmsDown();
    await p.advance(601_000);
    await until(() => p.limits.at(-1)?.[1].limit === 5);
    assert.ok(!p.station.connected);
  });
});

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test.run();
