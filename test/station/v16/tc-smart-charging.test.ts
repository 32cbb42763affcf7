// OCTT 1.6 test cases of the Smart Charging profile (TC_056 … TC_082) over real sockets against the built-in CSMS
// in 1.6, with a 1.6 ChargingStation on a real SQLite file: SetChargingProfile (§5.16), ClearChargingProfile (§5.5),
// GetCompositeSchedule (§5.7), RemoteStartTransaction with a chargingProfile (§5.11), stacking (§3.13), and the
// limit in force given to the hardware (setChargingLimit).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accepted, charge, recordingHardware, settled, startPair16, tag, type Pair16 } from '../../support/pair16.js';
import type { ChargingStationOptions } from '../../../runtime/station/options.js';

type Limit = { evseId: number; limit: number; unit: string };

/** Hardware that records every setChargingLimit; `limited(n)` waits for a limit of n (event-driven, bounded). */
function limitHardware() {
  const limits: Limit[] = [];
  let waiters: Array<() => void> = [];
  const base = recordingHardware().hardware;
  return {
    limits,
    hardware: {
      ...base,
      setChargingLimit: (evseId: number, l: { limit: number; unit: string }) => {
        limits.push({ evseId, limit: l.limit, unit: l.unit });
        for (const w of waiters) w();
      },
    },
    limited: (limit: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no limit ${limit} (got ${JSON.stringify(limits)})`)), 5000);
        const check = () => {
          if (limits.at(-1)?.limit !== limit) return;
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve();
        };
        waiters.push(check);
        check();
      }),
  };
}

async function withPair(station: Partial<ChargingStationOptions>, body: (p: Pair16) => Promise<void>): Promise<void> {
  const p = await startPair16({ station });
  try {
    await accepted(p);
    await body(p);
  } finally {
    await p.close();
  }
}

const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

function profile(
  id: number,
  purpose: 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile',
  stackLevel: number,
  periods: Array<[number, number]>,
  extra: Record<string, unknown> = {},
  duration?: number,
) {
  return {
    chargingProfileId: id,
    stackLevel,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Absolute',
    ...extra,
    chargingSchedule: {
      ...(duration !== undefined ? { duration } : {}),
      startSchedule: ago(1),
      chargingRateUnit: 'A',
      chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit, numberPhases: 3 })),
    },
  };
}

const set = (p: Pair16, connectorId: number, csChargingProfiles: unknown) =>
  p.call('SetChargingProfile', { connectorId, csChargingProfiles });
const composite = (p: Pair16, connectorId: number, duration: number) =>
  p.call('GetCompositeSchedule', { connectorId, duration, chargingRateUnit: 'A' });
/** The periods of a composite schedule as [startPeriod, limit]. */
const periods = (c: any): Array<[number, number]> =>
  c.chargingSchedule.chargingSchedulePeriod.map((q: any) => [q.startPeriod, q.limit]);

test('TC_056_CS TxDefaultProfile (§5.16, §5.7): Accepted; the composite schedule has its limit, unit, duration and a start of now; the hardware is limited', async () => {
  const hw = limitHardware();
  await withPair({ hardware: hw.hardware }, async (p) => {
    assert.equal(await set(p, 1, profile(1, 'TxDefaultProfile', 0, [[0, 6]], {}, 300)), { status: 'Accepted' });
    await hw.limited(6);
    const c = await composite(p, 1, 300);
    assert.equal(
      [c.status, c.connectorId, c.chargingSchedule.duration, c.chargingSchedule.chargingRateUnit],
      ['Accepted', 1, 300, 'A'],
    );
    assert.ok(Math.abs(Date.parse(c.scheduleStart) - Date.now()) < 5000, 'the schedule starts now');
    assert.equal(periods(c)[0], [0, 6]);
  });
});

test('TC_057_CS TxProfile for the running transaction (§5.16): Accepted, the composite and the hardware follow it', async () => {
  const hw = limitHardware();
  await withPair({ hardware: hw.hardware }, async (p) => {
    const id = await charge(p);
    const tx = profile(2, 'TxProfile', 0, [[0, 6]], { transactionId: id }, 300);
    assert.equal(await set(p, 1, tx), { status: 'Accepted' });
    await hw.limited(6);
    const c = await composite(p, 1, 300);
    assert.equal([c.status, c.connectorId, periods(c)[0]], ['Accepted', 1, [0, 6]]);
    // §3.13.4: the TxProfile ends with its transaction.
    p.station.idTokenPresented(tag('TAG1'));
    await p.waitFor('StopTransaction');
    const after = await composite(p, 1, 300);
    assert.not.equal(periods(after)[0], [0, 6]);
  });
});

test('TC_058_1_CS TxProfile without a transaction (§5.16): Rejected', async () => {
  await withPair({}, async (p) => {
    assert.equal(await set(p, 1, profile(3, 'TxProfile', 0, [[0, 6]], { transactionId: 1234 })), {
      status: 'Rejected',
    });
    assert.equal(await set(p, 1, profile(3, 'TxProfile', 0, [[0, 6]])), { status: 'Rejected' });
  });
});

test('TC_058_2_CS TxProfile with another transactionId than the running one (§5.16): Rejected', async () => {
  await withPair({}, async (p) => {
    const id = await charge(p);
    assert.equal(await set(p, 1, profile(4, 'TxProfile', 0, [[0, 6]], { transactionId: id + 1 })), {
      status: 'Rejected',
    });
  });
});

test('TC_082_CS TxDefaultProfile during a transaction (§3.13.2): Accepted, it applies to the running transaction', async () => {
  const hw = limitHardware();
  await withPair({ hardware: hw.hardware }, async (p) => {
    await charge(p);
    assert.equal(await set(p, 1, profile(5, 'TxDefaultProfile', 0, [[0, 6]], {}, 300)), { status: 'Accepted' });
    await hw.limited(6);
    const c = await composite(p, 1, 300);
    assert.equal([c.status, c.connectorId, periods(c)[0]], ['Accepted', 1, [0, 6]]);
  });
});

test('TC_066_CS composite of ChargePointMaxProfile, TxDefaultProfile and TxProfile (§3.13.2/3): the TxProfile replaces the default, the maximum caps it', async () => {
  await withPair({}, async (p) => {
    const id = await charge(p);
    const window = { validFrom: ago(1), validTo: new Date(Date.now() + 400_000).toISOString() };
    assert.equal(await set(p, 0, profile(10, 'ChargePointMaxProfile', 0, [[0, 10]], {}, 86400)), {
      status: 'Accepted',
    });
    const def: Array<[number, number]> = [
      [0, 6],
      [60, 10],
      [120, 8],
      [180, 15],
      [260, 8],
    ];
    assert.equal(await set(p, 1, profile(11, 'TxDefaultProfile', 0, def, window, 300)), { status: 'Accepted' });
    const tx: Array<[number, number]> = [
      [0, 8],
      [50, 11],
      [140, 16],
      [200, 6],
      [240, 12],
    ];
    const txp = profile(12, 'TxProfile', 0, tx, { ...window, transactionId: id }, 260);
    assert.equal(await set(p, 1, txp), { status: 'Accepted' });
    const c = await composite(p, 1, 400);
    assert.is(c.status, 'Accepted');
    // x: the seconds between the profiles' start and scheduleStart (a second or two here).
    const x = 50 - periods(c)[1]![0];
    assert.ok(x >= 0 && x <= 5, `x = ${x}`);
    assert.equal(periods(c).slice(0, 4), [
      [0, 8],
      [50 - x, 10],
      [200 - x, 6],
      [240 - x, 10],
    ]);
  });
});

test('TC_067_CS clear charging profiles (§5.5): by id, by purpose and stack level, all; Unknown when none matches', async () => {
  await withPair({}, async (p) => {
    await set(
      p,
      1,
      profile(
        20,
        'TxDefaultProfile',
        1,
        [
          [0, 6],
          [60, 8],
          [200, 10],
        ],
        {},
        400,
      ),
    );
    await set(
      p,
      1,
      profile(
        21,
        'TxDefaultProfile',
        0,
        [
          [0, 7],
          [100, 9],
        ],
        {},
        400,
      ),
    );
    await set(
      p,
      0,
      profile(
        22,
        'ChargePointMaxProfile',
        0,
        [
          [0, 11],
          [200, 12],
        ],
        {},
        86400,
      ),
    );
    assert.equal(await p.call('ClearChargingProfile', { id: 20 }), { status: 'Accepted' });
    const after1 = await composite(p, 1, 350);
    assert.equal(periods(after1)[0], [0, 7]);
    assert.equal(await p.call('ClearChargingProfile', { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 0 }), {
      status: 'Accepted',
    });
    const after2 = await composite(p, 1, 350);
    assert.equal(periods(after2)[0], [0, 11]);
    assert.equal(await p.call('ClearChargingProfile', {}), { status: 'Accepted' });
    assert.equal(await p.call('ClearChargingProfile', {}), { status: 'Unknown' });
  });
});

test('TC_072_CS stacking TxDefaultProfiles (§3.13.2): the higher stack level wins while it lasts', async () => {
  await withPair({}, async (p) => {
    const window = { validFrom: ago(1), validTo: new Date(Date.now() + 400_000).toISOString() };
    const low = profile(
      30,
      'TxDefaultProfile',
      0,
      [
        [0, 6],
        [100, 8],
        [200, 10],
      ],
      window,
      400,
    );
    const high = profile(
      31,
      'TxDefaultProfile',
      1,
      [
        [0, 7],
        [100, 9],
      ],
      window,
      150,
    );
    assert.equal(await set(p, 1, low), { status: 'Accepted' });
    assert.equal(await set(p, 1, high), { status: 'Accepted' });
    const c = await composite(p, 1, 350);
    const x = 100 - periods(c)[1]![0];
    assert.ok(x >= 0 && x <= 5, `x = ${x}`);
    assert.equal(periods(c), [
      [0, 7],
      [100 - x, 9],
      [150 - x, 8],
      [200 - x, 10],
    ]);
  });
});

test('TC_059_CS remote start with a TxProfile (§5.11): Accepted, the profile is the transaction’s, the composite has it', async () => {
  const hw = limitHardware();
  await withPair({ hardware: hw.hardware }, async (p) => {
    const chargingProfile = profile(40, 'TxProfile', 0, [[0, 6]], {}, 300);
    p.station.cablePlugged(1);
    await p.status(1, 'Preparing');
    assert.equal(await p.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG1', chargingProfile }), {
      status: 'Accepted',
    });
    await p.waitFor('StartTransaction');
    await hw.limited(6);
    await settled(p);
    const c = await composite(p, 1, 300);
    assert.equal([c.status, c.connectorId, periods(c)[0]], ['Accepted', 1, [0, 6]]);
  });
});

test('TC_060_CS remote start with a profile that is not a TxProfile (§5.11): Rejected, no transaction', async () => {
  await withPair({}, async (p) => {
    const chargingProfile = profile(41, 'TxDefaultProfile', 0, [[0, 6]]);
    assert.equal(await p.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG1', chargingProfile }), {
      status: 'Rejected',
    });
    await settled(p);
    assert.is(p.sent('Authorize').length + p.sent('StartTransaction').length, 0);
  });
});

test('1.6 §9.4 Smart Charging keys: ChargeProfileMaxStackLevel, ChargingScheduleMaxPeriods and MaxChargingProfilesInstalled bound SetChargingProfile; ChargePointMaxProfile only on connector 0; same stack level and purpose replaces', async () => {
  await withPair({}, async (p) => {
    const conf = await p.call('GetConfiguration', {
      key: [
        'ChargeProfileMaxStackLevel',
        'ChargingScheduleAllowedChargingRateUnit',
        'ChargingScheduleMaxPeriods',
        'MaxChargingProfilesInstalled',
      ],
    });
    const value = (k: string) => conf.configurationKey.find((e: any) => e.key === k)?.value;
    const maxStack = Number(value('ChargeProfileMaxStackLevel'));
    const maxPeriods = Number(value('ChargingScheduleMaxPeriods'));
    const maxInstalled = Number(value('MaxChargingProfilesInstalled'));
    assert.is(value('ChargingScheduleAllowedChargingRateUnit'), 'Current,Power');
    assert.equal(await set(p, 1, profile(50, 'TxDefaultProfile', maxStack + 1, [[0, 6]])), { status: 'Rejected' });
    const many = Array.from({ length: maxPeriods + 1 }, (_, i): [number, number] => [i * 60, 6]);
    assert.equal(await set(p, 1, profile(51, 'TxDefaultProfile', 0, many)), { status: 'Rejected' });
    assert.equal(await set(p, 1, profile(52, 'ChargePointMaxProfile', 0, [[0, 6]])), { status: 'Rejected' });
    assert.equal(await set(p, 9, profile(53, 'TxDefaultProfile', 0, [[0, 6]])), { status: 'Rejected' });
    // The same stack level and purpose on the same connector replaces (§5.16): the newer limit counts.
    assert.equal(await set(p, 1, profile(54, 'TxDefaultProfile', 0, [[0, 6]])), { status: 'Accepted' });
    assert.equal(await set(p, 1, profile(55, 'TxDefaultProfile', 0, [[0, 9]])), { status: 'Accepted' });
    assert.equal(periods(await composite(p, 1, 60))[0], [0, 9]);
    // A TxDefaultProfile on connector 0 at the same stack level does not collide with the connector's.
    assert.equal(await set(p, 0, profile(56, 'TxDefaultProfile', 0, [[0, 5]])), { status: 'Accepted' });
    // Fill up to MaxChargingProfilesInstalled (two installed now) over both connectors' free stack levels.
    for (let i = 0; i < maxInstalled - 2; i++) {
      const level = Math.floor(i / 2) + 1;
      assert.equal(await set(p, i % 2, profile(60 + i, 'TxDefaultProfile', level, [[0, 6]])), { status: 'Accepted' });
    }
    assert.equal(await set(p, 1, profile(99, 'TxDefaultProfile', maxStack, [[0, 6]])), { status: 'Rejected' });
  });
});

test('1.6 §3.13.1 recurrency and validity: a Daily profile started yesterday applies now; one valid only from tomorrow does not; one whose validTo passed is removed', async () => {
  const hw = limitHardware();
  await withPair({ hardware: hw.hardware }, async (p) => {
    const daily = {
      ...profile(80, 'TxDefaultProfile', 0, [[0, 12]]),
      chargingProfileKind: 'Recurring',
      recurrencyKind: 'Daily',
    };
    daily.chargingSchedule.startSchedule = ago(86_400 + 60);
    assert.equal(await set(p, 1, daily), { status: 'Accepted' });
    await hw.limited(12);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    assert.equal(await set(p, 1, profile(81, 'TxDefaultProfile', 1, [[0, 5]], { validFrom: tomorrow })), {
      status: 'Accepted',
    });
    assert.equal(periods(await composite(p, 1, 60))[0], [0, 12]);
    // Valid for one more second: applies, then it is gone and the daily profile is in force again.
    const brief = profile(82, 'TxDefaultProfile', 2, [[0, 4]], { validTo: new Date(Date.now() + 1000).toISOString() });
    assert.equal(await set(p, 1, brief), { status: 'Accepted' });
    await hw.limited(4);
    await hw.limited(12);
    assert.equal(periods(await composite(p, 1, 60))[0], [0, 12]);
  });
});

test('1.6 §5.7 GetCompositeSchedule for connector 0 and in W: the ChargePointMaxProfile, converted at 230 V × 3 phases; an unknown connector Rejected', async () => {
  await withPair({}, async (p) => {
    assert.equal(await set(p, 0, profile(90, 'ChargePointMaxProfile', 0, [[0, 16]])), { status: 'Accepted' });
    const whole = await p.call('GetCompositeSchedule', { connectorId: 0, duration: 60, chargingRateUnit: 'A' });
    assert.equal([whole.status, whole.connectorId, periods(whole)[0]], ['Accepted', 0, [0, 16]]);
    const watts = await p.call('GetCompositeSchedule', { connectorId: 1, duration: 60, chargingRateUnit: 'W' });
    assert.equal([watts.chargingSchedule.chargingRateUnit, periods(watts)[0]], ['W', [0, 16 * 230 * 3]]);
    assert.equal(await p.call('GetCompositeSchedule', { connectorId: 7, duration: 60 }), { status: 'Rejected' });
  });
});

test('1.6 §3.13 installed profiles survive a reboot', async () => {
  const p = await startPair16();
  try {
    await accepted(p);
    assert.equal(await set(p, 1, profile(70, 'TxDefaultProfile', 0, [[0, 7]])), { status: 'Accepted' });
    await p.restart();
    await accepted(p);
    assert.equal(periods(await composite(p, 1, 60))[0], [0, 7]);
  } finally {
    await p.close();
  }
});

test.run();
