// Part 6 TC_L_*_CS and the L01/L02 requirements of a charging station, over real sockets: the built-in CSMS, a real
// HTTP(S) file server on 127.0.0.1, certificates made at test time, a real SQLite file (reboots on the same store).
// By default ocppkit downloads at once and installs once no transaction runs (TC_L_14/15_CS); TC_L_12/13_CS (a station
// that cannot even download during a transaction) and TC_L_16_CS (one that installs during a transaction) run with
// options.firmware.duringTransactions 'wait' and 'install', over an HTTPS file server.
// @timeout 240
import { test } from 'uvu';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { until } from '../support/rpc-harness.js';
import * as assert from 'uvu/assert';
import { createCa, issue } from '../support/pki.js';
import { signFile } from '../support/firmware-signing.js';
import { startFileServer } from '../support/file-servers.js';
import { PLUG_TRANSACTIONS } from '../support/plug-transactions.js';
import { withFirmware, type FirmwarePair } from '../support/firmware-pair.js';
import { testLayout, TEST_VARIABLES } from '../support/station-harness.js';
import { ChargingStation } from '../../runtime/station/charging-station.js';

const security = (fp: FirmwarePair) => fp.pair.sent('SecurityEventNotification').map((m) => (m.request as any).type);
const connectorStatuses = (fp: FirmwarePair, evseId = 1) =>
  fp.pair
    .sent('StatusNotification')
    .filter((m) => (m.request as any).evseId === evseId)
    .map((m) => (m.request as any).connectorStatus);

test('TC_L_01_CS L01.FR.01 L01.FR.04 L01.FR.05 L01.FR.09 L01.FR.10 L01.FR.12 L01.FR.20 L01.FR.21 L01.FR.28 L01.FR.31 secure update: Downloading, Downloaded, SignatureVerified, Installing, Installed, FirmwareUpdated; the integrator gets the verified file', async () => {
  await withFirmware({}, async (fp) => {
    assert.equal(await fp.update(fp.request(123)), { status: 'Accepted' });
    await fp.waitStatus('Installed', 123);
    assert.equal(fp.statuses(), [
      ['Downloading', 123],
      ['Downloaded', 123],
      ['SignatureVerified', 123],
      ['Installing', 123],
      ['Installed', 123],
    ]);
    await fp.pair.waitFor('SecurityEventNotification', (m) => (m.request as any).type === 'FirmwareUpdated');
    assert.is(fp.installs.length, 1);
    assert.ok(fp.installs[0]!.content.equals(fp.firmware), 'the installed file is the downloaded one, whole');
    assert.equal([fp.installs[0]!.requestId, fp.installs[0]!.signed], [123, true]);
    await until(() => !existsSync(fp.installs[0]!.path), 3000, 'the installed file removed');
    // Step 9/16: Unavailable while installing, Available once installed (sent before Installed: one CALL at a time).
    const seen = connectorStatuses(fp);
    assert.ok(seen.includes('Unavailable'), `connectors held during the installation: ${seen.join(',')}`);
    assert.is(seen.at(-1), 'Available');
  });
});

test('TC_L_01_CS L01.FR.15 L01.FR.32 L02.FR.09 L02.FR.21 RebootRequired: InstallRebooting, a reboot with BootNotification FirmwareUpdate and the new version, then Installed from the new firmware', async () => {
  await withFirmware({}, async (fp) => {
    fp.install.push(async () => {
      fp.info.firmwareVersion = '2.0.0';
      return 'RebootRequired';
    });
    assert.equal(await fp.update(fp.request(7)), { status: 'Accepted' });
    await fp.waitStatus('Installed', 7, 10000);
    assert.equal(
      fp.statuses().map(([s]) => s),
      ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallRebooting', 'Installed'],
    );
    const boots = fp.pair.sent('BootNotification').map((m) => m.request as any);
    assert.is(boots.length, 2);
    assert.equal([boots[1].reason, boots[1].chargingStation.firmwareVersion], ['FirmwareUpdate', '2.0.0']);
    const installedAt = fp.pair
      .sent('FirmwareStatusNotification')
      .find((m) => (m.request as any).status === 'Installed')!.at;
    const bootAt = fp.pair.sent('BootNotification')[1]!.at;
    assert.ok(installedAt >= bootAt, 'Installed is sent after the reboot, by the new firmware');
    await fp.pair.waitFor('SecurityEventNotification', (m) => (m.request as any).type === 'FirmwareUpdated');
  });
});

