// Part 6 TC_N_*_CS variable monitoring cases (N02–N08) against the built-in CSMS over real sockets, with a real SQLite
// file. Values change as the integrator changes them (`station.deviceModel.set`), or as the station's own blocks do
// (AvailabilityState when a cable is plugged in).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChargingStation } from '../../runtime/station/charging-station.js';
import type { MonitoringOptions } from '../../runtime/station/N-diagnostics/monitoring/monitoring.js';
import { rawCsms } from '../support/rpc-harness.js';
import { TEST_VARIABLES, testLayout } from '../support/station-harness.js';
import { csmsBack, csmsGone } from '../support/tc-c.js';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

const EVSE1 = { name: 'EVSE', evse: { id: 1 } };
const POWER = { name: 'Power' };
const AVAILABILITY = { name: 'AvailabilityState' };

const withStation = (options: TxPairOptions & { monitoring?: MonitoringOptions }, body: (p: TxPair) => Promise<void>) =>
  withTxPair(
    { ...options, station: { ...options.station, ...(options.monitoring ? { monitoring: options.monitoring } : {}) } },
    body,
  );

const data = (
  type: string,
  value: number,
  severity: number,
  component: object = EVSE1,
  variable: object = POWER,
  more = {},
) => ({
  type,
  value,
  severity,
  component,
  variable,
  ...more,
});
const setMonitoring = async (p: TxPair, ...setMonitoringData: object[]) =>
  (await p.call('SetVariableMonitoring', { setMonitoringData })).setMonitoringResult as any[];
const ok = (r: any) => r.statusInfo === undefined || r.statusInfo.reasonCode === 'NoError';

let nextRequestId = 1;
/** GetMonitoringReport, and every NotifyMonitoringReport part when Accepted (checked: requestId, seqNo from 0). */
async function report(p: TxPair, request: object = {}) {
  const requestId = nextRequestId++;
  const response = await p.call('GetMonitoringReport', { requestId, ...request });
  const parts: any[] = [];
  if (response.status === 'Accepted') {
    do {
      const seqNo = parts.length;
      parts.push(
        (
          await p.waitFor(
            'NotifyMonitoringReport',
            (m: any) => m.request.requestId === requestId && m.request.seqNo === seqNo,
          )
        ).request,
      );
    } while (parts.at(-1).tbc);
  }
  const monitors = parts.flatMap((part) =>
    (part.monitor ?? []).flatMap((m: any) =>
      m.variableMonitoring.map((v: any) => ({ ...v, component: m.component, variable: m.variable })),
    ),
  );
  return { response, parts, monitors };
}

/** A reconnection one second after a refused attempt, on a ManualClock (tc-c.ts's csmsGone / csmsBack). */
const OFFLINE: TxPairOptions = {
  manualClock: true,
  variables: {
    'OCPPCommCtrlr.RetryBackOffWaitMinimum': 1,
    'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
    'MonitoringCtrlr.OfflineQueuingSeverity': 5,
  },
};

/** The next NotifyEvent's eventData after `count` already received. */
async function nextEvents(p: TxPair, count: number): Promise<any[]> {
  const m = await p.waitFor('NotifyEvent', () => p.sent('NotifyEvent').length > count);
  return (m.request as any).eventData;
}

test('TC_N_08_CS N04.FR.01 N04.FR.02 N04.FR.08 N04.FR.11 N02.FR.01 one SetMonitoringData: Accepted with an id, then in the report', () =>
  withStation({}, async (p) => {
    const [r] = await setMonitoring(p, data('Delta', 1, 8, EVSE1, AVAILABILITY));
    assert.equal(
      [r.status, r.type, r.severity, r.component, r.variable, ok(r)],
      ['Accepted', 'Delta', 8, EVSE1, AVAILABILITY, true],
    );
    assert.type(r.id, 'number');
    const { response, parts, monitors } = await report(p, {
      componentVariable: [{ component: EVSE1, variable: AVAILABILITY }],
    });
    assert.equal([response.status, ok(response)], ['Accepted', true]);
    assert.equal(parts[0].seqNo, 0);
    assert.equal(
      monitors.map((m) => [m.id, m.type, m.component, m.variable]),
      [[r.id, 'Delta', EVSE1, AVAILABILITY]],
    );
  }));

