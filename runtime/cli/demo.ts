// `ocppkit demo` (`make demo`): the built-in CSMS and one simulated 2.0.1 station, in this process, over a real
// socket on 127.0.0.1 and with a real store file in a temporary folder, run a complete charging session — boot,
// plug, authorize, charge with meter values, unplug, transaction ended — and print the message sequence as the
// CSMS saw it. Every step waits a bounded time; the exit code says whether the session completed.
import type { LoggedMessage } from '../csms/simple-csms.js';
import { parseFlags, parseVersions, secondsFlag, UsageError } from './args.js';
import { ID_TOKEN, req, res, runDemo, sent } from './demo-pair.js';
import { demo16 } from './demo16.js';

export const DEMO_HELP = `Usage: ocppkit demo [--charge <seconds>] [--refuse-card] [--ocpp 2.0.1|1.6]

Starts the built-in CSMS and one simulated OCPP 2.0.1 charging station on 127.0.0.1, runs a complete charging
session (boot, plug, authorize, charge with meter values, unplug, transaction ended) and prints the message
sequence. Exit code 0 when the session completed, 1 (naming the step that did not happen) when not.

Flags:
  --charge <seconds>   how long the EV charges, 1 to 60; default 3 (a meter value every second)
  --refuse-card        the CSMS refuses the driver's card: the station does not charge, the demo exits 1
  --ocpp <version>     2.0.1 (default) or 1.6: the same session in OCPP 1.6J (StartTransaction, MeterValues,
                       StopTransaction)`;

const status = (s: string) => sent('StatusNotification', (m) => req(m).connectorStatus === s);
const transaction = (more: (p: Record<string, any>) => boolean) => sent('TransactionEvent', (m) => more(req(m)));

export async function demoCommand(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, { charge: { value: true }, 'refuse-card': { value: false }, ocpp: { value: true } });
  const chargeSeconds = secondsFlag(flags.charge, 'charge') ?? 3;
  if (chargeSeconds < 1 || chargeSeconds > 60)
    throw new UsageError(`--charge must be from 1 to 60 seconds, got ${flags.charge}`);
  const versions = parseVersions(flags.ocpp ?? '2.0.1');
  if (versions.length !== 1 || (versions[0] !== 'ocpp2.0.1' && versions[0] !== 'ocpp1.6'))
    throw new UsageError(`--ocpp must be 2.0.1 or 1.6, got ${JSON.stringify(flags.ocpp)}`);
  if (versions[0] === 'ocpp1.6') return demo16(chargeSeconds, flags['refuse-card'] === true);
  const variables = {
    'SecurityCtrlr.OrganizationName': 'ocppkit demo',
    // ocppkit's defaults, said out loud: the transaction starts when energy may flow (plugged in and
    // authorized) and ends when the cable is unplugged or the authorization ends.
    'TxCtrlr.TxStartPoint': 'PowerPathClosed',
    'TxCtrlr.TxStopPoint': 'EVConnected,Authorized',
    // A meter value every second while charging, so a short demo shows several.
    'SampledDataCtrlr.TxUpdatedInterval': '1',
  };
  return runDemo(
    'ocpp2.0.1',
    { refuseCard: flags['refuse-card'] === true, variables },
    async ({ out, run, session }) => {
      await session.expect({ what: 'EVSE 1 reports Available', match: status('Available') });

      out.info('demo: the driver plugs in the EV on EVSE 1');
      await run.run({ op: 'plug', evseId: 1 });
      await session.expect({ what: 'EVSE 1 reports Occupied', match: status('Occupied') });

      out.info(`demo: the driver presents card ${ID_TOKEN}`);
      await run.run({ op: 'auth', idToken: ID_TOKEN, evseId: 1 });
      await session.expect({
        what: `the CSMS accepts card ${ID_TOKEN}`,
        match: (m) => verdict(m) === 'Accepted',
        fails: (m) => refused(verdict(m)),
      });
      const started = await session.expect({
        what: 'a transaction starts (TransactionEvent Started)',
        match: transaction((p) => p.eventType === 'Started'),
      });
      const txId = req(started).transactionInfo?.transactionId as string;
      const ofTx = (more: (p: Record<string, any>) => boolean) =>
        transaction((p) => p.transactionInfo?.transactionId === txId && more(p));
      await session.expect({
        what: 'the EV charges (chargingState Charging)',
        match: ofTx((p) => p.transactionInfo.chargingState === 'Charging'),
      });

      out.info(`demo: charging for ${chargeSeconds} s`);
      await new Promise((r) => setTimeout(r, chargeSeconds * 1000));
      await session.expect({
        what: 'meter values while charging (TransactionEvent Updated with meterValue)',
        match: ofTx((p) => p.eventType === 'Updated' && p.meterValue?.length > 0),
      });

      out.info('demo: the driver unplugs the EV');
      // The status goes out at once, the transaction event through the queue: either may reach the CSMS first.
      const unplugged = session.mark();
      await run.run({ op: 'unplug', evseId: 1 });
      const ended = await session.expect(
        { what: 'the transaction ends (TransactionEvent Ended)', match: ofTx((p) => p.eventType === 'Ended') },
        unplugged,
      );
      await session.expect({ what: 'EVSE 1 reports Available again', match: status('Available') }, unplugged);

      const energy = energyWh(req(ended).meterValue);
      out.info(
        `demo: session complete — transaction ${txId}${energy !== undefined ? `, ${energy.toFixed(1)} Wh delivered` : ''}; ${session.summary()}`,
      );
    },
  );
}

/** The CSMS's verdict on the demo card, when `m` carries one (Authorize, or a TransactionEvent with the idToken). */
function verdict(m: LoggedMessage): string | undefined {
  if (m.direction !== 'in' || m.error !== undefined) return undefined;
  if (m.action !== 'Authorize' && m.action !== 'TransactionEvent') return undefined;
  return req(m).idToken?.idToken === ID_TOKEN ? res(m).idTokenInfo?.status : undefined;
}

const refused = (v: string | undefined) =>
  v && v !== 'Accepted' ? `the CSMS answered ${v} for card ${ID_TOKEN}` : undefined;

/** Energy.Active.Import.Register at the end minus at the start, from the meter values of the Ended event. */
function energyWh(meterValue: unknown): number | undefined {
  if (!Array.isArray(meterValue)) return undefined;
  const registers = meterValue
    .map(
      (mv: {
        sampledValue?: Array<{
          value: number;
          measurand?: string;
          unitOfMeasure?: { unit?: string; multiplier?: number };
        }>;
      }) =>
        mv.sampledValue?.find(
          (s) => (s.measurand ?? 'Energy.Active.Import.Register') === 'Energy.Active.Import.Register',
        ),
    )
    .filter((s) => s !== undefined)
    .map((s) => s.value * 10 ** (s.unitOfMeasure?.multiplier ?? 0) * (s.unitOfMeasure?.unit === 'kWh' ? 1000 : 1));
  return registers.length >= 2 ? registers[registers.length - 1]! - registers[0]! : undefined;
}
