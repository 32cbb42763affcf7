// M05.FR.12–16 over real TLS on 127.0.0.1 (security profile 2, every certificate made at test time): with
// AdditionalRootCertificateCheck a new CSMS root signed by the old one replaces it; the station verifies the CSMS
// with the new one first (TC_M_30_CS), falls back to the old one when the CSMS certificate does not verify with the
// new one (TC_M_31_CS), but never towards a CSMS it is migrating to (M05.FR.15/16, as TC_B_47_CS).
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { X509Certificate } from 'node:crypto';
import { SimpleCsms } from '../../runtime/csms/simple-csms.js';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { hashData } from '../../runtime/station/M-certificates/pki.js';
import { until } from '../support/rpc-harness.js';
import { startPair, type Pair } from '../support/station-harness.js';

const PASSWORD = 'a-long-enough-password-0001';
const FAST = {
  'SecurityCtrlr.AdditionalRootCertificateCheck': true,
  'OCPPCommCtrlr.RetryBackOffWaitMinimum': 0,
  'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
};

interface Setup {
  pair: Pair;
  old: CertificateAuthority;
  next: CertificateAuthority;
  failures: Error[];
}

/**
 * A profile-2 pair whose CSMS certificate is issued by `serverIssuer`; the station trusts the old root only as an
 * installed CSMSRootCertificate (no `tls.ca` of the integrator), then is sent the new root, signed by the old one.
 */
async function withNewRoot(serverIssuer: 'old' | 'next', variables: Record<string, unknown> = {}): Promise<Setup> {
  const old = await CertificateAuthority.create({ commonName: 'CSMS Root 2025' });
  const next = await old.subCa({ commonName: 'CSMS Root 2026' });
  const server = await (serverIssuer === 'old' ? old : next).issue({ commonName: '127.0.0.1' }, { ips: ['127.0.0.1'] });
  // A CSMS certificate of the new root comes with it (the chain up to the old root verifies with either).
  const chain = serverIssuer === 'old' ? server.cert : `${server.cert}\n${next.certPem}`;
  const pair = await startPair({
    csms: { securityProfile: 2, password: PASSWORD, tls: { cert: chain, key: server.key! } },
    start: false,
  });
  const profile = (tls: { ca?: string }) => ({ url: pair.url, securityProfile: 2 as const, password: PASSWORD, tls });
  // Bootstrapping: the integrator's root once, to install it as CSMSRootCertificate; then without it.
  await pair.restart({ csms: profile({ ca: old.certPem }), variables: FAST });
  await until(() => pair.station.connected, 5000, 'connected');
  const install = (certificate: string) =>
    pair.csms.call(pair.identity, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate });
  assert.equal(await install(old.certPem), { status: 'Accepted' });
  const station = await pair.restart({ csms: profile({}), variables: { ...FAST, ...variables } });
  await until(() => station.connected, 5000, 'connected with the installed root');
  assert.equal(await install(next.certPem), { status: 'Accepted' }, 'M05.FR.12: signed by the old root');
  const failures: Error[] = [];
  station.on('connectFailed', (e) => failures.push(e.error));
  return { pair, old, next, failures };
}

async function rootsReported(pair: Pair): Promise<string[]> {
  const answer = (await pair.csms.call(pair.identity, 'GetInstalledCertificateIds', {
    certificateType: ['CSMSRootCertificate'],
  })) as { certificateHashDataChain?: { certificateHashData: { serialNumber: string } }[] };
  return (answer.certificateHashDataChain ?? []).map((c) => c.certificateHashData.serialNumber);
}

const serialOf = (ca: CertificateAuthority) => hashData(new X509Certificate(ca.certPem)).serialNumber;

/** Resets the station and waits until it is back (its BootNotification). */
async function resetAndReconnect(pair: Pair): Promise<void> {
  const boots = pair.sent('BootNotification').length;
  assert.equal(await pair.csms.call(pair.identity, 'Reset', { type: 'OnIdle' }), { status: 'Accepted' });
  await until(() => pair.sent('BootNotification').length > boots, 10_000, 'booted again');
  await until(() => pair.csms.isConnected(pair.identity), 5000, 'connected');
}

test('TC_M_31_CS M05.FR.14: the CSMS certificate is of the old root: the new root does not verify it, the station reconnects with the old (fallback) root, which stays installed', async () => {
  const { pair, old, next, failures } = await withNewRoot('old');
  try {
    await resetAndReconnect(pair);
    // The first attempt was verified with the new root alone, and failed on the certificate.
    assert.ok(failures.length >= 1, 'a failed attempt with the new root');
    assert.match((failures[0] as { reason?: string }).reason ?? '', /UNABLE_TO|CERT/);
    const event = await pair.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as { type: string }).type === 'InvalidCsmsCertificate',
    );
    assert.ok(event);
    const roots = await rootsReported(pair);
    assert.ok(roots.includes(serialOf(old)), 'the old root is still installed');
    assert.ok(roots.includes(serialOf(next)));
  } finally {
    await pair.close();
  }
});

