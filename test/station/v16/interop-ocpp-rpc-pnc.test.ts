// Interop of the 1.6 Plug & Charge application note with an independent 1.6 CSMS from npm: ocpp-rpc 2.2.1 in
// strict mode (DataTransfer is a 1.6 core message, so its own schemas check every frame): the note's wrapped
// InstallCertificate of a V2G root, TriggerMessage for the V2G certificate, the station's wrapped SignCertificate
// signed by a CA made at test time, CertificateSigned Accepted, and the wrapped Authorize of an eMAID — over a real
// socket.
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
import { testLayout } from '../../support/station-harness.js';

type TheirClient = {
  call(method: string, params: unknown): Promise<any>;
  handle(method: string, fn: (c: { params: any }) => unknown): void;
};

const VENDOR = 'org.openchargealliance.iso15118pnc';

test('interop ocpp1.6: Plug & Charge in DataTransfer with the ocpp-rpc CSMS (strict): V2G root, triggered V2G CSR, CertificateSigned, contract Authorize', async () => {
  const v2g = await CertificateAuthority.create({ commonName: 'interop V2G root', organization: 'V2G' });
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  server.auth((accept) => accept());
  const http = await server.listen(0, '127.0.0.1');
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
  let csr: string | undefined;
  let authorize: any;
  let ready!: (c: TheirClient) => void;
  const connected = new Promise<TheirClient>((resolve) => (ready = resolve));
  server.on('client', (client: TheirClient) => {
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
    client.handle('DataTransfer', ({ params }) => {
      if (params.vendorId !== VENDOR) return { status: 'UnknownVendorId' };
      const data = JSON.parse(params.data);
      if (params.messageId === 'SignCertificate') {
        csr = data.csr;
        return { status: 'Accepted', data: JSON.stringify({ status: 'Accepted' }) };
      }
      if (params.messageId === 'Authorize') {
        authorize = data;
        return { status: 'Accepted', data: JSON.stringify({ idTokenInfo: { status: 'Accepted' } }) };
      }
      return { status: 'UnknownMessageId' };
    });
    // No SecurityEventNotification handler: ocpp-rpc answers the start-up security event NotImplemented (it is not
    // 1.6 core), and the station's queue gives it up instead of holding the rest behind it.
  });
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-interop16-pnc-'));
  const station = new ChargingStation({
    identity: 'INTEROP16PNC',
    csms: { url },
    versions: ['ocpp1.6'],
    info: { model: 'interop', vendorName: 'ocppkit' },
    supplyPhases: 3,
    evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
    store: { path: join(dir, 'station.db') },
    variables: { ISO15118PnCEnabled: true },
  });
  const wrapped = async (csms: TheirClient, messageId: string, payload: object) => {
    const conf = await csms.call('DataTransfer', { vendorId: VENDOR, messageId, data: JSON.stringify(payload) });
    return { status: conf.status, data: conf.data === undefined ? undefined : JSON.parse(conf.data) };
  };
  try {
    await station.start();
    const csms = await connected;
    assert.equal(
      await wrapped(csms, 'InstallCertificate', { certificateType: 'V2GRootCertificate', certificate: v2g.certPem }),
      {
        status: 'Accepted',
        data: { status: 'Accepted' },
      },
    );
    assert.equal((await wrapped(csms, 'TriggerMessage', {})).data, { status: 'Accepted' });
    for (let i = 0; i < 100 && csr === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(csr ?? '', /BEGIN CERTIFICATE REQUEST/);
    const signed = await v2g.signCsr(csr!, { days: 30 });
    assert.equal((await wrapped(csms, 'CertificateSigned', { certificateChain: signed })).data, { status: 'Accepted' });
    const ids = await wrapped(csms, 'GetInstalledCertificateIds', { certificateType: ['V2GCertificateChain'] });
    assert.is(ids.data.certificateHashDataChain.length, 1);
    const answer = await station.certificates.authorizeContract({
      idToken: { idToken: 'DEINTEROP00001', type: 'eMAID' },
    });
    assert.is(answer.idTokenInfo.status, 'Accepted');
    assert.equal(authorize, { idToken: { idToken: 'DEINTEROP00001' } });
  } finally {
    await station.stop();
    await server.close({ force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
