// Part 6 test cases of B07 Get Base Report and B08 Get Custom Report against the built-in CSMS over a real socket:
// the response first, then the NotifyReport parts, each answered by the CSMS; the tests read the report whole.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { components as catalogue } from '../../generated/v201/device-model.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import { sleep } from '../support/rpc-harness.js';
import { startPair, type Pair } from '../support/station-harness.js';

const TWO_EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

async function withStation(station: Partial<ChargingStationOptions>, fn: (pair: Pair) => Promise<void>): Promise<void> {
  const pair = await startPair({ station });
  try {
    await pair.waitFor('StatusNotification');
    await fn(pair);
  } finally {
    await pair.close();
  }
}

let nextRequestId = 100;

/** Asks for a report; resolves with the response and, when Accepted, every NotifyReport part (checked in order). */
async function report(pair: Pair, action: 'GetBaseReport' | 'GetReport', request: Record<string, unknown>) {
  const requestId = nextRequestId++;
  const response = (await pair.csms.call(pair.identity, action, { requestId, ...request })) as any;
  if (response.status !== 'Accepted') return { response, parts: [] as any[], data: [] as any[] };
  const parts: any[] = [];
  do {
    const seqNo = parts.length;
    parts.push(
      (
        await pair.waitFor(
          'NotifyReport',
          (m) => (m.request as any).requestId === requestId && (m.request as any).seqNo === seqNo,
        )
      ).request,
    );
  } while (parts.at(-1).tbc);
  parts.forEach((p, i) => {
    // B07.FR.04/B08.FR.04: the requestId; B07.FR.10/B08.FR.14: seqNo from 0, incremented by 1.
    assert.is(p.requestId, requestId);
    assert.is(p.seqNo, i);
    assert.ok(Math.abs(Date.parse(p.generatedAt) - Date.now()) < 60_000, "generatedAt is the station's time");
  });
  return { response, parts, data: parts.flatMap((p) => p.reportData ?? []) as any[] };
}

const okStatus = (r: any) =>
  r.status === 'Accepted' && (r.statusInfo === undefined || r.statusInfo.reasonCode === 'NoError');
const label = (d: any) =>
  `${d.component.name}${d.component.evse ? `(${d.component.evse.id}${d.component.evse.connectorId !== undefined ? `,${d.component.evse.connectorId}` : ''})` : ''}${d.component.instance ? `[${d.component.instance}]` : ''}.${d.variable.name}${d.variable.instance ? `[${d.variable.instance}]` : ''}`;
const LIST_TYPES = new Set(['OptionList', 'SequenceList', 'MemberList']);
const actualOf = (d: any) => d.variableAttribute.find((a: any) => (a.type ?? 'Actual') === 'Actual');

/** Part 6: a list-typed variable carries its valuesList, and its value is made of members of it. */
function assertListsWellFormed(data: any[]) {
  for (const d of data) {
    const ch = d.variableCharacteristics;
    assert.ok(ch, `${label(d)} carries variableCharacteristics`);
    if (!LIST_TYPES.has(ch.dataType)) continue;
    assert.ok(typeof ch.valuesList === 'string' && ch.valuesList.length > 0, `${label(d)} has a valuesList`);
    const allowed = new Set(ch.valuesList.split(',').map((s: string) => s.trim()));
    for (const a of d.variableAttribute) {
      if (a.value === undefined || a.value === '') continue;
      const members = ch.dataType === 'OptionList' ? [a.value] : a.value.split(',').map((s: string) => s.trim());
      for (const m of members)
        assert.ok(allowed.has(m), `${label(d)} value ${a.value} is in its valuesList ${ch.valuesList}`);
    }
  }
}

test('TC_B_12_CS B07.FR.01 B07.FR.03 B07.FR.04 B07.FR.07 B07.FR.10 B07.FR.12 ConfigurationInventory: Accepted, then only writable variables, with characteristics', () =>
  withStation({}, async (pair) => {
    const { response, data } = await report(pair, 'GetBaseReport', { reportBase: 'ConfigurationInventory' });
    assert.ok(okStatus(response));
    assertListsWellFormed(data);
    for (const d of data) {
      for (const a of d.variableAttribute)
        assert.ok(
          a.mutability === 'ReadWrite' || a.mutability === 'WriteOnly',
          `${label(d)} ${a.type} is writable (${a.mutability})`,
        );
    }
    const names = new Set(data.map(label));
    // Writable variables of the blocks ocppkit implements (B, C, E, J).
    for (const v of [
      'OCPPCommCtrlr.HeartbeatInterval',
      'OCPPCommCtrlr.OfflineThreshold',
      'OCPPCommCtrlr.NetworkConfigurationPriority',
      'AuthCtrlr.AuthorizeRemoteStart',
      'AuthCtrlr.LocalAuthorizeOffline',
      'TxCtrlr.TxStartPoint',
      'TxCtrlr.TxStopPoint',
      'SampledDataCtrlr.TxUpdatedMeasurands',
      'AlignedDataCtrlr.Interval',
    ]) {
      assert.ok(names.has(v), `${v} is reported`);
    }
    assert.not.ok(names.has('OCPPCommCtrlr.MessageTimeout[Default]'), 'a read-only variable is not configuration');
  }));

