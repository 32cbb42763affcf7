// A05 Upgrade Charging Station Security Profile over real sockets: a station on profile 1 is given a profile-2
// NetworkConnectionProfile; NetworkConfigurationPriority naming it is Rejected until a CSMS root is installed
// (A05.FR.02, TC_A_20_CS), then Accepted, and after the reboot the station connects with TLS to a CSMS whose
// certificate only the installed root verifies (A05.FR.04/05, TC_A_19_CS). Certificates are made at test time.
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { until } from '../support/rpc-harness.js';
import { startPair } from '../support/station-harness.js';

const PASSWORD = 'upgrade-test-password-0123';

const priority = (value: string) => ({
  setVariableData: [
    { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NetworkConfigurationPriority' }, attributeValue: value },
  ],
});

const profile = (url: string, securityProfile: number) => ({
  configurationSlot: 2,
  connectionData: {
    ocppVersion: 'OCPP20',
    ocppTransport: 'JSON',
    ocppCsmsUrl: url,
    messageTimeout: 30,
    securityProfile,
    ocppInterface: 'Wired0',
  },
});

test('TC_A_20_CS TC_A_19_CS A05.FR.02 A05.FR.04 A05.FR.05 A05.FR.06: profile 2 needs an installed CSMS root; with it the station reconnects over TLS after the reboot', async () => {
  const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'ocppkit tests' });
  const server = await root.issue({ commonName: '127.0.0.1' }, { ips: ['127.0.0.1'] });
  const secure = new SimpleCsms({
    versions: ['ocpp2.0.1'],
    password: PASSWORD,
    securityProfile: 2,
    tls: { cert: server.cert, key: server.key! },
  });
  const secureUrl = secure.url(await secure.listen());
  const pair = await startPair({ csms: { password: PASSWORD, securityProfile: 1 }, start: false });
  try {
    const station = await pair.restart({ csms: { url: pair.url, securityProfile: 1, password: PASSWORD } });
    await until(() => station.registration === 'Accepted', 5000, 'Accepted');
    const { csms, identity } = pair;
    assert.equal(await csms.call(identity, 'SetNetworkProfile', profile(secureUrl, 2)), { status: 'Accepted' });
    // A05.FR.02: no CSMS root yet.
    const refused = (await csms.call(identity, 'SetVariables', priority('2,1'))) as any;
    assert.equal(refused.setVariableResult[0].attributeStatus, 'Rejected');
    assert.is(station.deviceModel.get('OCPPCommCtrlr', 'NetworkConfigurationPriority'), '1', 'unchanged');
    // A05.FR.04: with one installed, Accepted.
    assert.equal(await csms.installCertificate(identity, 'CSMSRootCertificate', root.certPem), { status: 'Accepted' });
    const accepted = (await csms.call(identity, 'SetVariables', priority('2,1'))) as any;
    assert.equal(accepted.setVariableResult[0].attributeStatus, 'Accepted');
    // A05.FR.05: after the reboot the first entry: TLS to the secure CSMS, verified with the installed root.
    const arrived = new Promise<void>((resolve) => secure.on('station', (s) => s.identity === identity && resolve()));
    const again = await pair.restart({ csms: { url: pair.url, securityProfile: 1, password: PASSWORD } });
    await arrived;
    await until(() => again.registration === 'Accepted', 5000, 'Accepted by the secure CSMS');
    assert.is(again.deviceModel.get('SecurityCtrlr', 'SecurityProfile'), '2');
    // A05.FR.06: the profile-1 slot is out of the priority: the station does not fall back below profile 2.
    await until(
      () => again.deviceModel.get('OCPPCommCtrlr', 'NetworkConfigurationPriority') === '2',
      5000,
      'slot 1 removed from NetworkConfigurationPriority',
    );
  } finally {
    await pair.close();
    await secure.close();
  }
});

test('TC_A_21_CS A05.FR.03: profile 3 needs a valid ChargingStationCertificate: refused without one, accepted once the CSMS issued one', async () => {
  const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'ocppkit tests' });
  const pair = await startPair({ csms: { password: PASSWORD, securityProfile: 1, ca: root }, start: false });
  try {
    const station = await pair.restart({ csms: { url: pair.url, securityProfile: 1, password: PASSWORD } });
    await until(() => station.registration === 'Accepted', 5000, 'Accepted');
    const { csms, identity } = pair;
    assert.equal(await csms.installCertificate(identity, 'CSMSRootCertificate', root.certPem), { status: 'Accepted' });
    const refused = (await csms.call(identity, 'SetNetworkProfile', profile('wss://127.0.0.1:9/ocpp', 3))) as any;
    assert.equal(refused.status, 'Rejected');
    // A02: the CSMS has the station make a key and signs it; the station reconnects with it (A02.FR.08).
    const reconnected = new Promise<void>((resolve) => {
      let left = false;
      csms.on('disconnect', (s) => s.identity === identity && (left = true));
      csms.on('station', (s) => s.identity === identity && left && resolve());
    });
    await csms.call(identity, 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' });
    const signed = await csms.waitFor(
      (m) => m.direction === 'out' && m.action === 'CertificateSigned' && m.response !== undefined,
    );
    assert.equal(signed.response, { status: 'Accepted' });
    await reconnected;
    assert.equal(await csms.call(identity, 'SetNetworkProfile', profile('wss://127.0.0.1:9/ocpp', 3)), {
      status: 'Accepted',
    });
    const accepted = (await csms.call(identity, 'SetVariables', priority('2,1'))) as any;
    assert.equal(accepted.setVariableResult[0].attributeStatus, 'Accepted');
  } finally {
    await pair.close();
  }
});

test.run();
