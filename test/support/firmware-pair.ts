// A station with a firmware file server, a manufacturer CA and an installFirmware callback the test controls, against
// the built-in CSMS over real sockets: the setting of the L test cases (tc-l-firmware.test.ts).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FirmwareFile, InstallResult } from '../../runtime/station/L-firmware/firmware.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import type { ChargingStation } from '../../runtime/station/charging-station.js';
import type { SimpleCsmsOptions } from '../../runtime/csms/simple-csms.js';
import { startFileServer, type FileServer } from './file-servers.js';
import { signFile } from './firmware-signing.js';
import { createCa, issue, type Ca, type Issued } from './pki.js';
import { startPair, type Pair } from './station-harness.js';

export interface FirmwarePair {
  pair: Pair;
  files: FileServer;
  ca: Ca;
  signer: Issued;
  /** The firmware file the server has at /fw.bin, and its signature by `signer`. */
  firmware: Buffer;
  signature: string;
  /** What installFirmware was called with, and the bytes of the file then. */
  installs: Array<FirmwareFile & { content: Buffer }>;
  /** What the next installFirmware calls return (default Installed); a function may wait or throw. */
  install: Array<InstallResult | (() => Promise<InstallResult>)>;
  /** `info` of the station: installFirmware may change firmwareVersion before a RebootRequired. */
  info: { model: string; vendorName: string; firmwareVersion?: string };
  /** The FirmwareStatusNotification statuses sent, in order (with requestId). */
  statuses(): Array<[string, number | undefined]>;
  waitStatus(status: string, requestId?: number, timeoutMs?: number): Promise<void>;
  /** A secure UpdateFirmware for /fw.bin (retrieve and install two hours ago, as Part 6 does). */
  request(requestId: number, extra?: Record<string, unknown>, firmware?: Record<string, unknown>): unknown;
  update(request: unknown): Promise<any>;
  /** A reboot on the same store (pair.restart), returning once the CSMS accepted the new boot. */
  restart(extra?: Partial<ChargingStationOptions>): Promise<void>;
  close(): Promise<void>;
}

/** Resolves once the station's BootNotification is Accepted (at once if it already is). */
export function accepted(station: ChargingStation): Promise<void> {
  if (station.registration === 'Accepted' && station.connected) return Promise.resolve();
  return new Promise((resolve) => {
    const on = (e: { status: string }) => {
      if (e.status !== 'Accepted') return;
      station.off('registration', on);
      resolve();
    };
    station.on('registration', on);
  });
}

export const TWO_HOURS_AGO = () => new Date(Date.now() - 2 * 3600_000).toISOString();

export async function firmwarePair(
  station: Partial<ChargingStationOptions> = {},
  csms: SimpleCsmsOptions = {},
): Promise<FirmwarePair> {
  const files = await startFileServer();
  const ca = await createCa('ACME manufacturer root');
  const signer = await issue(ca, { commonName: 'ACME firmware signing' });
  const firmware = randomBytes(64 * 1024);
  files.files.set('/fw.bin', firmware);
  const signature = signFile(firmware, signer.key);
  const info = { model: 'TestModel', vendorName: 'ocppkit', firmwareVersion: '1.0.0' };
  const installs: FirmwarePair['installs'] = [];
  const install: FirmwarePair['install'] = [];
  const pair = await startPair({
    csms,
    station: {
      info,
      firmware: { rootCertificates: [ca.cert] },
      transfers: { timeoutMs: 2000, reconnects: 2 },
      ...station,
      hardware: {
        installFirmware: async (file) => {
          installs.push({ ...file, content: readFileSync(file.path) });
          const next = install.shift() ?? 'Installed';
          return typeof next === 'function' ? next() : next;
        },
        ...station.hardware,
      },
    },
  });
  await accepted(pair.station);
  const fp: FirmwarePair = {
    pair,
    files,
    ca,
    signer,
    firmware,
    signature,
    installs,
    install,
    info,
    statuses: () =>
      pair
        .sent('FirmwareStatusNotification')
        .map((m) => [(m.request as any).status, (m.request as any).requestId] as [string, number | undefined]),
    waitStatus: async (status, requestId, timeoutMs = 8000) => {
      await pair.waitFor(
        'FirmwareStatusNotification',
        (m) =>
          (m.request as any).status === status &&
          (requestId === undefined || (m.request as any).requestId === requestId),
        timeoutMs,
      );
    },
    request: (requestId, extra = {}, fw = {}) => ({
      requestId,
      retries: 1,
      retryInterval: 1,
      ...extra,
      firmware: {
        location: `${files.url}/fw.bin`,
        retrieveDateTime: TWO_HOURS_AGO(),
        installDateTime: TWO_HOURS_AGO(),
        signingCertificate: signer.cert,
        signature,
        ...fw,
      },
    }),
    restart: async (extra) => {
      await accepted(await pair.restart(extra));
    },
    update: (request) => pair.csms.call(pair.identity, 'UpdateFirmware', request) as Promise<any>,
    close: async () => {
      await pair.close();
      await files.close();
    },
  };
  return fp;
}

/** Runs `body` with a firmware pair and closes it whatever happens. */
export async function withFirmware(
  station: Partial<ChargingStationOptions>,
  body: (fp: FirmwarePair) => Promise<void>,
  csms: SimpleCsmsOptions = {},
): Promise<void> {
  const fp = await firmwarePair(station, csms);
  try {
    await body(fp);
  } finally {
    await fp.close();
  }
}

export type { Ca };