test('TC_B_14_CS B07.FR.01 B07.FR.03 B07.FR.04 B07.FR.09 B07.FR.10 B07.FR.12 SummaryInventory: the availability of station, each EVSE and differing connectors, and active problems', () =>
  withStation({ evses: TWO_EVSES }, async (pair) => {
    // EVSE 2 out of service and EVSE 1's connector faulted: the summary must show both.
    assert.equal(
      await pair.csms.call(pair.identity, 'ChangeAvailability', { evse: { id: 2 }, operationalStatus: 'Inoperative' }),
      { status: 'Accepted' },
    );
    pair.station.connectorFaulted(1, 1);
    await pair.waitFor('StatusNotification', (m) => (m.request as any).connectorStatus === 'Faulted');
    const { response, data } = await report(pair, 'GetBaseReport', { reportBase: 'SummaryInventory' });
    assert.ok(okStatus(response));
    assertListsWellFormed(data);
    const states = Object.fromEntries(
      data
        .filter((d) => d.variable.name === 'AvailabilityState')
        .map((d) => [label(d).replace('.AvailabilityState', ''), actualOf(d).value]),
    );
    // Neither EVSE can take an EV: the station as a whole is Unavailable.
    assert.equal(
      states,
      {
        ChargingStation: 'Unavailable',
        'EVSE(1)': 'Faulted',
        'EVSE(2)': 'Unavailable',
      },
      'a connector is listed only where it differs from its EVSE',
    );
    for (const d of data)
      assert.ok(
        ['AvailabilityState', 'Problem', 'Tripped', 'Overload', 'Fallback'].includes(d.variable.name),
        `${label(d)} belongs in a summary`,
      );
  }));

test('TC_B_15_CS B07.FR.02 a base report the station does not offer (SummaryInventory switched off): NotSupported, and no NotifyReport', () =>
  withStation({ deviceModel: { summaryInventory: false } }, async (pair) => {
    const response = (await pair.csms.call(pair.identity, 'GetBaseReport', {
      requestId: 5,
      reportBase: 'SummaryInventory',
    })) as any;
    assert.is(response.status, 'NotSupported');
    assert.ok(response.statusInfo === undefined || response.statusInfo.reasonCode === 'UnsupportedParam');
    await sleep(300);
    assert.equal(pair.sent('NotifyReport'), []);
  }));

test('TC_B_53_CS FullInventory holds the required variables of every component it reports, valuesLists for list types, no value for WriteOnly', () =>
  withStation(
    {
      deviceModel: {
        components: [
          {
            name: 'SecurityCtrlr',
            variables: [{ name: 'BasicAuthPassword', value: 'correct-horse-battery', mutability: 'WriteOnly' }],
          },
        ],
      },
    },
    async (pair) => {
      const { response, data } = await report(pair, 'GetBaseReport', { reportBase: 'FullInventory' });
      assert.ok(okStatus(response));
      assertListsWellFormed(data);
      const reported = new Set(
        data.map(
          (d) => `${d.component.name}.${d.variable.name}${d.variable.instance ? `[${d.variable.instance}]` : ''}`,
        ),
      );
      const components = new Set(data.map((d) => d.component.name as string));
      for (const name of components) {
        const spec = (
          catalogue as Record<
            string,
            {
              variables: Record<
                string,
                {
                  required: boolean;
                  instances?: readonly { instance: string | null; required: boolean; anyInstance?: true }[];
                }
              >;
            }
          >
        )[name];
        if (!spec) continue; // a vendor component
        for (const [variable, v] of Object.entries(spec.variables)) {
          if (!v.required) continue;
          const instances = v.instances?.filter((i) => i.required && !i.anyInstance) ?? [];
          if (instances.length === 0)
            assert.ok(
              [...reported].some((r) => r === `${name}.${variable}` || r.startsWith(`${name}.${variable}[`)),
              `${name}.${variable} is required`,
            );
          for (const i of instances)
            assert.ok(
              reported.has(`${name}.${variable}${i.instance ? `[${i.instance}]` : ''}`),
              `${name}.${variable}[${i.instance}] is required`,
            );
        }
      }
      const password = data.find(
        (d) => d.component.name === 'SecurityCtrlr' && d.variable.name === 'BasicAuthPassword',
      );
      assert.ok(password, 'the write-only variable is reported');
      assert.equal(
        password.variableAttribute.map((a: any) => [a.mutability, 'value' in a]),
        [['WriteOnly', false]],
        'without its value',
      );
    },
  ));

