// What the built-in CSMS does with a line typed at its prompt: `<station id> <Action> <json payload>` sends a
// CSMS-initiated CALL after checking it against the schema of the version that station negotiated (an error names
// the field and nothing is sent); `stations`, `help` and `quit` do what they say.
import { protocol as v16 } from '../../generated/v16/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import type { CsmsVersion, SimpleCsms } from '../csms/simple-csms.js';
import { redactSecrets } from '../rpc/redact.js';
import { validatePayload } from '../validation.js';
import { messageLine, type Log } from './output.js';
import { messageOf } from '../error-text.js';

const PROTOCOLS = { 'ocpp2.1': v21, 'ocpp2.0.1': v201, 'ocpp1.6': v16 } as const;

export const PROMPT_HELP = `<station id> <Action> <json payload>   send a CSMS-initiated CALL, e.g.
                                       CS-1 Reset {"type":"Immediate"}
                                       CS-1 TriggerMessage {"requestedMessage":"StatusNotification"}
                                       (the payload may be left out for {})
<station id> display <text>            SetDisplayMessage: show <text> on the station's display
<station id> tariff <price/kWh> [EUR]  SetDefaultTariff (2.1): a kWh price for every EVSE
stations                               the connected stations and their OCPP version
help                                   this list
quit                                   stop the CSMS`;

export type PromptLine =
  | { op: 'call'; identity: string; action: string; payload: unknown }
  | { op: 'stations' }
  | { op: 'help' }
  | { op: 'quit' };

export class PromptError extends Error {
  override name = 'PromptError';
}

/** Parses a line (undefined: blank); throws a PromptError saying what is wrong. */
export function parsePromptLine(line: string): PromptLine | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const m = /^(\S+)(?:\s+(\S+)(?:\s+([\s\S]*))?)?$/.exec(text)!;
  const [, first, action, json] = m;
  if (action === undefined) {
    if (first === 'stations' || first === 'help' || first === 'quit') return { op: first };
    throw new PromptError(
      `${JSON.stringify(first)}: type <station id> <Action> <json payload>, stations, help or quit`,
    );
  }
  const shortcut = shortcutCall(first!, action, json);
  if (shortcut) return shortcut;
  let payload: unknown = {};
  if (json !== undefined && json.trim() !== '') {
    try {
      payload = JSON.parse(json);
    } catch (e) {
      throw new PromptError(`the payload of ${action} is not JSON: ${messageOf(e)}`);
    }
  }
  return { op: 'call', identity: first!, action: action, payload };
}

let shortcuts = 0;

/** `display <text>` and `tariff <price> [currency]`: the CALLs a CSO sends most, without writing their JSON. */
function shortcutCall(identity: string, word: string, rest: string | undefined): PromptLine | undefined {
  if (word !== 'display' && word !== 'tariff') return undefined;
  const text = (rest ?? '').trim();
  const id = ++shortcuts;
  if (word === 'display') {
    if (text === '') throw new PromptError('display: give the text to show, e.g. CS-1 display Welcome!');
    return {
      op: 'call',
      identity,
      action: 'SetDisplayMessage',
      payload: { message: { id, priority: 'NormalCycle', message: { format: 'UTF8', content: text } } },
    };
  }
  const [price, currency = 'EUR'] = text.split(/\s+/);
  const priceKwh = Number(price);
  if (price === undefined || price === '' || !Number.isFinite(priceKwh) || priceKwh < 0)
    throw new PromptError('tariff: give the price per kWh, e.g. CS-1 tariff 0.35 EUR');
  return {
    op: 'call',
    identity,
    action: 'SetDefaultTariff',
    payload: { evseId: 0, tariff: { tariffId: `prompt-${id}`, currency, energy: { prices: [{ priceKwh }] } } },
  };
}

/**
 * Checks a CSMS-initiated CALL against what the station negotiated; returns the problem in words, or undefined
 * when it may be sent.
 */
export function checkCall(csms: SimpleCsms, identity: string, action: string, payload: unknown): string | undefined {
  const station = csms.stations().find((s) => s.identity === identity);
  if (!station) {
    const connected = csms.stations().map((s) => s.identity);
    return `station ${JSON.stringify(identity)} is not connected (${connected.length ? `connected: ${connected.join(', ')}` : 'no station is connected'})`;
  }
  // A station of the built-in CSMS speaks one of the versions it serves.
  const protocol = PROTOCOLS[station.version as CsmsVersion];
  const descriptor = Object.hasOwn(protocol.actions, action)
    ? protocol.actions[action as keyof typeof protocol.actions]
    : undefined;
  if (!descriptor)
    return `${station.version} has no action ${JSON.stringify(action)} (names are case-sensitive, e.g. Reset, TriggerMessage)`;
  if (descriptor.direction === 'CS->CSMS') return `${action} is sent by a charging station, not by a CSMS`;
  if (descriptor.send) return `${action} is a SEND message without an answer; the prompt sends CALLs`;
  const result = validatePayload(protocol, action, 'request', payload);
  return result.ok ? undefined : result.error.message;
}

/** Executes a parsed line; resolves once the station answered (or the call failed). */
export async function runPromptLine(
  csms: SimpleCsms,
  log: Log,
  out: NodeJS.WritableStream,
  line: PromptLine,
  quit: () => void,
): Promise<void> {
  switch (line.op) {
    case 'help':
      out.write(`${PROMPT_HELP}\n`);
      return;
    case 'stations': {
      const list = csms.stations();
      out.write(
        list.length ? `${list.map((s) => `${s.identity} (${s.version})`).join('\n')}\n` : 'no station is connected\n',
      );
      return;
    }
    case 'quit':
      return quit();
    case 'call': {
      const problem = checkCall(csms, line.identity, line.action, line.payload);
      if (problem) return log.error(`${problem} — nothing was sent`);
      log.info(`${line.identity} ${messageLine('toStation', line.action, 'request', redactSecrets(line.payload))}`);
      // The answer (or CALLERROR, or timeout) is printed from the CSMS's message log.
      await csms.call(line.identity, line.action, line.payload).catch((e: unknown) => {
        // Failures after sending are in the message log already; this is for one that stopped it going out.
        if (!csms.log.some((m) => m.request === line.payload)) log.error(`${messageOf(e)} — nothing was sent`);
      });
      return;
    }
  }
}
