// docs/device-model.md's example, run as written: the first ```ts block is extracted, its repository imports
// pointed at this checkout and its store at a temporary file, and then imported like any module.
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DeviceModel } from '../../../runtime/station/device-model/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { assertValidRequest, item, ok } from './fixture.js';

const root = resolve(import.meta.dirname, '../../..');

test('the example of docs/device-model.md builds a model, answers requests and persists', async () => {
  const doc = readFileSync(join(root, 'docs/device-model.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(code, 'the doc has a ts example');
  const tmp = tempDir();
  const file = join(root, '.tmp', `docs-example-${process.pid}.ts`);
  let closeStore = () => {};
  try {
    assert.ok(code.includes("'/var/lib/charger/ocpp.db'"));
    const runnable = code
      .replaceAll("'./runtime/", `'${pathToFileURL(join(root, 'runtime')).href}/`)
      .replace("'/var/lib/charger/ocpp.db'", JSON.stringify(tmp.file('ocpp.db')));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, runnable);
    const example = (await import(pathToFileURL(file).href)) as { model: DeviceModel; store: { close(): void } };
    const model = example.model;
    closeStore = () => example.store.close();
    assert.is(model.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 600);
    assert.is(model.get({ name: 'Fan', instance: 'cabinet' }, 'FanSpeed'), '1480', 'bound to the tachometer');
    assert.is(model.get({ name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState'), 'Occupied');
    const set = ok(
      model.setVariables({
        setVariableData: [
          item('SecurityCtrlr', 'BasicAuthPassword', { attributeValue: 'a-new-password-of-24-chars' }),
          item('AcmeDiagnosticsCtrlr', 'LogLevel', { attributeValue: 'debug' }),
          item({ name: 'Fan', instance: 'cabinet' }, 'FanSpeed', { attributeType: 'Target', attributeValue: '5500' }),
        ],
      }),
    );
    assert.equal(
      set.setVariableResult.map((r) => r.attributeStatus),
      ['Accepted', 'RebootRequired', 'Rejected'],
    );
    const report = model.getBaseReport({ requestId: 1, reportBase: 'FullInventory' });
    for (const p of report.reports) assertValidRequest('ocpp2.0.1', 'NotifyReport', p);
    assert.ok(!JSON.stringify(report.reports).includes('a-new-password'), 'WriteOnly stays hidden');
  } finally {
    closeStore();
    rmSync(file, { force: true });
    tmp.remove();
  }
});

test.run();