test('TC_L_01_CS over OCPP 2.1: the same sequence, and the security event', async () => {
  await withFirmware(
    { versions: ['ocpp2.1'] },
    async (fp) => {
      assert.equal(await fp.update(fp.request(21)), { status: 'Accepted' });
      await fp.waitStatus('Installed', 21);
      assert.equal(
        fp.statuses().map(([s]) => s),
        ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed'],
      );
      await fp.pair.waitFor('SecurityEventNotification', (m) => (m.request as any).type === 'FirmwareUpdated');
    },
    { versions: ['ocpp2.1'] },
  );
});

test('TC_L_02_CS L01.FR.16 L02.FR.10 installDateTime in the future: InstallScheduled, Installing only at that time', async () => {
  await withFirmware({}, async (fp) => {
    const installAt = Date.now() + 1500;
    await fp.update(fp.request(2, {}, { installDateTime: new Date(installAt).toISOString() }));
    await fp.waitStatus('InstallScheduled', 2);
    assert.equal(fp.installs.length, 0);
    await fp.waitStatus('Installed', 2);
    const installing = fp.pair
      .sent('FirmwareStatusNotification')
      .find((m) => (m.request as any).status === 'Installing')!;
    assert.ok(installing.at >= installAt - 50, 'not installed before installDateTime');
    assert.equal(
      fp.statuses().map(([s]) => s),
      ['Downloading', 'Downloaded', 'SignatureVerified', 'InstallScheduled', 'Installing', 'Installed'],
    );
  });
});

test('TC_L_03_CS L01.FR.13 L02.FR.07 retrieveDateTime in the future: DownloadScheduled, no download before that time', async () => {
  await withFirmware({}, async (fp) => {
    const retrieveAt = Date.now() + 1200;
    await fp.update(fp.request(3, {}, { retrieveDateTime: new Date(retrieveAt).toISOString() }));
    await fp.waitStatus('DownloadScheduled', 3);
    assert.equal(fp.files.requests.length, 0, 'nothing fetched yet');
    await fp.waitStatus('Installed', 3);
    const downloading = fp.pair
      .sent('FirmwareStatusNotification')
      .find((m) => (m.request as any).status === 'Downloading')!;
    assert.ok(downloading.at >= retrieveAt - 50);
    assert.equal(fp.statuses()[0], ['DownloadScheduled', 3]);
  });
});

test('TC_L_05_CS L01.FR.02 L01.FR.21 L01.FR.22 a signing certificate from another CA: InvalidCertificate and the InvalidFirmwareSigningCertificate event, nothing downloaded', async () => {
  await withFirmware({}, async (fp) => {
    const other = await createCa('Someone else');
    const foreign = await issue(other, { commonName: 'foreign signer' });
    const res = await fp.update(
      fp.request(5, {}, { signingCertificate: foreign.cert, signature: signFile(fp.firmware, foreign.key) }),
    );
    assert.is(res.status, 'InvalidCertificate');
    await fp.pair.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as any).type === 'InvalidFirmwareSigningCertificate',
    );
    assert.equal(fp.files.requests.length, 0);
    assert.equal(fp.statuses(), []);
    // Not PEM at all: the same.
    assert.is((await fp.update(fp.request(6, {}, { signingCertificate: 'garbage' }))).status, 'InvalidCertificate');
  });
});