test('TC_B_16_CS B08.FR.01 B08.FR.03 B08.FR.04 B08.FR.09 B08.FR.12 B08.FR.14 GetReport componentCriteria Enabled: every component enabled, none disabled; GetVariables agrees', () =>
  withStation({ variables: { 'LocalAuthListCtrlr.Enabled': false, 'AuthCacheCtrlr.Enabled': true } }, async (pair) => {
    const full = await report(pair, 'GetBaseReport', { reportBase: 'FullInventory' });
    const enabledVar = (d: any) => d.variable.name === 'Enabled' && !d.variable.instance;
    const enabledIn = (data: any[], value: string) =>
      new Set(data.filter((d) => enabledVar(d) && actualOf(d)?.value === value).map(label));
    const { response, data } = await report(pair, 'GetReport', { componentCriteria: ['Enabled'] });
    assert.ok(okStatus(response));
    assertListsWellFormed(data);
    // Post scenario: every Enabled = true of the full inventory is in the custom report, with value true.
    const wantEnabled = enabledIn(full.data, 'true');
    assert.ok(wantEnabled.has('AuthCacheCtrlr.Enabled'));
    assert.equal(enabledIn(data, 'true'), wantEnabled);
    // B08.FR.09: a component whose Enabled is false is not reported at all.
    assert.not.ok(
      data.some((d) => d.component.name === 'LocalAuthListCtrlr'),
      'LocalAuthListCtrlr (Enabled false) is left out',
    );
    assert.equal(enabledIn(data, 'false'), new Set());
    // Steps 5–6: GetVariables of the reported Enabled variables: Accepted, true.
    const asked = data.filter(enabledVar).map((d) => ({ component: d.component, variable: d.variable }));
    const got = ((await pair.csms.call(pair.identity, 'GetVariables', { getVariableData: asked })) as any)
      .getVariableResult;
    for (const r of got) assert.equal([r.attributeStatus, r.attributeValue], ['Accepted', 'true'], label(r));
  }));

/** The one reportData of EVSE 1's AvailabilityState, as TC_B_17/18 check it. */
function assertEvse1AvailabilityState(data: any[]) {
  assert.is(data.length, 1, 'only the requested component/variable');
  const [d] = data;
  assert.equal([d.component.name, d.component.evse?.id, d.variable.name], ['EVSE', 1, 'AvailabilityState']);
  assert.is(d.variableCharacteristics.dataType, 'OptionList');
  assert.equal(
    d.variableCharacteristics.valuesList.split(',').map((s: string) => s.trim()),
    ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'],
  );
  assert.equal(
    d.variableAttribute.map((a: any) => [a.type, a.mutability]),
    [['Actual', 'ReadOnly']],
  );
}

