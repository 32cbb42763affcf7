// Block R over real sockets: the built-in CSMS speaking 2.1 sends SetDERControl / GetDERControl / ClearDERControl
// to a ChargingStation on a real SQLite file; the station's ReportDERControl, NotifyDERStartStop and NotifyDERAlarm
// arrive at the CSMS; the controls survive a reboot; a 2.0.1 connection knows none of it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { derCapability } from '../../runtime/station/R-der/controls.js';
import type { DerControlInForce } from '../../runtime/station/R-der/der.js';
import { startPair, type Pair } from '../support/station-harness.js';

const droop = (priority: number) => ({
  priority,
  overFreq: 50.2,
  underFreq: 49.8,
  overDroop: 4,
  underDroop: 4,
  responseTime: 2,
});

async function withDerPair(fn: (p: Pair, inverter: DerControlInForce[][]) => Promise<void>) {
  const inverter: DerControlInForce[][] = [];
  const p = await startPair({
    csms: { versions: ['ocpp2.1'] },
    station: {
      versions: ['ocpp2.1'],
      deviceModel: { components: [derCapability(['FreqDroop', 'LimitMaxDischarge', 'HFMustTrip'])] },
      hardware: { applyDERControls: (controls) => void inverter.push(controls) },
    },
  });
  try {
    // Online once the statuses after the boot are out: a message sent before would be dropped (docs/store.md).
    await p.waitFor('StatusNotification');
    await fn(p, inverter);
  } finally {
    await p.close();
  }
}

const call = (p: Pair, action: string, payload: unknown) => p.csms.call(p.identity, action, payload) as Promise<any>;

test('R04.FR.02 R04.FR.31 R04.FR.33 R04.FR.45 SetDERControl, GetDERControl with ReportDERControl, ClearDERControl over a 2.1 connection', () =>
  withDerPair(async (p, inverter) => {
    assert.equal(
      await call(p, 'SetDERControl', {
        isDefault: true,
        controlId: 'D1',
        controlType: 'FreqDroop',
        freqDroop: droop(3),
      }),
      { status: 'Accepted' },
    );
    assert.equal(
      inverter.at(-1)?.map((c) => [c.controlId, c.field]),
      [['D1', 'freqDroop']],
    );
    assert.equal(await call(p, 'GetDERControl', { requestId: 77 }), { status: 'Accepted' });
    const report = await p.waitFor('ReportDERControl');
    assert.equal(report.request, {
      requestId: 77,
      freqDroop: [{ freqDroop: droop(3), id: 'D1', isDefault: true, isSuperseded: false }],
    });
    assert.equal(await call(p, 'ClearDERControl', { isDefault: true, controlType: 'FreqDroop' }), {
      status: 'Accepted',
    });
    assert.equal(inverter.at(-1), []);
  }));

test('R04.FR.01 R04.FR.17 over the wire: an undeclared type is NotSupported, a mismatched field Rejected', () =>
  withDerPair(async (p) => {
    const unsupported = await call(p, 'SetDERControl', {
      isDefault: true,
      controlId: 'V1',
      controlType: 'VoltVar',
      curve: { priority: 1, yUnit: 'PctMaxVar', curveData: [{ x: 1, y: 0 }] },
    });
    assert.is(unsupported.status, 'NotSupported');
    const mismatched = await call(p, 'SetDERControl', {
      isDefault: true,
      controlId: 'F1',
      controlType: 'FreqDroop',
      curve: { priority: 1, yUnit: 'Not_Applicable', curveData: [{ x: 1, y: 0 }] },
    });
    assert.is(mismatched.status, 'Rejected');
    assert.equal(await call(p, 'GetDERControl', { requestId: 1 }), { status: 'NotFound' });
  }));

test('R04.FR.20 R04.FR.22 a scheduled control starting now is reported started, and ended after its duration', () =>
  withDerPair(async (p, inverter) => {
    const startTime = new Date().toISOString();
    assert.equal(
      await call(p, 'SetDERControl', {
        isDefault: false,
        controlId: 'S1',
        controlType: 'LimitMaxDischarge',
        limitMaxDischarge: { priority: 1, pctMaxDischargePower: 50, startTime, duration: 1 },
      }),
      { status: 'Accepted' },
    );
    const started = await p.waitFor('NotifyDERStartStop', (m: any) => m.request.started === true);
    assert.is((started.request as any).controlId, 'S1');
    const ended = await p.waitFor('NotifyDERStartStop', (m: any) => m.request.started === false, 4000);
    assert.is((ended.request as any).controlId, 'S1');
    assert.equal(inverter.at(-1), []);
  }));