test('TC_L_01_CS TC_L_05_CS L01.FR.21 L01.FR.22 M05.FR.01 the signing certificate is checked against the ManufacturerRootCertificate the CSMS installed (InstallCertificate), with no root in the options', async () => {
  await withFirmware({ firmware: { rootCertificates: [] } }, async (fp) => {
    // No root yet: the signing certificate cannot be verified.
    const before = await fp.update(fp.request(31));
    assert.is(before.status, 'InvalidCertificate');
    await fp.pair.waitFor(
      'SecurityEventNotification',
      (m) => (m.request as any).type === 'InvalidFirmwareSigningCertificate',
    );
    assert.equal(fp.files.requests.length, 0);
    assert.equal(
      await fp.pair.csms.call(fp.pair.identity, 'InstallCertificate', {
        certificateType: 'ManufacturerRootCertificate',
        certificate: fp.ca.cert,
      }),
      { status: 'Accepted' },
    );
    // Now the same request goes through the whole secure update (TC_L_01_CS).
    assert.equal(await fp.update(fp.request(32)), { status: 'Accepted' });
    await fp.waitStatus('Installed', 32);
    assert.equal(
      fp.statuses().map(([s]) => s),
      ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed'],
    );
    // A signer of another CA is still refused (TC_L_05_CS): the installed root is the only one.
    const other = await createCa('Someone else');
    const foreign = await issue(other, { commonName: 'foreign signer' });
    const res = await fp.update(
      fp.request(33, {}, { signingCertificate: foreign.cert, signature: signFile(fp.firmware, foreign.key) }),
    );
    assert.is(res.status, 'InvalidCertificate');
  });
});

test('TC_L_06_CS L01.FR.03 L01.FR.04 a bad signature: Downloaded, InvalidSignature and the InvalidFirmwareSignature event; nothing installed', async () => {
  await withFirmware({}, async (fp) => {
    const wrong = signFile(Buffer.from('another file'), fp.signer.key);
    await fp.update(fp.request(6, {}, { signature: wrong }));
    await fp.waitStatus('InvalidSignature', 6);
    await fp.pair.waitFor('SecurityEventNotification', (m) => (m.request as any).type === 'InvalidFirmwareSignature');
    assert.equal(fp.statuses(), [
      ['Downloading', 6],
      ['Downloaded', 6],
      ['InvalidSignature', 6],
    ]);
    assert.equal(fp.installs.length, 0);
    const dir = `${fp.pair.dbPath}.files`;
    await until(() => !existsSync(join(dir, 'firmware-6.bin')), 3000, 'the rejected file removed');
  });
});

test('TC_L_06_CS L01 a signing certificate without signature is InvalidSignature after the download', async () => {
  await withFirmware({}, async (fp) => {
    await fp.update(fp.request(61, {}, { signature: undefined }));
    await fp.waitStatus('InvalidSignature', 61);
    assert.equal(fp.installs.length, 0);
  });
});

for (const [what, setup] of [
  ['404', (fp: FirmwarePair) => fp.files.files.delete('/fw.bin')],
  ['500', (fp: FirmwarePair) => fp.files.status.set('/fw.bin', 500)],
] as const) {
  test(`TC_L_07_CS L01.FR.30 L02.FR.19 the server answers ${what}: one Downloading, every retry after retryInterval, then DownloadFailed; the station keeps running`, async () => {
    await withFirmware({}, async (fp) => {
      setup(fp);
      const t0 = Date.now();
      await fp.update(fp.request(70, { retries: 2, retryInterval: 1 }));
      await fp.waitStatus('DownloadFailed', 70);
      assert.equal(fp.statuses(), [
        ['Downloading', 70],
        ['DownloadFailed', 70],
      ]);
      assert.is(fp.files.requests.length, 3, 'the first attempt and two retries');
      assert.ok(Date.now() - t0 >= 1900, 'retries waited retryInterval');
      // Still running: another update goes through.
      fp.files.files.set('/fw.bin', fp.firmware);
      fp.files.status.delete('/fw.bin');
      assert.equal(await fp.update(fp.request(71)), { status: 'Accepted' });
      await fp.waitStatus('Installed', 71);
    });
  });
}

