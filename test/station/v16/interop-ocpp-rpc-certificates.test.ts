// Interop of the 1.6 station's certificate signing (security whitepaper) with an independent 1.6 CSMS from npm:
// ocpp-rpc 2.2.1 in strict mode (its bundled 1.6 schemas include the security whitepaper's, so every frame both ways
// is checked against them): InstallCertificate of the CSMS root, ExtendedTriggerMessage SignChargePointCertificate,
// the station's SignCertificate CSR signed by a CA made at test time, CertificateSigned Accepted, and the station
// reconnecting — over a real socket.
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RPCServer } from 'ocpp-rpc';
import { ChargingStation } from '../../../runtime/station/charging-station.js';
import { CertificateAuthority } from '../../../runtime/station/M-certificates/ca.js';
import { ocppRpcVerdict } from '../../support/independent-validators.js';
import { testLayout } from '../../support/station-harness.js';

type TheirClient = {
  call(method: string, params: unknown): Promise<any>;
  handle(method: string, fn: (c: { params: any }) => unknown): void;
};

test('interop ocpp1.6: a certificate signing round trip with the ocpp-rpc CSMS (strict): SignCertificate, CertificateSigned Accepted, a reconnection', async () => {
  const ca = await CertificateAuthority.create({ commonName: 'interop CSO root', organization: 'interop CSO' });
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  server.auth((accept) => accept());
  const http = await server.listen(0, '127.0.0.1');
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
  let connections = 0;
  let csr: string | undefined;
  let ready!: (c: TheirClient) => void;
  const first = new Promise<TheirClient>((resolve) => (ready = resolve));
  let reconnected!: () => void;
  const second = new Promise<void>((resolve) => (reconnected = resolve));
  server.on('client', (client: TheirClient) => {
    connections++;
    client.handle('BootNotification', () => ({
      status: 'Accepted',
      currentTime: new Date().toISOString(),
      interval: 300,
    }));
    client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    client.handle('StatusNotification', ({ params }) => {
      if (params.connectorId === 1) ready(client);
      return {};
    });
    client.handle('SecurityEventNotification', () => ({}));
    client.handle('SignCertificate', ({ params }) => {
      csr = params.csr;
      return { status: 'Accepted' };
    });
    if (connections === 2) reconnected();
  });
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-interop16-cert-'));
  const station = new ChargingStation({
    identity: 'INTEROP16CERT',
    csms: { url },
    versions: ['ocpp1.6'],
    info: { model: 'interop', vendorName: 'ocppkit' },
    supplyPhases: 3,
    evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
    store: { path: join(dir, 'station.db') },
  });
  try {
    await station.start();
    const csms = await first;
    assert.equal(
      await csms.call('InstallCertificate', {
        certificateType: 'CentralSystemRootCertificate',
        certificate: ca.certPem,
      }),
      { status: 'Accepted' },
    );
    assert.equal(await csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }), {
      status: 'Accepted',
    });
    for (let i = 0; i < 100 && csr === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(csr ?? '', /BEGIN CERTIFICATE REQUEST/);
    // Strict mode had a schema to check it with (a missing one throws instead of answering).
    assert.ok(ocppRpcVerdict('ocpp1.6', 'SignCertificate', 'request')!({ csr }));
    const certificate = await ca.signCsr(csr!, { days: 30 });
    assert.equal(await csms.call('CertificateSigned', { certificateChain: certificate }), { status: 'Accepted' });
    await second;
    assert.is(connections, 2);
  } finally {
    await station.stop();
    await server.close({ force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