test('TC_N_09_CS N04.FR.01 several elements on different components and variables: one result each, in order', () =>
  withStation({}, async (p) => {
    const results = await setMonitoring(
      p,
      data('UpperThreshold', 11000, 4),
      data('Delta', 1, 6, { name: 'Connector', evse: { id: 1, connectorId: 1 } }, AVAILABILITY),
    );
    assert.equal(
      results.map((r) => [r.status, r.component.name, r.variable.name]),
      [
        ['Accepted', 'EVSE', 'Power'],
        ['Accepted', 'Connector', 'AvailabilityState'],
      ],
    );
  }));

test('TC_N_10_CS several monitors on the same component and variable (other types or severities): all Accepted', () =>
  withStation({}, async (p) => {
    const results = await setMonitoring(
      p,
      data('UpperThreshold', 11000, 4),
      data('LowerThreshold', 100, 4),
      data('UpperThreshold', 20000, 2),
    );
    assert.equal(
      results.map((r) => r.status),
      ['Accepted', 'Accepted', 'Accepted'],
    );
    assert.is(new Set(results.map((r) => r.id)).size, 3);
  }));

test('TC_N_11_CS TC_N_37_CS N04.FR.03 N04.FR.04 unknown component: UnknownComponent; unknown variable: UnknownVariable', () =>
  withStation({}, async (p) => {
    const results = await setMonitoring(
      p,
      data('Delta', 1, 5, { name: 'UnknownComponentXYZ' }, AVAILABILITY),
      data('Delta', 1, 5, EVSE1, { name: 'UnknownVariableXYZ' }),
    );
    assert.equal(
      results.map((r) => r.status),
      ['UnknownComponent', 'UnknownVariable'],
    );
  }));

test('TC_N_12_CS N04.FR.14 a Delta monitor with a negative value: Rejected', () =>
  withStation({}, async (p) => {
    const [r] = await setMonitoring(p, data('Delta', -1, 5));
    assert.is(r.status, 'Rejected');
  }));

test('TC_N_13_CS N04.FR.06 a threshold beyond the maxLimit of the variable: Rejected', () =>
  withStation({}, async (p) => {
    const [r] = await setMonitoring(p, data('UpperThreshold', 22000 + 100, 5));
    assert.is(r.status, 'Rejected');
  }));

test('TC_N_15_CS N04.FR.10 the same type and severity on a variable that has such a monitor: Duplicate', () =>
  withStation({}, async (p) => {
    await setMonitoring(p, data('UpperThreshold', 11000, 4));
    const [r] = await setMonitoring(p, data('UpperThreshold', 12000, 4));
    assert.is(r.status, 'Duplicate');
  }));

test('TC_N_38_CS N04.FR.05 a threshold on a variable that is not numeric: UnsupportedMonitorType', () =>
  withStation({}, async (p) => {
    const [r] = await setMonitoring(p, data('UpperThreshold', 1, 5, EVSE1, AVAILABILITY));
    assert.is(r.status, 'UnsupportedMonitorType');
  }));

test('TC_N_39_CS N04.FR.16 replacing a monitor with another component/variable: Rejected, the monitor stays', () =>
  withStation({}, async (p) => {
    const [r] = await setMonitoring(p, data('Delta', 1, 5, EVSE1, AVAILABILITY));
    const [again] = await setMonitoring(p, data('Delta', 1, 5, EVSE1, POWER, { id: r.id }));
    assert.is(again.status, 'Rejected');
    const { monitors } = await report(p);
    assert.equal(
      monitors.map((m) => [m.id, m.variable.name]),
      [[r.id, 'AvailabilityState']],
    );
  }));