test('TC_L_07_CS a file over the size limit is DownloadFailed', async () => {
  await withFirmware({ transfers: { maxBytes: 1000 } }, async (fp) => {
    await fp.update(fp.request(72, { retries: 0 }));
    await fp.waitStatus('DownloadFailed', 72);
    assert.equal(fp.installs.length, 0);
  });
});

test('a download cut in the middle resumes: the usual sequence, the whole file installed', async () => {
  await withFirmware({}, async (fp) => {
    fp.files.cut.set('/fw.bin', { after: 20_000, times: 1 });
    await fp.update(fp.request(73));
    await fp.waitStatus('Installed', 73);
    assert.ok(fp.installs[0]!.content.equals(fp.firmware));
    assert.equal(
      fp.files.requests.map((r) => r.range),
      [undefined, 'bytes=20000-'],
    );
    assert.ok(!fp.statuses().some(([s]) => s === 'DownloadFailed'));
  });
});

for (const result of ['InstallVerificationFailed', 'InstallationFailed'] as const) {
  test(`TC_L_08_CS L01.FR.29 installFirmware reports ${result}: that status, no FirmwareUpdated event`, async () => {
    await withFirmware({}, async (fp) => {
      fp.install.push(result);
      await fp.update(fp.request(8));
      await fp.waitStatus(result, 8);
      assert.ok(!security(fp).includes('FirmwareUpdated'));
    });
  });
}

test('TC_L_08_CS an installFirmware that throws is InstallationFailed', async () => {
  await withFirmware({}, async (fp) => {
    fp.install.push(async () => {
      throw new Error('flash write failed');
    });
    await fp.update(fp.request(81));
    await fp.waitStatus('InstallationFailed', 81);
  });
});

test('TC_L_10_CS L01.FR.24 L02.FR.15 a second UpdateFirmware during the download: AcceptedCanceled, then only the new requestId', async () => {
  await withFirmware({}, async (fp) => {
    fp.files.stall.add('/fw.bin');
    await fp.update(fp.request(100));
    await fp.waitStatus('Downloading', 100);
    fp.files.stall.delete('/fw.bin');
    assert.equal(await fp.update(fp.request(101)), { status: 'AcceptedCanceled' });
    await fp.waitStatus('Installed', 101);
    assert.equal(fp.statuses(), [
      ['Downloading', 100],
      ['Downloading', 101],
      ['Downloaded', 101],
      ['SignatureVerified', 101],
      ['Installing', 101],
      ['Installed', 101],
    ]);
    assert.is(fp.installs.length, 1);
  });
});

test('TC_L_11_CS L01.FR.27 L02.FR.18 a second UpdateFirmware while installing cannot cancel it: Rejected', async () => {
  await withFirmware({}, async (fp) => {
    let finish!: (r: 'Installed') => void;
    fp.install.push(() => new Promise((resolve) => (finish = resolve)));
    await fp.update(fp.request(110));
    await fp.waitStatus('Installing', 110);
    const res = await fp.update(fp.request(111));
    assert.is(res.status, 'Rejected');
    finish('Installed');
    await fp.waitStatus('Installed', 110);
    assert.ok(!fp.statuses().some(([, id]) => id === 111));
  });
});