const EVSE1_STATE = { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' } };

test('TC_B_17_CS B08.FR.01 B08.FR.03 B08.FR.04 B08.FR.11 B08.FR.12 B08.FR.14 GetReport of EVSE 1 AvailabilityState: that one variable with its characteristics', () =>
  withStation({ evses: TWO_EVSES }, async (pair) => {
    const { response, data } = await report(pair, 'GetReport', { componentVariable: [EVSE1_STATE] });
    assert.ok(okStatus(response));
    assertEvse1AvailabilityState(data);
  }));

test('TC_B_18_CS B08.FR.05 B08.FR.11 B08.FR.15 GetReport with criteria and componentVariable: Available matches EVSE 1; Problem does not: EmptyResultSet', () =>
  withStation({ evses: TWO_EVSES }, async (pair) => {
    const available = await report(pair, 'GetReport', {
      componentCriteria: ['Available'],
      componentVariable: [EVSE1_STATE],
    });
    assert.ok(okStatus(available.response));
    assertEvse1AvailabilityState(available.data);
    const before = pair.sent('NotifyReport').length;
    const problem = (await pair.csms.call(pair.identity, 'GetReport', {
      requestId: 9,
      componentCriteria: ['Problem'],
      componentVariable: [EVSE1_STATE],
    })) as any;
    assert.is(problem.status, 'EmptyResultSet');
    assert.ok(problem.statusInfo === undefined || problem.statusInfo.reasonCode === 'NotFound');
    await sleep(200);
    assert.is(pair.sent('NotifyReport').length, before, 'no NotifyReport for an empty result');
  }));

test('TC_B_54_CS B08.FR.21 GetReport of DeviceDataCtrlr.ItemsPerMessage without instance: every instance of it', () =>
  withStation({}, async (pair) => {
    const { response, data } = await report(pair, 'GetReport', {
      componentVariable: [{ component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage' } }],
    });
    assert.ok(okStatus(response));
    assert.ok(data.every((d) => d.component.name === 'DeviceDataCtrlr' && d.variable.name === 'ItemsPerMessage'));
    assert.equal(data.map((d) => d.variable.instance).sort(), ['GetReport', 'GetVariables', 'SetVariables']);
  }));

test('TC_B_55_CS B08.FR.11 GetReport of DeviceDataCtrlr.ItemsPerMessage[GetReport]: only that instance', () =>
  withStation({}, async (pair) => {
    const { response, data } = await report(pair, 'GetReport', {
      componentVariable: [
        { component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage', instance: 'GetReport' } },
      ],
    });
    assert.ok(okStatus(response));
    assert.equal(data.map(label), ['DeviceDataCtrlr.ItemsPerMessage[GetReport]']);
  }));

test('TC_B_56_CS B08.FR.23 GetReport of EVSE AvailabilityState without evseId: one per configured EVSE', () =>
  withStation({ evses: [...TWO_EVSES, { id: 3, connectors: [{ id: 1 }, { id: 2 }] }] }, async (pair) => {
    const { response, data } = await report(pair, 'GetReport', {
      componentVariable: [{ component: { name: 'EVSE' }, variable: { name: 'AvailabilityState' } }],
    });
    assert.ok(okStatus(response));
    assert.equal(data.map(label).sort(), [
      'EVSE(1).AvailabilityState',
      'EVSE(2).AvailabilityState',
      'EVSE(3).AvailabilityState',
    ]);
  }));

/** Holds the CSMS's answers to NotifyReport until released: the report stays in progress meanwhile. */
function holdReports(pair: Pair): () => void {
  const waiting: Array<() => void> = [];
  let held = true;
  pair.csms.respond('NotifyReport', () => (held ? new Promise((resolve) => waiting.push(() => resolve({}))) : {}));
  return () => {
    held = false;
    for (const release of waiting.splice(0)) release();
  };
}

test('B07.FR.13 B08.FR.16 while parts of a report still wait to be sent, another GetBaseReport or GetReport is Rejected; afterwards Accepted again', () =>
  // Ten items per NotifyReport, so that the report takes several parts.
  withStation(
    {
      deviceModel: {
        components: [
          { name: 'DeviceDataCtrlr', variables: [{ name: 'ItemsPerMessage', instance: 'GetReport', value: 10 }] },
        ],
      },
    },
    async (pair) => {
      const release = holdReports(pair);
      const first = (await pair.csms.call(pair.identity, 'GetBaseReport', {
        requestId: 1,
        reportBase: 'FullInventory',
      })) as any;
      assert.is(first.status, 'Accepted');
      const part0 = (await pair.waitFor('NotifyReport', (m) => (m.request as any).requestId === 1)).request as any;
      assert.ok(part0.tbc, 'the full inventory takes several parts');
      const base = (await pair.csms.call(pair.identity, 'GetBaseReport', {
        requestId: 2,
        reportBase: 'ConfigurationInventory',
      })) as any;
      assert.is(base.status, 'Rejected');
      const custom = (await pair.csms.call(pair.identity, 'GetReport', {
        requestId: 3,
        componentVariable: [EVSE1_STATE],
      })) as any;
      assert.is(custom.status, 'Rejected');
      release();
      // The first report completes; then the station takes requests again.
      for (let seqNo = 1; ; seqNo++) {
        const part = (
          await pair.waitFor(
            'NotifyReport',
            (m) => (m.request as any).requestId === 1 && (m.request as any).seqNo === seqNo,
          )
        ).request as any;
        if (!part.tbc) break;
      }
      const again = await report(pair, 'GetReport', { componentVariable: [EVSE1_STATE] });
      assert.is(again.response.status, 'Accepted');
      assert.ok(
        pair.sent('NotifyReport').every((m) => [1, again.parts[0].requestId].includes((m.request as any).requestId)),
        'nothing was sent for the rejected requests',
      );
    },
  ));

test.run();
