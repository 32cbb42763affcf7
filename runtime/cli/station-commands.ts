// The commands `ocppkit station` reads on stdin and from --script, one a line: parsing (pure, so a whole script is
import { messageOf } from '../error-text.js';
// checked before anything runs) and their meaning in words for `help`.

export type StationCommand =
  | { op: 'plug'; evseId: number }
  | { op: 'unplug'; evseId: number }
  | { op: 'auth'; idToken: string; evseId?: number }
  | { op: 'swap'; idToken: string }
  | { op: 'fault'; evseId: number }
  | { op: 'clear'; evseId: number }
  | { op: 'status' }
  | { op: 'help' }
  | { op: 'quit' }
  | { op: 'sleep'; seconds: number }
  /** A variable's Actual value as the hardware measures it now (monitors fire on it, N07). */
  | { op: 'set'; component: string; evseId?: number; connectorId?: number; variable: string; value: string }
  /** TemperatureSensor.Temperature, in °C: the simulator's sensor. */
  | { op: 'temperature'; celsius: number };

export class CommandError extends Error {
  override name = 'CommandError';
}

export const COMMAND_HELP = `plug <evse>               an EV's cable is plugged into the EVSE's connector
unplug <evse>             the cable is unplugged
auth <idToken> [<evse>]   a card (ISO14443 idToken) is presented to the card reader, optionally at an EVSE
swap <idToken>            a driver swaps a battery (OCPP 2.1): authorized, then BatteryIn and BatteryOut
fault <evse>              the connector reports a fault (Faulted)
clear <evse>              the fault is gone
temperature <celsius>     the station's temperature sensor reads this (TemperatureSensor.Temperature)
set <component>[@<evse>[/<connector>]] <variable> <value>
                          a device-model variable reads this value now, as measured by the hardware
                          (e.g. set EVSE@1 Power 7400); variable monitors of the CSMS fire on it
status                    connection, registration, and per EVSE: status, cable, relay, meter
sleep <seconds>           wait (meant for scripts; fractions allowed)
help                      this list
quit                      stop cleanly (queued messages stay in the store)`;

/** Longest idToken of IdTokenType (2.0.1 identifierString[36]). */
const MAX_ID_TOKEN = 36;
/** A script's sleeps are bounded so that a typo (`sleep 3000`) cannot hang a test run for an hour. */
export const MAX_SLEEP_SECONDS = 3600;

/** Parses one line; undefined for a blank line or a `#` comment. Throws a CommandError saying what is wrong. */
export function parseCommand(line: string, evseCount: number): StationCommand | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const [word, ...args] = text.split(/\s+/);
  const op = word!.toLowerCase();
  const evse = (value: string | undefined, what = '<evse>'): number => {
    if (value === undefined) throw new CommandError(`${op} needs ${what} (1 to ${evseCount})`);
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > evseCount)
      throw new CommandError(`${op}: EVSE ${JSON.stringify(value)} does not exist (EVSEs 1 to ${evseCount})`);
    return n;
  };
  const arity = (max: number) => {
    if (args.length > max) throw new CommandError(`${op}: unexpected ${JSON.stringify(args.slice(max).join(' '))}`);
  };
  switch (op) {
    case 'plug':
    case 'unplug':
    case 'fault':
    case 'clear':
      arity(1);
      return { op, evseId: evse(args[0]) };
    case 'auth': {
      arity(2);
      const idToken = args[0];
      if (idToken === undefined) throw new CommandError('auth needs <idToken>');
      if (idToken.length > MAX_ID_TOKEN)
        throw new CommandError(`auth: the idToken must be at most ${MAX_ID_TOKEN} characters, got ${idToken.length}`);
      return args[1] === undefined ? { op, idToken } : { op, idToken, evseId: evse(args[1]) };
    }
    case 'swap': {
      arity(1);
      const idToken = args[0];
      if (idToken === undefined) throw new CommandError('swap needs <idToken>');
      if (idToken.length > MAX_ID_TOKEN)
        throw new CommandError(`swap: the idToken must be at most ${MAX_ID_TOKEN} characters, got ${idToken.length}`);
      return { op, idToken };
    }
    case 'sleep': {
      arity(1);
      const s = Number(args[0]);
      if (args[0] === undefined || !Number.isFinite(s) || s < 0 || s > MAX_SLEEP_SECONDS)
        throw new CommandError(
          `sleep needs a number of seconds from 0 to ${MAX_SLEEP_SECONDS}, got ${JSON.stringify(args[0] ?? '')}`,
        );
      return { op, seconds: s };
    }
    case 'temperature': {
      arity(1);
      const celsius = Number(args[0]);
      if (args[0] === undefined || !Number.isFinite(celsius))
        throw new CommandError(`temperature needs a number of degrees Celsius, got ${JSON.stringify(args[0] ?? '')}`);
      return { op, celsius };
    }
    case 'set': {
      const [target, variable, ...rest] = args;
      if (target === undefined || variable === undefined || rest.length === 0)
        throw new CommandError('set needs <component>[@<evse>[/<connector>]] <variable> <value>');
      const m = /^([A-Za-z0-9_*\-]+)(?:@(\d+)(?:\/(\d+))?)?$/.exec(target);
      if (!m) throw new CommandError(`set: ${JSON.stringify(target)} is not <component>[@<evse>[/<connector>]]`);
      const where =
        m[2] === undefined ? {} : { evseId: evse(m[2]), ...(m[3] !== undefined ? { connectorId: Number(m[3]) } : {}) };
      return { op, component: m[1]!, ...where, variable, value: rest.join(' ') };
    }
    case 'status':
    case 'help':
    case 'quit':
      arity(0);
      return { op };
    default:
      throw new CommandError(
        `unknown command ${JSON.stringify(word)} (plug, unplug, auth, swap, fault, clear, temperature, set, status, sleep, help, quit)`,
      );
  }
}

/** Parses a whole script; throws a CommandError naming the first bad line. */
export function parseScript(text: string, evseCount: number, name = 'script'): StationCommand[] {
  const out: StationCommand[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    try {
      const c = parseCommand(line, evseCount);
      if (c) out.push(c);
    } catch (e) {
      throw new CommandError(`${name}:${i + 1}: ${messageOf(e)}`);
    }
  });
  return out;
}