test('TC_N_40_CS TC_N_51_CS N04.FR.12 N04.FR.13 replacing a monitor by its id; an id that does not exist: Rejected', () =>
  withStation({}, async (p) => {
    const [r] = await setMonitoring(p, data('UpperThreshold', 11000, 4));
    const [replaced] = await setMonitoring(p, data('UpperThreshold', 15000, 3, EVSE1, POWER, { id: r.id }));
    assert.equal([replaced.status, replaced.id], ['Accepted', r.id]);
    const { monitors } = await report(p);
    assert.equal(
      monitors.map((m) => [m.id, m.value, m.severity]),
      [[r.id, 15000, 3]],
    );
    const [unknown] = await setMonitoring(p, data('UpperThreshold', 15000, 3, EVSE1, POWER, { id: 4242 }));
    assert.is(unknown.status, 'Rejected');
  }));

test('TC_N_43_CS N04.FR.01 first and third elements valid, the second not: Accepted, UnknownComponent, Accepted', () =>
  withStation({}, async (p) => {
    const results = await setMonitoring(
      p,
      data('UpperThreshold', 11000, 4),
      data('Delta', 1, 5, { name: 'NoSuchComponent' }, AVAILABILITY),
      data('Delta', 1, 5, EVSE1, AVAILABILITY),
    );
    assert.equal(
      results.map((r) => r.status),
      ['Accepted', 'UnknownComponent', 'Accepted'],
    );
  }));

test('TC_N_05_CS TC_N_06_CS TC_N_41_CS N03.FR.01 N03.FR.04 N04.FR.15 FactoryDefault removes custom monitors and restores a replaced preconfigured one', () =>
  withStation(
    {
      monitoring: {
        preconfigured: [{ component: EVSE1, variable: AVAILABILITY, type: 'Delta', value: 1, severity: 5 }],
      },
    },
    async (p) => {
      assert.equal(await p.call('SetMonitoringBase', { monitoringBase: 'All' }), { status: 'Accepted' });
      const [custom] = await setMonitoring(p, data('UpperThreshold', 11000, 4));
      const [replaced] = await setMonitoring(p, data('Delta', 1, 6, EVSE1, AVAILABILITY, { id: 1 }));
      assert.equal([replaced.status, custom.status], ['Accepted', 'Accepted']);
      let { monitors } = await report(p, {
        monitoringCriteria: ['DeltaMonitoring'],
        componentVariable: [{ component: EVSE1, variable: AVAILABILITY }],
      });
      assert.equal(
        monitors.map((m) => [m.id, m.severity]),
        [[1, 6]],
      );
      assert.equal(await p.call('SetMonitoringBase', { monitoringBase: 'FactoryDefault' }), { status: 'Accepted' });
      ({ monitors } = await report(p));
      assert.equal(
        monitors.map((m) => [m.id, m.severity]),
        [[1, 5]],
        'the custom monitor is gone, the preconfigured one back',
      );
    },
  ));

test('TC_N_07_CS N03.FR.02 an unknown monitoringBase is refused (the schema has no such value): CALLERROR, the station goes on', async () => {
  // The built-in CSMS validates what it sends; a raw socket lets the invalid request through.
  const csms = await rawCsms();
  const station = new ChargingStation({
    identity: 'TC-N-07',
    csms: { url: csms.url },
    versions: ['ocpp2.0.1'],
    info: { model: 'M', vendorName: 'V' },
    supplyPhases: 3,
    evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
    store: { path: ':memory:' },
    variables: { ...TEST_VARIABLES },
  });
  await station.start();
  try {
    const pipe = await csms.nextConnection();
    const answerUntil = async (id: string): Promise<unknown[]> => {
      for (;;) {
        const frame = await pipe.next();
        if (frame[0] !== 2) {
          if (frame[1] === id) return frame;
          continue;
        }
        const now = new Date().toISOString();
        pipe.send([
          3,
          frame[1],
          frame[2] === 'BootNotification' ? { status: 'Accepted', currentTime: now, interval: 300 } : {},
        ]);
      }
    };
    pipe.send([2, 'b1', 'SetMonitoringBase', { monitoringBase: 'Everything' }]);
    const refused = await answerUntil('b1');
    assert.equal(refused.slice(0, 2), [4, 'b1']);
    pipe.send([2, 'b2', 'SetMonitoringBase', { monitoringBase: 'HardWiredOnly' }]);
    assert.equal(await answerUntil('b2'), [3, 'b2', { status: 'Accepted' }]);
  } finally {
    await station.stop();
    await csms.close();
  }
});

