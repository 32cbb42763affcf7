// Report parts within the item and byte limits: every NotifyReportRequest is measured as the OCPP-J CALL frame the
// CSMS receives (UTF-8, 36-character message id), over a range of limits and with multi-byte text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { reportParts, type ReportDataType } from '../../../runtime/station/device-model/index.js';
import { assertValidRequest, makeModel } from './fixture.js';

const frameBytes = (payload: unknown) =>
  Buffer.byteLength(JSON.stringify([2, '8f0e2b4c-1c1d-4a8e-9b1f-0c6a3d2e9f10', 'NotifyReport', payload]), 'utf8');

// 240 variables with values of varied length, some in multi-byte characters, so sizes differ from part to part.
const bulky = {
  name: 'DataCollector',
  variables: Array.from({ length: 240 }, (_, i) => ({
    name: `Reading${String(i).padStart(3, '0')}`,
    dataType: 'string' as const,
    value: (i % 3 === 0 ? 'Grüße⚡' : 'x').repeat(1 + ((i * 37) % 60)),
  })),
};

test('B07.FR.03 B07.FR.10 parts stay within BytesPerMessageGetReport and ItemsPerMessageGetReport, measured as frames', () => {
  const { model } = makeModel({ components: [bulky] });
  const whole = model.getBaseReport(
    { requestId: 5, reportBase: 'FullInventory' },
    { maxItems: 100_000, maxBytes: 100_000_000 },
  ).reports[0]!.reportData!;
  let checked = 0;
  for (const maxBytes of [1200, 2000, 4096, 10_000, 65_536]) {
    for (const maxItems of [1, 3, 17, 100, 10_000]) {
      const parts = model.getBaseReport({ requestId: 5, reportBase: 'FullInventory' }, { maxItems, maxBytes }).reports;
      parts.forEach((p, i) => {
        assert.ok(frameBytes(p) <= maxBytes, `part ${i}: ${frameBytes(p)} bytes > ${maxBytes}`);
        assert.ok(p.reportData!.length <= maxItems, `part ${i}: ${p.reportData!.length} items > ${maxItems}`);
        assert.is(p.seqNo, i);
        assert.is(p.tbc, i < parts.length - 1);
        checked++;
      });
      assert.equal(
        parts.flatMap((p) => p.reportData!),
        whole,
        `${maxItems} items / ${maxBytes} bytes: nothing lost, order kept`,
      );
      // Greedy: a part is closed only when the next entry would not fit.
      for (let i = 0; i < parts.length - 1; i++) {
        const withNext = { ...parts[i]!, reportData: [...parts[i]!.reportData!, parts[i + 1]!.reportData![0]!] };
        assert.ok(
          frameBytes(withNext) > maxBytes || withNext.reportData.length > maxItems,
          `part ${i} could have taken one more`,
        );
      }
    }
  }
  assert.ok(checked > 500, `${checked} parts measured`);
});

test('B07.FR.10 seqNo grows past one digit without breaking the byte limit', () => {
  const { model } = makeModel({ components: [bulky] });
  const parts = model.getBaseReport(
    { requestId: 123456789, reportBase: 'FullInventory' },
    { maxItems: 1000, maxBytes: 1000 },
  ).reports;
  assert.ok(parts.length > 100, `${parts.length} parts`);
  for (const p of parts) {
    assert.ok(frameBytes(p) <= 1000);
    assertValidRequest('ocpp2.0.1', 'NotifyReport', p);
  }
});

test('B07.FR.03 an entry larger than the byte limit goes alone into its part; it is never dropped or split', () => {
  const entry = (n: number, size: number): ReportDataType => ({
    component: { name: 'Display' },
    variable: { name: `Message${n}` },
    variableAttribute: [
      { type: 'Actual', value: 'v'.repeat(size), mutability: 'ReadOnly', persistent: false, constant: false },
    ],
    variableCharacteristics: { dataType: 'string', supportsMonitoring: false },
  });
  const data = [entry(1, 10), entry(2, 2000), entry(3, 10), entry(4, 10)];
  const parts = reportParts(data, 1, '2025-03-01T12:00:00.000Z', { maxItems: 10, maxBytes: 1000 });
  assert.equal(
    parts.map((p) => p.reportData!.map((d) => d.variable.name)),
    [['Message1'], ['Message2'], ['Message3', 'Message4']],
  );
});

test('B07.FR.03 an empty report is one part without reportData; nonsense limits count as 1', () => {
  const empty = reportParts([], 3, '2025-03-01T12:00:00.000Z', { maxItems: 10, maxBytes: 1000 });
  assert.equal(empty, [{ requestId: 3, generatedAt: '2025-03-01T12:00:00.000Z', tbc: false, seqNo: 0 }]);
  assertValidRequest('ocpp2.1', 'NotifyReport', empty[0]);
  const { model } = makeModel();
  const parts = model.getBaseReport(
    { requestId: 1, reportBase: 'ConfigurationInventory' },
    { maxItems: 0, maxBytes: -5 },
  ).reports;
  assert.ok(parts.length > 10);
  for (const p of parts) assert.is(p.reportData!.length, 1);
});

test('B07 the default limits are DeviceDataCtrlr ItemsPerMessage/BytesPerMessage[GetReport]', () => {
  const { model } = makeModel({
    components: [
      bulky,
      {
        name: 'DeviceDataCtrlr',
        variables: [
          { name: 'ItemsPerMessage', instance: 'GetReport', value: 25 },
          { name: 'BytesPerMessage', instance: 'GetReport', value: 3000 },
        ],
      },
    ],
  });
  assert.equal(model.reportLimits(), { maxItems: 25, maxBytes: 3000 });
  const parts = model.getBaseReport({ requestId: 1, reportBase: 'FullInventory' }).reports;
  for (const p of parts) assert.ok(p.reportData!.length <= 25 && frameBytes(p) <= 3000);
  assert.ok(
    parts.some((p) => p.reportData!.length < 25),
    'bytes bound some parts',
  );
});

test.run();
