// Blocks R and S against an independent OCPP-J implementation from npm: ocpp-rpc 2.2.1 as the CSMS on the ocpp2.1
// subprotocol. It frames, correlates and answers the CALLs, but its 2.1 strict mode is broken (see
// /work/shared/notes/toolchain.md), so it validates nothing here: our side validates every message it sends and
// receives against the OCA 2.1 schemas. It knows no OCPP semantics (no DER or battery-swap logic of its own).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RPCServer } from 'ocpp-rpc';
import { ChargingStation } from '../../runtime/station/charging-station.js';
import { derCapability } from '../../runtime/station/R-der/controls.js';
import { testLayout, TEST_VARIABLES } from '../support/station-harness.js';

type Their = {
  call(method: string, params: unknown): Promise<any>;
  handle(method: string, fn: (c: { params: any }) => unknown): void;
};

const now = () => new Date().toISOString();

test('interop ocpp2.1 R04 S02 S03 our station against the ocpp-rpc CSMS: SetDERControl, GetDERControl with ReportDERControl, RequestBatterySwap with BatterySwap', async () => {
  const server = new RPCServer({ protocols: ['ocpp2.1'], strictMode: false });
  server.auth((accept) => accept());
  const http = await server.listen(0, '127.0.0.1');
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-interop-'));
  const received: Array<{ method: string; params: any }> = [];
  const waiting = new Map<string, (p: any) => void>();
  const arrived = (method: string) =>
    new Promise<any>((resolve) => {
      const seen = received.find((r) => r.method === method);
      if (seen) return resolve(seen.params);
      waiting.set(method, resolve);
    });
  const record =
    (method: string, response: unknown = {}) =>
    ({ params }: { params: any }) => {
      received.push({ method, params });
      waiting.get(method)?.(params);
      return response;
    };
  // The handlers are in place before the station's first CALL can arrive.
  const clientP = new Promise<Their>((resolve) =>
    server.on('client', (theirs: Their) => {
      theirs.handle(
        'BootNotification',
        record('BootNotification', { currentTime: now(), interval: 300, status: 'Accepted' }),
      );
      theirs.handle('StatusNotification', record('StatusNotification'));
      theirs.handle('SecurityEventNotification', record('SecurityEventNotification'));
      theirs.handle('Heartbeat', record('Heartbeat', { currentTime: now() }));
      theirs.handle('ReportDERControl', record('ReportDERControl'));
      theirs.handle('NotifyDERStartStop', record('NotifyDERStartStop'));
      theirs.handle('BatterySwap', record('BatterySwap'));
      resolve(theirs);
    }),
  );
  const station = new ChargingStation({
    identity: 'INTEROP-V2X',
    csms: { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp` },
    versions: ['ocpp2.1'],
    info: { model: 'M', vendorName: 'V' },
    supplyPhases: 3,
    evses: testLayout([
      { id: 1, connectors: [{ id: 1 }] },
      { id: 2, connectors: [{ id: 1 }] },
    ]),
    store: { path: join(dir, 's.db') },
    variables: TEST_VARIABLES,
    deviceModel: { components: [derCapability(['LimitMaxDischarge'])] },
    hardware: { batterySwapAvailable: () => true },
  });
  try {
    await station.start();
    const theirs = await clientP;
    await arrived('StatusNotification');

    const set = await theirs.call('SetDERControl', {
      isDefault: true,
      controlId: 'LMD-1',
      controlType: 'LimitMaxDischarge',
      limitMaxDischarge: { priority: 1, pctMaxDischargePower: 60 },
    });
    assert.equal(set, { status: 'Accepted' });
    assert.equal(await theirs.call('GetDERControl', { requestId: 5 }), { status: 'Accepted' });
    const report = await arrived('ReportDERControl');
    assert.equal(report.limitMaxDischarge[0].id, 'LMD-1');
    const unsupported = await theirs.call('SetDERControl', {
      isDefault: true,
      controlId: 'FD',
      controlType: 'FreqDroop',
      freqDroop: { priority: 1, overFreq: 50.2, underFreq: 49.8, overDroop: 5, underDroop: 5, responseTime: 1 },
    });
    assert.is(unsupported.status, 'NotSupported');

    const token = { idToken: 'INTEROP-SWAP', type: 'ISO14443' };
    assert.equal(await theirs.call('RequestBatterySwap', { idToken: token, requestId: 77 }), { status: 'Accepted' });
    station.batteriesInserted(
      [{ evseId: 1, serialNumber: 'OLD', soC: 10, soH: 90 }],
      [{ evseId: 2, serialNumber: 'NEW', soC: 97, soH: 95 }],
    );
    const swap = await arrived('BatterySwap');
    assert.equal([swap.eventType, swap.requestId, swap.idToken], ['BatteryIn', 77, token]);
  } finally {
    await station.stop();
    await server.close({ force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
