// B05–B08 over a real socket: the CSMS asks, the station answers from its device model, reports follow the answer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startPair } from '../support/station-harness.js';

const booted = async () => {
  const pair = await startPair({ station: { variables: { 'OCPPCommCtrlr.OfflineThreshold': 300 } } });
  await pair.waitFor('StatusNotification');
  return pair;
};

test('TC_B_06_CS GetVariables single value: OCPPCommCtrlr.OfflineThreshold Actual', async () => {
  const pair = await booted();
  try {
    const res: any = await pair.csms.call(pair.identity, 'GetVariables', {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeType: 'Actual' },
      ],
    });
    const r = res.getVariableResult[0];
    assert.is(r.attributeStatus, 'Accepted');
    assert.is(r.attributeType, 'Actual');
    assert.is(r.attributeValue, '300');
    assert.is(r.component.name, 'OCPPCommCtrlr');
    assert.is(r.variable.name, 'OfflineThreshold');
  } finally {
    await pair.close();
  }
});

test('TC_B_09_CS SetVariables single value is Accepted and kept across a reboot', async () => {
  const pair = await booted();
  try {
    const res: any = await pair.csms.call(pair.identity, 'SetVariables', {
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'OfflineThreshold' },
          attributeValue: '450',
          attributeType: 'Actual',
        },
      ],
    });
    assert.equal(
      {
        status: res.setVariableResult[0].attributeStatus,
        type: res.setVariableResult[0].attributeType,
        c: res.setVariableResult[0].component.name,
        v: res.setVariableResult[0].variable.name,
      },
      { status: 'Accepted', type: 'Actual', c: 'OCPPCommCtrlr', v: 'OfflineThreshold' },
    );
    const station = await pair.restart();
    assert.is(station.deviceModel.getInt('OCPPCommCtrlr', 'OfflineThreshold'), 450);
  } finally {
    await pair.close();
  }
});

test('TC_B_13_CS B07.FR.03 B07.FR.04 B07.FR.10 GetBaseReport FullInventory: Accepted, then NotifyReport parts with the requestId and seqNo from 0', async () => {
  const pair = await booted();
  try {
    const res: any = await pair.csms.call(pair.identity, 'GetBaseReport', {
      requestId: 42,
      reportBase: 'FullInventory',
    });
    assert.is(res.status, 'Accepted');
    const parts = [await pair.waitFor('NotifyReport')];
    while ((parts.at(-1)!.request as any).tbc) {
      const seq = (parts.at(-1)!.request as any).seqNo + 1;
      parts.push(await pair.waitFor('NotifyReport', (m) => (m.request as any).seqNo === seq));
    }
    parts.forEach((p, i) => {
      assert.is((p.request as any).requestId, 42);
      assert.is((p.request as any).seqNo, i);
    });
    const reported = parts.flatMap((p) => (p.request as any).reportData as any[]);
    assert.ok(
      reported.every((d) => d.variableCharacteristics),
      'every variable carries its characteristics',
    );
    const names = new Set(reported.map((d) => `${d.component.name}.${d.variable.name}`));
    for (const required of [
      'OCPPCommCtrlr.HeartbeatInterval',
      'OCPPCommCtrlr.OfflineThreshold',
      'SecurityCtrlr.OrganizationName',
      'Connector.ConnectorType',
      'EVSE.Power',
    ]) {
      assert.ok(names.has(required), `${required} is reported`);
    }
  } finally {
    await pair.close();
  }
});

test('TC_B_02_CS B02.FR.01 B02.FR.02 while Pending the station serves SetVariables and GetBaseReport and sends only what they ask for', async () => {
  const pair = await startPair({ csms: { versions: ['ocpp2.0.1'], bootStatus: 'Pending', heartbeatInterval: 3600 } });
  try {
    await pair.waitFor('BootNotification');
    const set: any = await pair.csms.call(pair.identity, 'SetVariables', {
      setVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: '300' },
      ],
    });
    assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
    const report: any = await pair.csms.call(pair.identity, 'GetBaseReport', {
      requestId: 7,
      reportBase: 'ConfigurationInventory',
    });
    assert.is(report.status, 'Accepted');
    await pair.waitFor('NotifyReport');
    const actions = new Set(pair.csms.received(pair.identity).map((m) => m.action));
    assert.equal(
      [...actions].sort(),
      ['BootNotification', 'NotifyReport'],
      'no StatusNotification or Heartbeat while Pending',
    );
  } finally {
    await pair.close();
  }
});

test.run();