test('TC_N_16_CS TC_N_17_CS N05.FR.01 N05.FR.02 SetMonitoringLevel: Accepted within 0–9, Rejected beyond', () =>
  withStation({}, async (p) => {
    assert.equal(await p.call('SetMonitoringLevel', { severity: 4 }), { status: 'Accepted' });
    assert.is((await p.call('SetMonitoringLevel', { severity: 10 })).status, 'Rejected');
  }));

test('TC_N_18_CS TC_N_19_CS TC_N_44_CS N06.FR.01 N06.FR.02 N06.FR.03 clear: Accepted, NotFound, Rejected for a hard-wired monitor', () =>
  withStation(
    {
      monitoring: {
        hardWired: [{ component: EVSE1, variable: POWER, type: 'UpperThreshold', value: 21000, severity: 0 }],
      },
    },
    async (p) => {
      const [r] = await setMonitoring(p, data('Delta', 1, 5, EVSE1, AVAILABILITY));
      const { clearMonitoringResult } = await p.call('ClearVariableMonitoring', { id: [r.id, 9999, 1] });
      assert.equal(
        clearMonitoringResult.map((x: any) => [x.id, x.status]),
        [
          [r.id, 'Accepted'],
          [9999, 'NotFound'],
          [1, 'Rejected'],
        ],
      );
      const { monitors } = await report(p);
      assert.equal(
        monitors.map((m) => [m.id, m.eventNotificationType]),
        [[1, undefined]],
        'the hard-wired monitor stays',
      );
    },
  ));

test('TC_N_20_CS N07.FR.06 N07.FR.07 N07.FR.16 N07.FR.17 N07.FR.02 thresholds on EVSE Power during a transaction: exceeded, then cleared and below the lower one', () =>
  withStation({}, async (p) => {
    assert.equal(await p.call('SetMonitoringBase', { monitoringBase: 'All' }), { status: 'Accepted' });
    const [upper] = await setMonitoring(p, data('UpperThreshold', 100, 4));
    const transactionId = await states.energyTransferStarted(p);
    const before = p.sent('NotifyEvent').length;
    p.station.deviceModel.set(EVSE1, POWER, 11000);
    const [up] = await nextEvents(p, before);
    const sent = p.sent('NotifyEvent').at(-1)!.request as any;
    assert.equal(sent.seqNo, 0);
    assert.equal(
      [
        up.trigger,
        up.actualValue,
        up.cleared ?? false,
        up.transactionId,
        up.variableMonitoringId,
        up.component,
        up.variable,
      ],
      ['Alerting', '11000', false, transactionId, upper.id, EVSE1, POWER],
    );
    const [lower] = await setMonitoring(p, data('LowerThreshold', 10, 4));
    const count = p.sent('NotifyEvent').length;
    p.station.deviceModel.set(EVSE1, POWER, 0);
    const down = await nextEvents(p, count);
    assert.equal(
      down.map((e) => [
        e.variableMonitoringId,
        e.cleared ?? false,
        e.actualValue,
        e.eventNotificationType,
        e.transactionId,
      ]),
      [
        [upper.id, true, '0', 'CustomMonitor', transactionId],
        [lower.id, false, '0', 'CustomMonitor', transactionId],
      ],
    );
  }));

test('TC_N_21_CS N07 a hard-wired notification the station raises: NotifyEvent with HardWiredNotification', () =>
  withStation({}, async (p) => {
    const before = p.sent('NotifyEvent').length;
    p.station.reportEvent({
      component: { name: 'ChargingStation' },
      variable: { name: 'Problem' },
      actualValue: 'true',
      techCode: 'E42',
    });
    const [e] = await nextEvents(p, before);
    assert.equal([e.eventNotificationType, e.techCode, e.actualValue], ['HardWiredNotification', 'E42', 'true']);
    assert.is((p.sent('NotifyEvent').at(-1)!.request as any).seqNo, 0);
    // A malformed report is the caller's error, not the station's.
    assert.throws(() => p.station.reportEvent({ component: { name: 'X' } } as never), TypeError);
    assert.throws(
      () => p.station.reportEvent({ component: { name: 'X' }, variable: { name: 'Y' }, actualValue: '', severity: 12 }),
      RangeError,
    );
    assert.ok(p.station.connected);
  }));