test('TC_L_15_CS L01.FR.06 L01.FR.07 L01.FR.33 L01.FR.34 L02.FR.03 L02.FR.04 L02.FR.22 L02.FR.23 with a transaction: InstallScheduled, the idle EVSE Unavailable, Installing once the transaction ended', async () => {
  const evses = [
    { id: 1, connectors: [{ id: 1 }] },
    { id: 2, connectors: [{ id: 1 }] },
  ];
  await withFirmware({ evses, variables: PLUG_TRANSACTIONS }, async (fp) => {
    fp.pair.station.cablePlugged(1);
    await fp.pair.waitFor('TransactionEvent', (m) => (m.request as any).eventType === 'Started');
    await fp.update(fp.request(120));
    await fp.waitStatus('InstallScheduled', 120);
    await fp.pair.waitFor(
      'StatusNotification',
      (m) => (m.request as any).evseId === 2 && (m.request as any).connectorStatus === 'Unavailable',
    );
    assert.equal(fp.installs.length, 0, 'not while the transaction runs');
    assert.ok(!connectorStatuses(fp, 1).includes('Unavailable'), 'the EVSE in use stays as it is');
    fp.pair.station.cableUnplugged(1);
    await fp.waitStatus('Installed', 120);
    assert.equal(
      fp.statuses().map(([s]) => s),
      ['Downloading', 'Downloaded', 'SignatureVerified', 'InstallScheduled', 'Installing', 'Installed'],
    );
    // Released once installed (its StatusNotification goes out before Installed: one CALL at a time, in order).
    assert.is(connectorStatuses(fp, 2).at(-1), 'Available');
  });
});

test('TC_L_14_CS L01.FR.07 AllowNewSessionsPendingFirmwareUpdate true: the idle EVSE stays Available while the update waits', async () => {
  const evses = [
    { id: 1, connectors: [{ id: 1 }] },
    { id: 2, connectors: [{ id: 1 }] },
  ];
  await withFirmware(
    {
      evses,
      variables: { ...PLUG_TRANSACTIONS, 'ChargingStation.AllowNewSessionsPendingFirmwareUpdate': true },
    },
    async (fp) => {
      fp.pair.station.cablePlugged(1);
      await fp.pair.waitFor('TransactionEvent', (m) => (m.request as any).eventType === 'Started');
      await fp.update(fp.request(160));
      await fp.waitStatus('InstallScheduled', 160);
      // A new session on EVSE 2 may start.
      fp.pair.station.cablePlugged(2);
      await fp.pair.waitFor(
        'TransactionEvent',
        (m) => (m.request as any).eventType === 'Started' && (m.request as any).evse?.id === 2,
      );
      assert.ok(!connectorStatuses(fp, 2).includes('Unavailable'));
      fp.pair.station.cableUnplugged(1);
      fp.pair.station.cableUnplugged(2);
      await fp.waitStatus('Installed', 160);
    },
  );
});

const TWO_EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

/** A transaction starts on `evseId` (cable in, TxStartPoint EVConnected); resolves with its transactionId. */
async function plugIn(fp: FirmwarePair, evseId: number): Promise<string> {
  fp.pair.station.cablePlugged(evseId);
  const started = await fp.pair.waitFor(
    'TransactionEvent',
    (m) => (m.request as any).eventType === 'Started' && (m.request as any).evse?.id === evseId,
  );
  return (started.request as any).transactionInfo.transactionId;
}

/** The cable out of `evseId`: its transaction ends; resolves with the time the station was told. */
async function unplug(fp: FirmwarePair, evseId: number, transactionId: string): Promise<number> {
  const at = Date.now();
  fp.pair.station.cableUnplugged(evseId);
  await fp.pair.waitFor(
    'TransactionEvent',
    (m) =>
      (m.request as any).eventType === 'Ended' && (m.request as any).transactionInfo.transactionId === transactionId,
  );
  return at;
}

/** A firmware pair whose firmware file is on an HTTPS server the station trusts. */
async function withSecureFirmware(
  station: Parameters<typeof withFirmware>[0],
  body: (fp: FirmwarePair, location: string, secure: Awaited<ReturnType<typeof startFileServer>>) => Promise<void>,
): Promise<void> {
  const secure = await startFileServer({ tls: true });
  try {
    await withFirmware({ transfers: { ca: secure.ca!, timeoutMs: 2000 }, ...station }, async (fp) => {
      secure.files.set('/fw.bin', fp.firmware);
      // `station.firmware` replaced the pair's: the manufacturer's root comes from the CSMS instead (M05).
      assert.equal(await fp.pair.csms.installCertificate(fp.pair.identity, 'ManufacturerRootCertificate', fp.ca.cert), {
        status: 'Accepted',
      });
      await body(fp, `${secure.url}/fw.bin`, secure);
    });
  } finally {
    await secure.close();
  }
}

