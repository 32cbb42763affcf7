// `ocppkit demo --ocpp 1.6`: the demo's charging session in OCPP 1.6J — the built-in CSMS serving 1.6 and one
// simulated 1.6 station (the same ChargingStation and simulator, versions ['ocpp1.6']): boot, plug (Preparing),
// authorize, StartTransaction, Charging with MeterValues carrying the CSMS's transactionId, unplug,
// StopTransaction, Available.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimpleCsms, type LoggedMessage } from '../csms/simple-csms.js';
import { logCsms } from './csms-log.js';
import { ID_TOKEN, IDENTITY, quiet, req, res, sent, Session } from './demo.js';
import { streamLog } from './output.js';
import { StationRun } from './station-run.js';
import { messageOf } from '../error-text.js';

const status = (connectorId: number, s: string) =>
  sent('StatusNotification', (m) => req(m).connectorId === connectorId && req(m).status === s);

/** The CSMS's verdict on the demo card (Authorize or StartTransaction). */
function verdict(m: LoggedMessage): string | undefined {
  if (m.direction !== 'in' || m.error !== undefined) return undefined;
  if (m.action !== 'Authorize' && m.action !== 'StartTransaction') return undefined;
  return req(m).idTag === ID_TOKEN ? res(m).idTagInfo?.status : undefined;
}

export async function demo16(chargeSeconds: number, refuseCard: boolean): Promise<number> {
  const out = streamLog();
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-demo-'));
  const csms = new SimpleCsms({ versions: ['ocpp1.6'], denyTokens: refuseCard ? [ID_TOKEN] : [] });
  let run: StationRun | undefined;
  try {
    logCsms(csms, out);
    const url = csms.url(await csms.listen(0, '127.0.0.1'));
    out.info(`demo: CSMS on ${url}; station ${IDENTITY} (OCPP 1.6J), store ${join(dir, 'station.db')}`);
    run = new StationRun({
      identity: IDENTITY,
      csmsUrl: url,
      versions: ['ocpp1.6'],
      dbPath: join(dir, 'station.db'),
      evses: 1,
      powerW: 11_000,
      info: { model: 'ocppkit-sim', vendorName: 'ocppkit' },
      variables: {
        // A meter value every second while charging, so a short demo shows several.
        MeterValueSampleInterval: '1',
        MeterValuesSampledData: 'Energy.Active.Import.Register,Power.Active.Import',
      },
      connectTimeoutSec: 10,
      log: quiet(out),
      out: process.stdout,
    });
    const session = new Session(csms);
    await run.start();
    await session.expect({
      what: 'the CSMS accepts the BootNotification',
      match: sent('BootNotification', (m) => res(m).status === 'Accepted'),
    });
    await session.expect({ what: 'connector 1 reports Available', match: status(1, 'Available') });

    out.info('demo: the driver plugs in the EV on connector 1');
    await run.run({ op: 'plug', evseId: 1 });
    await session.expect({ what: 'connector 1 reports Preparing', match: status(1, 'Preparing') });

    out.info(`demo: the driver presents card ${ID_TOKEN}`);
    await run.run({ op: 'auth', idToken: ID_TOKEN, evseId: 1 });
    await session.expect({
      what: `the CSMS accepts card ${ID_TOKEN}`,
      match: (m) => m.action === 'Authorize' && verdict(m) === 'Accepted',
      fails: (m) => {
        const v = verdict(m);
        return v && v !== 'Accepted' ? `the CSMS answered ${v} for card ${ID_TOKEN}` : undefined;
      },
    });
    const started = await session.expect({
      what: 'a transaction starts (StartTransaction)',
      match: sent('StartTransaction', (m) => req(m).connectorId === 1),
    });
    const txId = res(started).transactionId as number;
    await session.expect({ what: 'connector 1 reports Charging', match: status(1, 'Charging') });

    out.info(`demo: charging for ${chargeSeconds} s`);
    await new Promise((r) => setTimeout(r, chargeSeconds * 1000));
    await session.expect({
      what: `meter values of transaction ${txId} while charging (MeterValues)`,
      match: sent('MeterValues', (m) => req(m).transactionId === txId),
    });

    out.info('demo: the driver unplugs the EV');
    const unplugged = session.mark();
    await run.run({ op: 'unplug', evseId: 1 });
    const stopped = await session.expect(
      {
        what: `the transaction ends (StopTransaction ${txId}, reason EVDisconnected)`,
        match: sent('StopTransaction', (m) => req(m).transactionId === txId && req(m).reason === 'EVDisconnected'),
      },
      unplugged,
    );
    await session.expect({ what: 'connector 1 reports Available again', match: status(1, 'Available') }, unplugged);
    const energy = Number(req(stopped).meterStop) - Number(req(started).meterStart);
    out.info(`demo: session complete — transaction ${txId}, ${energy} Wh delivered; ${session.summary()}`);
    return 0;
  } catch (e) {
    out.error(`demo: the session did not complete: ${messageOf(e)}`);
    return 1;
  } finally {
    await run?.stop().catch(() => {});
    await csms.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