test('TC_N_22_CS N07.FR.04 offline, a monitor within OfflineQueuingSeverity: its event is queued and delivered once online', () =>
  withStation(OFFLINE, async (p) => {
    await setMonitoring(p, data('Delta', 1, 5, EVSE1, AVAILABILITY));
    await csmsGone(p);
    p.station.cablePlugged(1, 1);
    const before = p.sent('NotifyEvent').length;
    await csmsBack(p);
    const events = await nextEvents(p, before);
    assert.equal(
      events.map((e) => [e.trigger, e.actualValue, e.component, e.variable]),
      [['Delta', 'Occupied', EVSE1, AVAILABILITY]],
    );
  }));

test('TC_N_23_CS N07.FR.04 offline, a monitor above OfflineQueuingSeverity: its event is not sent, later ones are', () =>
  withStation(OFFLINE, async (p) => {
    const connector = { name: 'Connector', evse: { id: 1, connectorId: 1 } };
    await setMonitoring(p, data('Delta', 1, 6, connector, AVAILABILITY));
    await csmsGone(p);
    p.station.cablePlugged(1, 1);
    p.station.cableUnplugged(1, 1);
    const before = p.sent('NotifyEvent').length;
    await csmsBack(p);
    await p.waitFor('StatusNotification', (m: any) => m.request.connectorStatus === 'Available');
    // Online again: the next change is reported, and it is the first NotifyEvent since the station went offline.
    p.station.cablePlugged(1, 1);
    const events = await nextEvents(p, before);
    assert.equal(
      events.map((e) => [e.trigger, e.actualValue, e.component]),
      [['Delta', 'Occupied', connector]],
    );
  }));

test('TC_N_24_CS N08.FR.05 N08.FR.06 a periodic monitor reports every interval', () =>
  withStation({ manualClock: true }, async (p) => {
    const [r] = await setMonitoring(p, data('Periodic', 60, 5, EVSE1, AVAILABILITY));
    const before = p.sent('NotifyEvent').length;
    await p.advance(60_000);
    const [e] = await nextEvents(p, before);
    assert.equal([e.trigger, e.variableMonitoringId, e.actualValue], ['Periodic', r.id, 'Available']);
    await p.advance(60_000);
    await nextEvents(p, before + 1);
  }));

test('TC_N_45_CS N07.FR.18 a Delta monitor on a numeric variable: NotifyEvent once the value moved more than the delta', () =>
  withStation({}, async (p) => {
    p.station.deviceModel.set(EVSE1, POWER, 1000);
    const [r] = await setMonitoring(p, data('Delta', 500, 5));
    const before = p.sent('NotifyEvent').length;
    p.station.deviceModel.set(EVSE1, POWER, 1400);
    p.station.deviceModel.set(EVSE1, POWER, 1600);
    const [e] = await nextEvents(p, before);
    assert.equal([e.trigger, e.actualValue, e.variableMonitoringId], ['Delta', '1600', r.id]);
    assert.is(p.sent('NotifyEvent').length, before + 1, '1400 moved only 400');
  }));

test('TC_N_47_CS N02.FR.11 a report without criteria lists every monitor', () =>
  withStation(
    {
      monitoring: {
        hardWired: [{ component: EVSE1, variable: POWER, type: 'UpperThreshold', value: 21000, severity: 0 }],
      },
    },
    async (p) => {
      await setMonitoring(p, data('Delta', 1, 5, EVSE1, AVAILABILITY), data('Periodic', 300, 7));
      const { monitors } = await report(p);
      assert.equal(monitors.map((m) => m.type).sort(), ['Delta', 'Periodic', 'UpperThreshold']);
    },
  ));