test('TC_L_12_CS L01.FR.01 L01.FR.06 L01.FR.07 L01.FR.10 L01.FR.20 a station that cannot download during a transaction, AllowNewSessionsPendingFirmwareUpdate true: DownloadScheduled, a second session may start, the update only after both ended', async () => {
  await withSecureFirmware(
    {
      evses: TWO_EVSES,
      firmware: { duringTransactions: 'wait' },
      variables: { ...PLUG_TRANSACTIONS, 'ChargingStation.AllowNewSessionsPendingFirmwareUpdate': true },
    },
    async (fp, location, secure) => {
      const first = await plugIn(fp, 1);
      assert.equal(await fp.update(fp.request(312, {}, { location })), { status: 'Accepted' });
      await fp.waitStatus('DownloadScheduled', 312);
      const second = await plugIn(fp, 2);
      assert.ok(!connectorStatuses(fp, 2).includes('Unavailable'), 'new sessions are allowed');
      await unplug(fp, 1, first);
      const lastEnded = await unplug(fp, 2, second);
      await fp.waitStatus('Installed', 312);
      assert.equal(
        fp.statuses().map(([st]) => st),
        ['DownloadScheduled', 'Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed'],
      );
      assert.ok(secure.requests.length > 0 && secure.requests.every((r) => r.at >= lastEnded), 'no download before');
      assert.ok(fp.installs[0]!.content.equals(fp.firmware));
      assert.ok(security(fp).includes('FirmwareUpdated'));
    },
  );
});

test('TC_L_13_CS L01.FR.01 L01.FR.06 L01.FR.07 L01.FR.10 L01.FR.20 a station that cannot download during a transaction, AllowNewSessionsPendingFirmwareUpdate false: the idle EVSE Unavailable, the update once the transaction ended', async () => {
  await withSecureFirmware(
    {
      evses: TWO_EVSES,
      firmware: { duringTransactions: 'wait' },
      variables: { ...PLUG_TRANSACTIONS, 'ChargingStation.AllowNewSessionsPendingFirmwareUpdate': false },
    },
    async (fp, location, secure) => {
      const tx = await plugIn(fp, 1);
      assert.equal(await fp.update(fp.request(313, {}, { location })), { status: 'Accepted' });
      await fp.waitStatus('DownloadScheduled', 313);
      await fp.pair.waitFor(
        'StatusNotification',
        (m) => (m.request as any).evseId === 2 && (m.request as any).connectorStatus === 'Unavailable',
      );
      assert.ok(!connectorStatuses(fp, 1).includes('Unavailable'), 'the EVSE in use stays as it is');
      const ended = await unplug(fp, 1, tx);
      await fp.waitStatus('Installed', 313);
      assert.equal(
        fp.statuses().map(([st]) => st),
        ['DownloadScheduled', 'Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed'],
      );
      assert.ok(secure.requests.length > 0 && secure.requests.every((r) => r.at >= ended), 'no download before');
      assert.is(connectorStatuses(fp, 2).at(-1), 'Available', 'released once installed');
    },
  );
});

test('TC_L_16_CS L01.FR.01 L01.FR.06 L01.FR.10 L01.FR.20 a station able to install during a transaction: the whole update while it runs', async () => {
  await withSecureFirmware(
    { firmware: { duringTransactions: 'install' }, variables: PLUG_TRANSACTIONS },
    async (fp, location) => {
      await plugIn(fp, 1);
      assert.equal(await fp.update(fp.request(316, {}, { location })), { status: 'Accepted' });
      await fp.waitStatus('Installed', 316);
      assert.equal(
        fp.statuses().map(([st]) => st),
        ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed'],
      );
      assert.is(fp.installs.length, 1);
      await fp.pair.waitFor('SecurityEventNotification', (m) => (m.request as any).type === 'FirmwareUpdated');
      assert.not.ok(
        fp.pair.sent('TransactionEvent').some((m) => (m.request as any).eventType === 'Ended'),
        'the transaction still runs',
      );
    },
  );
});

