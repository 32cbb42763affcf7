// A02.FR.01 and A03.FR.01/02 on the station's own initiative, through the real Shell with a ManualClock set to the
// real time and a real key folder (certificates made at test time): the renewal starts by a timer set from the
// certificate's notAfter and the configured margin, for an installed certificate as for the integrator's, and the
// integrator's certificate is replaced at the first profile-3 connection when the integrator asks for it.
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../runtime/queue/clock.js';
import { CertificateAuthority } from '../../runtime/station/M-certificates/ca.js';
import { certificatesUseCase, type CertificatesOptions } from '../../runtime/station/M-certificates/certificates.js';
import { KeyFolder } from '../../runtime/station/M-certificates/store.js';
import { checkOptions } from '../../runtime/station/options.js';
import { until } from '../support/rpc-harness.js';
import { drive } from '../support/shell-driver.js';

const DAY = 86_400_000;

async function setup(
  options: Omit<CertificatesOptions, 'keys' | 'maxEntries'>,
  variables: Record<string, string | number | boolean> = {},
) {
  const folder = mkdtempSync(join(tmpdir(), 'ocppkit-renewal-'));
  const keys = new KeyFolder(join(folder, 'keys'));
  const d = drive([certificatesUseCase({ keys, maxEntries: 50, ...options })], {
    clock: new ManualClock(Date.now()),
    variables: { 'SecurityCtrlr.OrganizationName': 'Test CSO', ...variables },
  });
  d.dispatch({ type: 'started', reason: 'PowerUp' });
  return { d, close: () => (d.shell.stop(), rmSync(folder, { recursive: true, force: true })) };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** Answers the SignCertificate the station sent and installs a certificate for its CSR, valid `days` from now. */
async function issue(s: Setup, root: CertificateAuthority, days: number): Promise<void> {
  await until(() => s.d.pending('SignCertificate').length > 0, 5000, 'a SignCertificate');
  const sign = s.d.pending('SignCertificate')[0]!;
  sign.answer({ status: 'Accepted' });
  await s.d.settle();
  const certificateChain = await root.signCsr(sign.payload.csr, { notBefore: s.d.clock.now(), days });
  const response = s.d.shell.answer('CertificateSigned', { certificateChain }, 'signed');
  s.d.shell.answered('signed');
  assert.equal(response, { status: 'Accepted' });
}

/** Advances the clock by `ms` a day at a time (the timers fire in between), then lets tasks finish. */
async function advance(s: Setup, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= DAY) await s.d.clock.advance(Math.min(DAY, left));
  await s.d.settle();
}

test('A03.FR.01 A03.FR.02 A03.FR.03: the renewal starts by itself when the installed certificate comes within renewBeforeDays of its notAfter', async () => {
  const s = await setup({ renewBeforeMs: 10 * DAY });
  try {
    const root = await CertificateAuthority.create({ commonName: 'CSO Root', organization: 'Test CSO' });
    s.d.shell.answer('InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root.certPem }, 'i');
    s.d.dispatch({ type: 'triggered', requestedMessage: 'SignChargingStationCertificate' });
    await issue(s, root, 100);
    const installedCsr = s.d.sent.filter((m) => m.action === 'SignCertificate')[0]!.payload.csr;
    s.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    await advance(s, 89 * DAY);
    assert.equal(s.d.pending('SignCertificate'), [], 'not yet: 11 days left');
    await advance(s, DAY + 60_000);
    await until(() => s.d.pending('SignCertificate').length > 0, 5000, 'the renewal');
    const renewal = s.d.pending('SignCertificate');
    assert.equal(renewal.length, 1);
    assert.equal(renewal[0]!.payload.certificateType, 'ChargingStationCertificate');
    assert.is.not(renewal[0]!.payload.csr, installedCsr, 'a new key pair');
  } finally {
    s.close();
  }
});

test('A03.FR.02: the integrator’s certificate (tls.cert), in use with security profile 3, is renewed as much as an installed one', async () => {
  const root = await CertificateAuthority.create({ commonName: 'Factory CA', organization: 'Test CSO' });
  // Issued 95 days ago for 100 days: 5 days left, within the default month.
  const given = await root.issue(
    { commonName: 'CS001', organization: 'Test CSO' },
    {
      notBefore: Date.now() - 95 * DAY,
      days: 100,
    },
  );
  const profile2 = await setup({ configuredCertificates: [given.cert] }, { 'SecurityCtrlr.SecurityProfile': 2 });
  try {
    profile2.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    await profile2.d.settle();
    assert.equal(profile2.d.pending('SignCertificate'), [], 'not in use with security profile 2');
  } finally {
    profile2.close();
  }
  const s = await setup({ configuredCertificates: [given.cert] }, { 'SecurityCtrlr.SecurityProfile': 3 });
  try {
    s.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    await until(() => s.d.pending('SignCertificate').length > 0, 5000, 'the renewal');
    assert.equal(s.d.pending('SignCertificate')[0]!.payload.certificateType, 'ChargingStationCertificate');
  } finally {
    s.close();
  }
});

test('A02.FR.01: with replaceInitialCertificate the first profile-3 connection with the integrator’s certificate starts a key update, once', async () => {
  const factory = await CertificateAuthority.create({ commonName: 'Factory CA', organization: 'Manufacturer' });
  const given = await factory.issue({ commonName: 'CS001', organization: 'Test CSO' }, { days: 3650 });
  const off = await setup({ configuredCertificates: [given.cert] }, { 'SecurityCtrlr.SecurityProfile': 3 });
  try {
    off.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    await off.d.settle();
    assert.equal(off.d.pending('SignCertificate'), [], 'not without replaceInitial: ten years left');
  } finally {
    off.close();
  }
  const s = await setup(
    { configuredCertificates: [given.cert], replaceInitial: true },
    { 'SecurityCtrlr.SecurityProfile': 3 },
  );
  try {
    s.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    await until(() => s.d.pending('SignCertificate').length > 0, 5000, 'the key update');
    const sign = s.d.pending('SignCertificate')[0]!;
    assert.equal(sign.payload.certificateType, 'ChargingStationCertificate');
    // The CSMS refuses it (A02.FR.12): the next connections do not ask again.
    sign.answer({ status: 'Rejected' });
    await s.d.settle();
    s.d.dispatch({ type: 'disconnected' });
    s.d.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
    await s.d.settle();
    assert.equal(s.d.sent.filter((m) => m.action === 'SignCertificate').length, 1);
  } finally {
    s.close();
  }
});

test('A02.FR.01 A03.FR.02: certificates.renewBeforeDays and replaceInitialCertificate are checked with the other options', () => {
  const base = {
    identity: 'CS001',
    csms: { url: 'ws://127.0.0.1:9' },
    evses: [{ id: 1, connectors: [{ id: 1 }] }],
    info: { model: 'M', vendorName: 'V' },
    supplyPhases: 3 as const,
    store: { path: ':memory:' },
  };
  for (const bad of [{ renewBeforeDays: 0 }, { renewBeforeDays: -1 }, { replaceInitialCertificate: 'yes' }])
    assert.throws(
      () => checkOptions({ ...base, certificates: bad } as never),
      /certificates\.(renewBeforeDays|replaceInitialCertificate)/,
    );
  assert.not.throws(() =>
    checkOptions({ ...base, certificates: { renewBeforeDays: 14, replaceInitialCertificate: true } }),
  );
});

test.run();
