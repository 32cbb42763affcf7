// Interop of the 1.6 station's Firmware Management with an independent 1.6 CSMS from npm: ocpp-rpc 2.2.1 in strict
// mode, which checks every message we send and every answer we give against the OCA 1.6 schemas it bundles.
// UpdateFirmware (the file from a real HTTP server on 127.0.0.1) and GetDiagnostics (uploaded to it), over a real
// socket. (The certificate signing round trip, also strict: interop-ocpp-rpc-certificates.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RPCServer } from 'ocpp-rpc';
import { ChargingStation } from '../../../runtime/station/charging-station.js';
import { testLayout } from '../../support/station-harness.js';
import { startFileServer } from '../../support/file-servers.js';

type TheirClient = {
  call(method: string, params: unknown): Promise<any>;
  handle(method: string, fn: (c: { params: any }) => unknown): void;
};

test('interop ocpp1.6: UpdateFirmware and GetDiagnostics against the ocpp-rpc CSMS (strict): every status notification valid and in order', async () => {
  const files = await startFileServer();
  const firmware = Buffer.from('firmware image for the interop test');
  files.files.set('/fw.bin', firmware);
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  server.auth((accept) => accept());
  const http = await server.listen(0, '127.0.0.1');
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
  const firmwareStatuses: string[] = [];
  const diagnosticsStatuses: string[] = [];
  // The station has booted once it reported its connector (after BootNotification.conf was taken in).
  let booted!: () => void;
  const boot = new Promise<void>((resolve) => (booted = resolve));
  const theirs = new Promise<TheirClient>((resolve) =>
    server.on('client', (client: TheirClient) => {
      client.handle('BootNotification', () => ({
        status: 'Accepted',
        currentTime: new Date().toISOString(),
        interval: 300,
      }));
      client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
      client.handle('StatusNotification', ({ params }) => {
        if (params.connectorId === 1) booted();
        return {};
      });
      client.handle('FirmwareStatusNotification', ({ params }) => (firmwareStatuses.push(params.status), {}));
      client.handle('DiagnosticsStatusNotification', ({ params }) => (diagnosticsStatuses.push(params.status), {}));
      resolve(client);
    }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-interop16-fw-'));
  const installed: Buffer[] = [];
  const station = new ChargingStation({
    identity: 'INTEROP16FW',
    csms: { url },
    versions: ['ocpp1.6'],
    info: { model: 'interop', vendorName: 'ocppkit' },
    supplyPhases: 3,
    evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
    store: { path: join(dir, 'station.db') },
    hardware: {
      installFirmware: (file) => void installed.push(readFileSync(file.path)),
      diagnosticsLog: () => 'interop diagnostics\n',
    },
  });
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(check(), what);
  };
  try {
    await station.start();
    const csms = await theirs;
    await boot;
    assert.equal(
      await csms.call('UpdateFirmware', { location: `${files.url}/fw.bin`, retrieveDate: new Date().toISOString() }),
      {},
    );
    await until(() => firmwareStatuses.includes('Installed'), 'Installed');
    assert.equal(firmwareStatuses, ['Downloading', 'Downloaded', 'Installing', 'Installed']);
    assert.ok(installed[0]?.equals(firmware));
    const uploaded = files.nextUpload();
    const res = await csms.call('GetDiagnostics', { location: `${files.url}/diagnostics`, retries: 0 });
    assert.type(res.fileName, 'string');
    assert.ok((await uploaded).body.toString().includes('interop diagnostics'));
    await until(() => diagnosticsStatuses.includes('Uploaded'), 'Uploaded');
    assert.equal(diagnosticsStatuses, ['Uploading', 'Uploaded']);
    assert.equal(await csms.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' }), {
      status: 'Accepted',
    });
    await until(() => firmwareStatuses.length === 5, 'the triggered status');
    assert.is(firmwareStatuses[4], 'Idle');
  } finally {
    await station.stop();
    await server.close({ force: true });
    await files.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