test('firmware.duringTransactions: anything but download, wait or install is refused when the station is made', () => {
  assert.throws(
    () =>
      new ChargingStation({
        identity: 'CS-L',
        csms: { url: 'ws://127.0.0.1:9' },
        info: { model: 'M', vendorName: 'V' },
        supplyPhases: 3,
        evses: testLayout([{ id: 1, connectors: [{ id: 1 }] }]),
        variables: TEST_VARIABLES,
        store: { path: ':memory:' },
        firmware: { duringTransactions: 'later' as never },
      }),
    /options\.firmware\.duringTransactions:/,
  );
});

test('TC_L_18_CS a station that requires signed firmware rejects an UpdateFirmware without certificate and signature', async () => {
  await withFirmware({ firmware: { requireSigned: true } }, async (fp) => {
    const res = await fp.update(fp.request(180, {}, { signingCertificate: undefined, signature: undefined }));
    assert.is(res.status, 'Rejected');
    assert.equal(fp.statuses(), []);
  });
});

test('L02.FR.01 L02.FR.02 L02.FR.06 L02.FR.14 L02.FR.20 non-secure update: Downloading, Downloaded, Installing, Installed (no signature step)', async () => {
  await withFirmware({}, async (fp) => {
    await fp.update(fp.request(200, {}, { signingCertificate: undefined, signature: undefined }));
    await fp.waitStatus('Installed', 200);
    assert.equal(fp.statuses(), [
      ['Downloading', 200],
      ['Downloaded', 200],
      ['Installing', 200],
      ['Installed', 200],
    ]);
    assert.is(fp.installs[0]!.signed, false);
  });
});

test('L01.FR.08 L02.FR.05 HTTPS download from a server whose CA the station is given', async () => {
  const secure = await startFileServer({ tls: true });
  try {
    await withFirmware({}, async (fp) => {
      secure.files.set('/fw.bin', fp.firmware);
      await fp.restart({ transfers: { ca: secure.ca!, timeoutMs: 2000 } });
      await fp.update(fp.request(210, {}, { location: `${secure.url}/fw.bin` }));
      await fp.waitStatus('Installed', 210);
      assert.ok(fp.installs[0]!.content.equals(fp.firmware));
    });
  } finally {
    await secure.close();
  }
});

test('N01.FR.15 the CSMS trust chain of the OCPP connection is trusted for transfers too', async () => {
  const secure = await startFileServer({ tls: true });
  try {
    await withFirmware({}, async (fp) => {
      secure.files.set('/fw.bin', fp.firmware);
      await fp.restart({ csms: { url: fp.pair.url, tls: { ca: secure.ca! } } });
      await fp.update(fp.request(215, {}, { location: `${secure.url}/fw.bin` }));
      await fp.waitStatus('Installed', 215);
    });
  } finally {
    await secure.close();
  }
});

test('UpdateFirmware with a location the station cannot fetch from is Rejected InvalidURL; without installFirmware Rejected', async () => {
  await withFirmware({}, async (fp) => {
    const res = await fp.update(fp.request(220, {}, { location: 'gopher://127.0.0.1/fw' }));
    assert.equal(res, { status: 'Rejected', statusInfo: { reasonCode: 'InvalidURL' } });
    await fp.restart({ hardware: { installFirmware: undefined } });
    const none = await fp.update(fp.request(221));
    assert.is(none.status, 'Rejected');
  });
});