test('TC_N_01_CS N02.FR.01 N02.FR.05 a report by monitoringCriteria: thresholds first, then with deltas, then with periodic monitors', () =>
  withStation({}, async (p) => {
    await setMonitoring(
      p,
      data('LowerThreshold', 100, 4),
      data('UpperThreshold', 11000, 4),
      data('Delta', 1, 5, EVSE1, AVAILABILITY),
      data('Periodic', 300, 7),
    );
    let { monitors } = await report(p, { monitoringCriteria: ['ThresholdMonitoring'] });
    assert.equal(monitors.map((m) => m.type).sort(), ['LowerThreshold', 'UpperThreshold']);
    ({ monitors } = await report(p, { monitoringCriteria: ['ThresholdMonitoring', 'DeltaMonitoring'] }));
    assert.equal(monitors.map((m) => m.type).sort(), ['Delta', 'LowerThreshold', 'UpperThreshold']);
    ({ monitors } = await report(p, {
      monitoringCriteria: ['ThresholdMonitoring', 'DeltaMonitoring', 'PeriodicMonitoring'],
    }));
    assert.equal(monitors.map((m) => m.type).sort(), ['Delta', 'LowerThreshold', 'Periodic', 'UpperThreshold']);
  }));

test('TC_N_02_CS TC_N_03_CS N02.FR.05 N02.FR.08 N02.FR.06 a report limited by component/variable and by criteria', () =>
  withStation({}, async (p) => {
    await setMonitoring(
      p,
      data('Delta', 1, 5, EVSE1, AVAILABILITY),
      data('UpperThreshold', 11000, 4),
      data('Periodic', 300, 7),
    );
    let { monitors } = await report(p, { componentVariable: [{ component: EVSE1, variable: POWER }] });
    assert.equal(monitors.map((m) => m.type).sort(), ['Periodic', 'UpperThreshold']);
    ({ monitors } = await report(p, {
      monitoringCriteria: ['ThresholdMonitoring'],
      componentVariable: [{ component: EVSE1 }],
    }));
    assert.equal(
      monitors.map((m) => m.type),
      ['UpperThreshold'],
    );
    ({ monitors } = await report(p, { monitoringCriteria: ['DeltaMonitoring', 'PeriodicMonitoring'] }));
    assert.equal(monitors.map((m) => m.type).sort(), ['Delta', 'Periodic']);
  }));

test('TC_N_04_CS N02.FR.10 a report for an unknown component: EmptyResultSet, no NotifyMonitoringReport', () =>
  withStation({}, async (p) => {
    await setMonitoring(p, data('UpperThreshold', 11000, 4));
    const { response } = await report(p, { componentVariable: [{ component: { name: 'NoSuchComponent' } }] });
    assert.is(response.status, 'EmptyResultSet');
    assert.equal(p.sent('NotifyMonitoringReport'), []);
  }));

test('TC_N_48_CS N07.FR.10 a monitor on a write-only variable: NotifyEvent with an empty actualValue', () =>
  withStation(
    {
      deviceModel: {
        components: [
          {
            name: 'VendorCtrlr',
            variables: [{ name: 'Secret', dataType: 'string', mutability: 'WriteOnly', supportsMonitoring: true }],
          },
        ],
      },
    },
    async (p) => {
      const secret = { component: { name: 'VendorCtrlr' }, variable: { name: 'Secret' } };
      const [r] = await setMonitoring(p, data('Delta', 1, 5, secret.component, secret.variable));
      assert.is(r.status, 'Accepted');
      const before = p.sent('NotifyEvent').length;
      const set = await p.call('SetVariables', { setVariableData: [{ ...secret, attributeValue: 'hidden' }] });
      assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
      const [e] = await nextEvents(p, before);
      assert.equal([e.trigger, e.actualValue, e.variableMonitoringId], ['Delta', '', r.id]);
    },
  ));

