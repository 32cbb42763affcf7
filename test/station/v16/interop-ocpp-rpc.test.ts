// Interop of the 1.6 station with an independent 1.6 CSMS from npm: ocpp-rpc 2.2.1 in strict mode, which checks
// every message we send and every answer we give against the OCA 1.6 schemas it bundles. Boot, a full
// transaction, remote start/stop, configuration, the local list, a reservation, and smart charging
// (SetChargingProfile, GetCompositeSchedule, RemoteStartTransaction with a TxProfile), over a real socket.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RPCServer } from 'ocpp-rpc';
import { ChargingStation } from '../../../runtime/station/charging-station.js';
import { testLayout } from '../../support/station-harness.js';
import { tag } from '../../support/pair16.js';

type TheirClient = {
  call(method: string, params: unknown): Promise<any>;
  handle(method: string, fn: (c: { params: any }) => unknown): void;
};

test('interop ocpp1.6: the 1.6 ChargingStation against the ocpp-rpc CSMS (strict): boot, transaction, remote start/stop, configuration, local list, reservation, SetChargingProfile, GetCompositeSchedule', async () => {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  server.auth((accept) => accept());
  const http = await server.listen(0, '127.0.0.1');
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
  const received: Array<{ method: string; params: any }> = [];
  let waiters: Array<() => boolean> = [];
  const next = (method: string, match: (p: any) => boolean = () => true) =>
    new Promise<any>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${method} within 5 s (received: ${JSON.stringify(received)})`)),
        5000,
      );
      const check = () => {
        const m = received.find((r) => r.method === method && match(r.params));
        if (!m) return false;
        received.splice(received.indexOf(m), 1);
        clearTimeout(timer);
        resolve(m.params);
        return true;
      };
      if (!check()) waiters.push(check);
    });
  let txId = 500;
  const theirs = new Promise<TheirClient>((resolve) =>
    server.on('client', (client: TheirClient) => {
      const record = (method: string, answer: (p: any) => unknown) =>
        client.handle(method, ({ params }) => {
          received.push({ method, params });
          waiters = waiters.filter((w) => !w());
          return answer(params);
        });
      record('BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
      record('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
      record('StatusNotification', () => ({}));
      record('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
      record('StartTransaction', () => ({ transactionId: txId++, idTagInfo: { status: 'Accepted' } }));
      record('StopTransaction', () => ({}));
      record('MeterValues', () => ({}));
      resolve(client);
    }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-interop16-'));
  const limits: number[] = [];
  const station = new ChargingStation({
    identity: 'INTEROP16',
    csms: { url },
    versions: ['ocpp1.6'],
    info: { model: 'interop', vendorName: 'ocppkit' },
    supplyPhases: 3,
    evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
    store: { path: join(dir, 'station.db') },
    variables: { MeterValueSampleInterval: 1, AuthorizeRemoteTxRequests: false },
    hardware: {
      readMeter: () => [{ measurand: 'Energy.Active.Import.Register', value: 1234, unit: 'Wh' }],
      setChargingLimit: (_evseId: number, limit: { limit: number }) => void limits.push(limit.limit),
    },
  });
  try {
    await station.start();
    const csms = await theirs;
    assert.equal(await next('BootNotification'), { chargePointVendor: 'ocppkit', chargePointModel: 'interop' });
    await next('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Available');

    // A full transaction, ended by the CSMS.
    station.cablePlugged(1);
    station.idTokenPresented(tag('CARD1'));
    await next('Authorize', (p) => p.idTag === 'CARD1');
    await next('StartTransaction', (p) => p.idTag === 'CARD1' && p.meterStart === 1234);
    await next('MeterValues', (p) => p.transactionId === 500);
    assert.equal(await csms.call('RemoteStopTransaction', { transactionId: 500 }), { status: 'Accepted' });
    const stop = await next('StopTransaction');
    assert.equal([stop.transactionId, stop.reason], [500, 'Remote']);
    station.cableUnplugged(1);
    await next('StatusNotification', (p) => p.status === 'Available');

    // Remote start first, then the cable.
    assert.equal(await csms.call('RemoteStartTransaction', { idTag: 'CARD2', connectorId: 1 }), { status: 'Accepted' });
    station.cablePlugged(1);
    await next('StartTransaction', (p) => p.idTag === 'CARD2');
    station.idTokenPresented(tag('CARD2'));
    assert.is((await next('StopTransaction')).transactionId, 501);
    station.cableUnplugged(1);

    // Configuration.
    assert.equal(await csms.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '120' }), {
      status: 'Accepted',
    });
    const conf = await csms.call('GetConfiguration', { key: ['HeartbeatInterval', 'Unknown'] });
    assert.equal(conf, {
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '120' }],
      unknownKey: ['Unknown'],
    });

    // The local list.
    const list = {
      listVersion: 7,
      updateType: 'Full',
      localAuthorizationList: [{ idTag: 'L1', idTagInfo: { status: 'Accepted' } }],
    };
    assert.equal(await csms.call('SendLocalList', list), { status: 'Accepted' });
    assert.equal(await csms.call('GetLocalListVersion', {}), { listVersion: 7 });

    // A reservation, cancelled.
    await next('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Available');
    const expiryDate = new Date(Date.now() + 60_000).toISOString();
    assert.equal(await csms.call('ReserveNow', { connectorId: 1, idTag: 'R1', reservationId: 3, expiryDate }), {
      status: 'Accepted',
    });
    await next('StatusNotification', (p) => p.status === 'Reserved');
    assert.equal(await csms.call('CancelReservation', { reservationId: 3 }), { status: 'Accepted' });
    await next('StatusNotification', (p) => p.status === 'Available');

    // Smart charging: a TxDefaultProfile, its composite schedule, a remote start with a TxProfile.
    const schedule = (limit: number) => ({
      duration: 600,
      startSchedule: new Date(Date.now() - 1000).toISOString(),
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit }],
    });
    const txDefault = {
      chargingProfileId: 1,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: schedule(10),
    };
    assert.equal(await csms.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: txDefault }), {
      status: 'Accepted',
    });
    const c = await csms.call('GetCompositeSchedule', { connectorId: 1, duration: 600, chargingRateUnit: 'A' });
    assert.equal([c.status, c.connectorId, c.chargingSchedule.chargingSchedulePeriod[0].limit], ['Accepted', 1, 10]);
    assert.is(limits.at(-1), 10);
    const txProfile = {
      ...txDefault,
      chargingProfileId: 2,
      chargingProfilePurpose: 'TxProfile',
      chargingSchedule: schedule(8),
    };
    assert.equal(
      await csms.call('RemoteStartTransaction', { idTag: 'CARD3', connectorId: 1, chargingProfile: txProfile }),
      { status: 'Accepted' },
    );
    station.cablePlugged(1);
    await next('StartTransaction', (p) => p.idTag === 'CARD3');
    const during = await csms.call('GetCompositeSchedule', { connectorId: 1, duration: 600 });
    assert.is(during.chargingSchedule.chargingSchedulePeriod[0].limit, 8);
    assert.is(limits.at(-1), 8);
    assert.equal(await csms.call('ClearChargingProfile', { id: 1 }), { status: 'Accepted' });
  } finally {
    await station.stop();
    await server.close({ force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