test('TC_F_19_CS L01.FR.25 L01.FR.26 L02.FR.16 L02.FR.17 TriggerMessage FirmwareStatusNotification: the current status with its requestId, Idle after Installed', async () => {
  await withFirmware({}, async (fp) => {
    fp.files.stall.add('/fw.bin');
    await fp.update(fp.request(250));
    await fp.waitStatus('Downloading', 250);
    const before = fp.statuses().length;
    assert.equal(
      await fp.pair.csms.call(fp.pair.identity, 'TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' }),
      { status: 'Accepted' },
    );
    await fp.pair.waitFor('FirmwareStatusNotification', () => fp.statuses().length > before);
    assert.equal(fp.statuses().at(-1), ['Downloading', 250]);
    fp.files.stall.delete('/fw.bin');
    await fp.update(fp.request(251));
    await fp.waitStatus('Installed', 251);
    const n = fp.statuses().length;
    await fp.pair.csms.call(fp.pair.identity, 'TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    await fp.pair.waitFor('FirmwareStatusNotification', () => fp.statuses().length > n);
    assert.equal(fp.statuses().at(-1), ['Idle', undefined]);
  });
});

test('L01.FR.01 statuses the station could not send while offline: the last one is sent once it is online again', async () => {
  await withFirmware(
    { variables: { 'OCPPCommCtrlr.RetryBackOffWaitMinimum': 1, 'OCPPCommCtrlr.RetryBackOffRandomRange': 0 } },
    async (fp) => {
      fp.files.stall.add('/fw.bin');
      await fp.update(fp.request(400));
      await fp.waitStatus('Downloading', 400);
      fp.pair.csms.refuseConnections(true);
      await fp.pair.csms.disconnect(fp.pair.identity);
      fp.files.stall.delete('/fw.bin');
      // The download runs on without the CSMS: the update completes offline.
      await until(() => fp.installs.length === 1, 8000, 'installFirmware');
      fp.pair.csms.refuseConnections(false);
      await fp.waitStatus('Installed', 400, 15000);
      assert.equal(fp.statuses(), [
        ['Downloading', 400],
        ['Installed', 400],
      ]);
    },
  );
});

test('a reboot in the middle of a download: after the boot the download starts again (Downloading) and completes', async () => {
  await withFirmware({}, async (fp) => {
    fp.files.stall.add('/fw.bin');
    await fp.update(fp.request(300, { retries: 2 }));
    await fp.waitStatus('Downloading', 300);
    fp.files.stall.delete('/fw.bin');
    await fp.restart();
    await fp.waitStatus('Installed', 300);
    assert.equal(
      fp.statuses().map(([s]) => s),
      ['Downloading', 'Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed'],
    );
    const boot = fp.pair.sent('BootNotification')[1]!.at;
    const second = fp.pair.sent('FirmwareStatusNotification')[1]!.at;
    assert.ok(second >= boot, 'the second Downloading follows the new boot');
  });
});

test('a reboot in the middle of a download with no attempt left: DownloadFailed after the boot', async () => {
  await withFirmware({}, async (fp) => {
    fp.files.stall.add('/fw.bin');
    await fp.update(fp.request(301, { retries: 0 }));
    await fp.waitStatus('Downloading', 301);
    await fp.restart();
    await fp.waitStatus('DownloadFailed', 301);
  });
});

test('a reboot in the middle of the installation: the same firmware version is InstallationFailed, a new one Installed', async () => {
  await withFirmware({}, async (fp) => {
    fp.install.push(() => new Promise(() => {}));
    await fp.update(fp.request(310));
    await fp.waitStatus('Installing', 310);
    await fp.restart();
    await fp.waitStatus('InstallationFailed', 310);
    assert.ok(!security(fp).includes('FirmwareUpdated'));

    fp.install.push(() => new Promise(() => {}));
    await fp.update(fp.request(311));
    await fp.waitStatus('Installing', 311);
    await fp.restart({ info: { model: 'TestModel', vendorName: 'ocppkit', firmwareVersion: '9.9.9' } });
    await fp.waitStatus('Installed', 311);
    await fp.pair.waitFor('SecurityEventNotification', (m) => (m.request as any).type === 'FirmwareUpdated');
  });
});

test.run();