test('TC_N_56_CS N07.FR.06 N07.FR.19 a Delta monitor on a non-numeric variable reports every change', () =>
  withStation({}, async (p) => {
    await setMonitoring(p, data('Delta', 1, 5, EVSE1, AVAILABILITY));
    const before = p.sent('NotifyEvent').length;
    p.station.cablePlugged(1, 1);
    const [e] = await nextEvents(p, before);
    assert.equal([e.trigger, e.actualValue], ['Delta', 'Occupied']);
    p.station.cableUnplugged(1, 1);
    const [again] = await nextEvents(p, before + 1);
    assert.equal([again.trigger, again.actualValue], ['Delta', 'Available']);
  }));

test('TC_N_61_CS N07.FR.18 a Delta monitor of 1 on OfflineThreshold: a SetVariables of +1 reports nothing, +2 reports the new value', () =>
  withStation({}, async (p) => {
    const offline = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } };
    const current = Number(p.station.deviceModel.getInt('OCPPCommCtrlr', 'OfflineThreshold'));
    const [r] = await setMonitoring(p, data('Delta', 1, 5, offline.component, offline.variable));
    assert.is(r.status, 'Accepted');
    const setTo = async (value: number) =>
      (await p.call('SetVariables', { setVariableData: [{ ...offline, attributeValue: String(value) }] }))
        .setVariableResult[0].attributeStatus;
    const before = p.sent('NotifyEvent').length;
    assert.is(await setTo(current + 1), 'Accepted');
    assert.is(await setTo(current + 2), 'Accepted');
    const [e] = await nextEvents(p, before);
    assert.equal([e.trigger, e.actualValue, e.variableMonitoringId], ['Delta', String(current + 2), r.id]);
    assert.is(p.sent('NotifyEvent').length, before + 1, 'the first change stayed within the delta');
  }));

test('TC_N_52_CS N07.FR.12 a removed threshold monitor that was exceeded sends no cleared event', () =>
  withStation({}, async (p) => {
    const [r] = await setMonitoring(p, data('UpperThreshold', 100, 4));
    const before = p.sent('NotifyEvent').length;
    p.station.deviceModel.set(EVSE1, POWER, 1000);
    await nextEvents(p, before);
    await p.call('ClearVariableMonitoring', { id: [r.id] });
    p.station.deviceModel.set(EVSE1, POWER, 0);
    // A monitor that is still there shows that changes are being evaluated, and that nothing else came first.
    await setMonitoring(p, data('Delta', 1, 5, EVSE1, AVAILABILITY));
    p.station.cablePlugged(1, 1);
    const [next] = await nextEvents(p, before + 1);
    assert.equal([next.trigger, next.actualValue], ['Delta', 'Occupied']);
  }));

test('TC_N_53_CS N07.FR.13 N07.FR.14 monitors survive a reboot; a threshold exceeded before it is cleared once the value is back within', () =>
  withStation({}, async (p) => {
    const [r] = await setMonitoring(p, data('UpperThreshold', 100, 4));
    const before = p.sent('NotifyEvent').length;
    p.station.deviceModel.set(EVSE1, POWER, 1000);
    await nextEvents(p, before);
    await p.restart();
    // Power is not persistent: after the reboot it reads 0 again, within the threshold.
    const [cleared] = await nextEvents(p, before + 1);
    assert.equal([cleared.variableMonitoringId, cleared.cleared], [r.id, true]);
    const { monitors } = await report(p);
    assert.equal(
      monitors.map((m) => [m.id, m.type, m.value]),
      [[r.id, 'UpperThreshold', 100]],
    );
  }));

test('N05.FR.03 N07.FR.15 over the wire: a monitor above the monitoring level reports nothing, one within does', () =>
  withStation({}, async (p) => {
    await setMonitoring(
      p,
      data('Delta', 1, 8, EVSE1, AVAILABILITY),
      data('Delta', 1, 3, { name: 'Connector', evse: { id: 1, connectorId: 1 } }, AVAILABILITY),
    );
    assert.equal(await p.call('SetMonitoringLevel', { severity: 5 }), { status: 'Accepted' });
    const before = p.sent('NotifyEvent').length;
    p.station.cablePlugged(1, 1);
    const events = await nextEvents(p, before);
    assert.equal(
      events.map((e) => e.component.name),
      ['Connector'],
    );
  }));

test.run();