test('TC_M_30_CS M05.FR.13: the CSMS certificate is of the new root: the station connects verifying it with the new root alone, then removes the old one, and keeps connecting with the new one', async () => {
  const { pair, old, next, failures } = await withNewRoot('next');
  try {
    await resetAndReconnect(pair);
    assert.equal(failures, [], 'no failed attempt');
    const roots = await rootsReported(pair);
    assert.equal(roots, [serialOf(next)], 'the old root is gone');
    assert.not.ok(roots.includes(serialOf(old)));
    // The new root (signed by the old one, not self-signed) anchors the chain alone from now on.
    await resetAndReconnect(pair);
    assert.equal(failures, []);
  } finally {
    await pair.close();
  }
});

test('M05.FR.15 M05.FR.16 B10.FR.07 (as TC_B_47_CS): migrating to another CSMS whose certificate the new root does not verify: never the old root towards it; after NetworkProfileConnectionAttempts the station goes back to the old CSMS, verified with the old root', async () => {
  const { pair, old, failures } = await withNewRoot('old', { 'OCPPCommCtrlr.NetworkProfileConnectionAttempts': 1 });
  const serverB = await old.issue({ commonName: '127.0.0.1' }, { ips: ['127.0.0.1'] });
  const other = new SimpleCsms({
    versions: ['ocpp2.0.1'],
    securityProfile: 2,
    password: PASSWORD,
    tls: { cert: serverB.cert, key: serverB.key! },
  });
  const otherUrl = other.url(await other.listen());
  let reachedOther = false;
  other.on('station', () => (reachedOther = true));
  const slots: number[] = [];
  pair.station.on('connectFailed', (e) => slots.push(e.slot));
  try {
    const { identity, csms } = pair;
    assert.equal(
      await csms.call(identity, 'SetNetworkProfile', {
        configurationSlot: 2,
        connectionData: {
          ocppVersion: 'OCPP20',
          ocppTransport: 'JSON',
          ocppCsmsUrl: otherUrl,
          messageTimeout: 30,
          securityProfile: 2,
          ocppInterface: 'Wired0',
        },
      }),
      { status: 'Accepted' },
    );
    const set = (await csms.call(identity, 'SetVariables', {
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'NetworkConfigurationPriority' },
          attributeValue: '2,1',
        },
      ],
    })) as { setVariableResult: { attributeStatus: string }[] };
    assert.is(set.setVariableResult[0]!.attributeStatus, 'Accepted');
    await resetAndReconnect(pair);
    // M05.FR.15: towards the new CSMS only the new root, which does not verify it: refused on the certificate.
    assert.not.ok(reachedOther, 'never connected to the CSMS the old root alone would have verified');
    assert.ok(slots.includes(2));
    for (const e of failures) assert.match((e as { reason?: string }).reason ?? '', /UNABLE_TO|CERT/);
    // M05.FR.16: back on slot 1 (B10.FR.07), verified with the old root.
    assert.is(pair.station.deviceModel.get('OCPPCommCtrlr', 'ActiveNetworkProfile'), '1');
    assert.not.ok(slots.includes(1), 'slot 1 connected at once');
  } finally {
    await other.close();
    await pair.close();
  }
});

test('TC_B_50_CS M05.FR.13 B10.FR.04 migrating to a new CSMS whose certificate the new CSMS root verifies: after the reset the station connects there over TLS and boots', async () => {
  const { pair, next, failures } = await withNewRoot('old');
  const serverB = await next.issue({ commonName: '127.0.0.1' }, { ips: ['127.0.0.1'] });
  const other = new SimpleCsms({
    versions: ['ocpp2.0.1'],
    securityProfile: 2,
    password: PASSWORD,
    tls: { cert: `${serverB.cert}\n${next.certPem}`, key: serverB.key! },
  });
  const otherUrl = other.url(await other.listen());
  try {
    const { identity, csms } = pair;
    assert.equal(
      await csms.call(identity, 'SetNetworkProfile', {
        configurationSlot: 2,
        connectionData: {
          ocppVersion: 'OCPP20',
          ocppTransport: 'JSON',
          ocppCsmsUrl: otherUrl,
          messageTimeout: 30,
          securityProfile: 2,
          ocppInterface: 'Wired0',
        },
      }),
      { status: 'Accepted' },
    );
    const set = (await csms.call(identity, 'SetVariables', {
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'NetworkConfigurationPriority' },
          attributeValue: '2,1',
        },
      ],
    })) as { setVariableResult: { attributeStatus: string }[] };
    assert.is(set.setVariableResult[0]!.attributeStatus, 'Accepted');
    assert.equal(await csms.call(identity, 'Reset', { type: 'OnIdle' }), { status: 'Accepted' });
    // Reusable State Booted, at the new CSMS: its certificate verified with the new root.
    const boot = await other.waitFor((m) => m.identity === identity && m.action === 'BootNotification', 10_000);
    assert.equal((boot.response as { status: string }).status, 'Accepted');
    await other.waitFor((m) => m.identity === identity && m.action === 'StatusNotification', 5000);
    assert.is(pair.station.deviceModel.get('OCPPCommCtrlr', 'ActiveNetworkProfile'), '2');
    assert.equal(failures, [], 'no attempt failed');
  } finally {
    await other.close();
    await pair.close();
  }
});

test.run();