test('R01.FR.03 the controls are kept across a reboot and handed to the inverter again', () =>
  withDerPair(async (p, inverter) => {
    await call(p, 'SetDERControl', { isDefault: true, controlId: 'D9', controlType: 'FreqDroop', freqDroop: droop(2) });
    let handed!: (controls: DerControlInForce[]) => void;
    const again = new Promise<DerControlInForce[]>((resolve) => (handed = resolve));
    await p.restart({ hardware: { applyDERControls: (c) => handed(c) } });
    assert.equal(
      (await again).map((c) => c.controlId),
      ['D9'],
    );
    await p.waitFor('BootNotification', () => p.sent('BootNotification').length === 2);
    assert.ok(inverter.length > 0);
    assert.equal(await call(p, 'GetDERControl', { requestId: 3, controlId: 'D9' }), { status: 'Accepted' });
  }));

test('R05.FR.01 R05.FR.02 derAlarm() reaches the CSMS as NotifyDERAlarm', () =>
  withDerPair(async (p) => {
    p.station.derAlarm({ controlType: 'HFMustTrip', gridEventFault: 'OverFrequency' });
    const start = await p.waitFor('NotifyDERAlarm');
    assert.equal(
      [(start.request as any).controlType, (start.request as any).gridEventFault],
      ['HFMustTrip', 'OverFrequency'],
    );
    p.station.derAlarm({ controlType: 'HFMustTrip', gridEventFault: 'OverFrequency', alarmEnded: true });
    const end = await p.waitFor('NotifyDERAlarm', (m: any) => m.request.alarmEnded === true);
    assert.is((end.request as any).controlType, 'HFMustTrip');
    assert.throws(() => p.station.derAlarm({ controlType: 'Nope' as never }), /controlType/);
  }));

/** A DC inverter's nameplate (DCDERCtrlr of EVSE 1), as an integrator declares it (R01.FR.01). */
const NAMEPLATE: Record<string, number | string> = {
  MaxW: 11_000,
  OverExcitedW: 10_000,
  OverExcitedPF: 0.9,
  UnderExcitedW: 10_000,
  UnderExcitedPF: 0.9,
  MaxVA: 11_000,
  MaxVar: 5_000,
  MaxVarNeg: 5_000,
  MaxChargeRateW: 11_000,
  MaxChargeRateVA: 11_000,
  InverterManufacturer: 'ocppkit',
  InverterModel: 'SIM-DC',
  InverterSwVersion: '1.0',
  InverterHwVersion: 'A',
  ReactiveSusceptance: 0,
};

test('R01.FR.01 R01.FR.02 a DC inverter nameplate in DCDERCtrlr is reported by GetReport, its ModesSupported decides what is supported', async () => {
  const p = await startPair({
    csms: { versions: ['ocpp2.1'] },
    station: {
      versions: ['ocpp2.1'],
      deviceModel: {
        components: [
          {
            name: 'DCDERCtrlr',
            evse: { id: 1 },
            variables: [
              ...Object.entries(NAMEPLATE).map(([name, value]) => ({ name, value })),
              { name: 'ModesSupported', value: 'LimitMaxDischarge', valuesList: ['LimitMaxDischarge', 'FreqDroop'] },
            ],
          },
        ],
      },
    },
  });
  try {
    await p.waitFor('StatusNotification');
    assert.equal(
      await call(p, 'GetReport', {
        requestId: 12,
        componentVariable: [{ component: { name: 'DCDERCtrlr', evse: { id: 1 } } }],
      }),
      { status: 'Accepted' },
    );
    const report = await p.waitFor('NotifyReport', (m: any) => m.request.requestId === 12);
    const reported = new Set(((report.request as any).reportData ?? []).map((d: any) => d.variable.name));
    for (const name of [...Object.keys(NAMEPLATE), 'ModesSupported']) assert.ok(reported.has(name), name);
    const set = (controlType: string, field: string, setting: object) =>
      call(p, 'SetDERControl', { isDefault: true, controlId: controlType, controlType, [field]: setting });
    assert.is(
      (await set('LimitMaxDischarge', 'limitMaxDischarge', { priority: 1, pctMaxDischargePower: 40 })).status,
      'Accepted',
    );
    assert.is((await set('FreqDroop', 'freqDroop', droop(1))).status, 'NotSupported');
  } finally {
    await p.close();
  }
});

test.run();
