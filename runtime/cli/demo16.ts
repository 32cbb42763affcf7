// `ocppkit demo --ocpp 1.6`: the demo's charging session in OCPP 1.6J — the built-in CSMS serving 1.6 and one
// simulated 1.6 station (the same ChargingStation and simulator, versions ['ocpp1.6']): boot, plug (Preparing),
// authorize, StartTransaction, Charging with MeterValues carrying the CSMS's transactionId, unplug,
// StopTransaction, Available.
import type { LoggedMessage } from '../csms/simple-csms.js';
import { ID_TOKEN, req, res, runDemo, sent } from './demo-pair.js';

const status = (connectorId: number, s: string) =>
  sent('StatusNotification', (m) => req(m).connectorId === connectorId && req(m).status === s);

/** The CSMS's verdict on the demo card (Authorize or StartTransaction). */
function verdict(m: LoggedMessage): string | undefined {
  if (m.direction !== 'in' || m.error !== undefined) return undefined;
  if (m.action !== 'Authorize' && m.action !== 'StartTransaction') return undefined;
  return req(m).idTag === ID_TOKEN ? res(m).idTagInfo?.status : undefined;
}

export async function demo16(chargeSeconds: number, refuseCard: boolean): Promise<number> {
  const variables = {
    // A meter value every second while charging, so a short demo shows several.
    MeterValueSampleInterval: '1',
    MeterValuesSampledData: 'Energy.Active.Import.Register,Power.Active.Import',
  };
  return runDemo('ocpp1.6', { refuseCard, variables }, async ({ out, run, session }) => {
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
  });
}
