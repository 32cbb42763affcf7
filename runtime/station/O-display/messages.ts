// Pure functions over the display messages block O keeps: which are in force now (validity window O01.FR.06/07, the
// station state O01.FR.02 / TC_O_36–39, priority order O01.FR.12–15), in which language (O01.FR.08/09), which match a
// GetDisplayMessages (O03/O04), and how a message is reported in 2.0.1.
import type { MessageInfoType as MessageInfo201 } from '../../../generated/v201/types.js';
import type { MessageContentType, MessageInfoType, MessageStateEnumType } from '../../../generated/v21/types.js';
import {
  MessageFormatEnumType as Formats201,
  MessageStateEnumType as States201,
} from '../../../generated/v201/enums.js';
import { timeOf } from '../C-authorization/tokens.js';
import type { StationView } from '../core/types.js';
import type { DriverScreen } from '../I-tariff/driver-cost.js';
import type { PaymentScreen } from '../C-authorization/payment/web-payment.js';

/** A message as the station keeps it: 2.1's MessageInfoType (a superset of 2.0.1's), without customData. */
export type StoredMessage = MessageInfoType;

/** A message handed to the display: its content in the language chosen for the driver. */
export interface ShownMessage {
  id: number;
  priority: MessageInfoType['priority'];
  state?: MessageStateEnumType;
  transactionId?: string;
  /** The display the CSMS chose (a component of the station), if it did. */
  display?: MessageInfoType['display'];
  /** The content to show: of `message` and 2.1's `messageExtra`, the one in the driver's language (O01.FR.08/09). */
  message: MessageContentType;
}

/** What the display shows: the one argument of `hardware.showDisplay`. */
export interface DisplayScreen {
  /** The messages in force, AlwaysFront first, then InFront (to cycle, O01.FR.14), then NormalCycle. */
  messages: ShownMessage[];
  /** The driver's preferred languages when known (idTokenInfo.language1/2), most preferred first. */
  languages: string[];
  /** Per driver: their tariff and cost (block I: I01–I06), the texts to show where the CSMS gave none. */
  drivers: DriverScreen[];
  /** 2.1 C25: the QR codes of web payments to show (only where WebPaymentsCtrlr is enabled). */
  payments?: PaymentScreen[];
}

const PRIORITY_ORDER = { AlwaysFront: 0, InFront: 1, NormalCycle: 2 } as const;

/** Whether the validity window has begun (O01.FR.06) and not ended (O01.FR.07) at `now`. */
export const started = (m: StoredMessage, now: number) => (timeOf(m.startDateTime) ?? -Infinity) <= now;
export const ended = (m: StoredMessage, now: number) => (timeOf(m.endDateTime) ?? Infinity) <= now;

/**
 * The state of the station as message states name it (MessageStateEnumType): Faulted when a connector is faulted,
 * Unavailable when every connector is, Charging while a transaction runs (2.1: Suspended while the EV or the
 * station suspends every running one), else Idle. Discharging (V2X) is never reported: ocppkit does not discharge.
 */
export function stationState(view: StationView, suspended: ReadonlySet<number>): MessageStateEnumType {
  const statuses = view.evses.flatMap((e) => e.connectors.map((c) => view.query.connectorStatus?.(e.id, c.id)));
  if (statuses.some((s) => s === 'Faulted')) return 'Faulted';
  if (statuses.length > 0 && statuses.every((s) => s === 'Unavailable')) return 'Unavailable';
  const running = view.evses.filter((e) => view.query.transactionOn?.(e.id)).map((e) => e.id);
  if (running.length === 0) return 'Idle';
  if (view.version === 'ocpp2.1' && running.every((id) => suspended.has(id))) return 'Suspended';
  return 'Charging';
}

/** The content of a message in the first preferred language it has, else English (O01.FR.09), else its own. */
export function contentFor(m: StoredMessage, languages: readonly string[]): MessageContentType {
  const all = [m.message, ...(m.messageExtra ?? [])];
  const primary = (tag: string | undefined) => tag?.toLowerCase().split('-')[0];
  for (const wanted of [...languages, 'en']) {
    const exact = all.find((c) => c.language?.toLowerCase() === wanted.toLowerCase());
    if (exact) return exact;
    const near = all.find((c) => primary(c.language) === primary(wanted));
    if (near) return near;
  }
  return m.message;
}

/** The messages in force at `now` in `state`, in display order. */
export function screenOf(
  messages: readonly StoredMessage[],
  now: number,
  state: MessageStateEnumType,
  languages: readonly string[],
  drivers: DriverScreen[] = [],
  payments: PaymentScreen[] = [],
): DisplayScreen {
  const shown = messages
    .filter((m) => started(m, now) && !ended(m, now) && (m.state === undefined || m.state === state))
    .sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || a.id - b.id)
    .map((m): ShownMessage => ({
      id: m.id,
      priority: m.priority,
      ...(m.state !== undefined ? { state: m.state } : {}),
      ...(m.transactionId !== undefined ? { transactionId: m.transactionId } : {}),
      ...(m.display !== undefined ? { display: m.display } : {}),
      message: contentFor(m, languages),
    }));
  return { messages: shown, languages: [...languages], drivers, ...(payments.length ? { payments } : {}) };
}

/** The next moment a message begins or ends after `now` (undefined: none). */
export function nextBoundary(messages: readonly StoredMessage[], now: number): number | undefined {
  const times = messages
    .flatMap((m) => [timeOf(m.startDateTime), timeOf(m.endDateTime)])
    .filter((t): t is number => t !== undefined && t > now);
  return times.length ? Math.min(...times) : undefined;
}

/** O03.FR.01 / O04.FR.01: the messages a GetDisplayMessages asks for (every given criterion must hold). */
export function matching(
  messages: readonly StoredMessage[],
  query: { id?: number[]; priority?: string; state?: string },
): StoredMessage[] {
  return messages.filter(
    (m) =>
      (query.id === undefined || query.id.includes(m.id)) &&
      (query.priority === undefined || m.priority === query.priority) &&
      (query.state === undefined || m.state === query.state),
  );
}

const FORMATS_201: readonly string[] = Formats201;
const STATES_201: readonly string[] = States201;
const isFormat201 = (f: string): f is MessageInfo201['message']['format'] => FORMATS_201.includes(f);
const isState201 = (s: string): s is NonNullable<MessageInfo201['state']> => STATES_201.includes(s);

/**
 * A message as a 2.0.1 NotifyDisplayMessages carries it: without 2.1's messageExtra; undefined for a message that
 * 2.0.1 cannot express (a 2.1 state or the QRCODE format), set while 2.1 was spoken.
 */
export function as201(m: StoredMessage): MessageInfo201 | undefined {
  const { messageExtra: _extra, state, message, ...rest } = m;
  const format = message.format;
  if (!isFormat201(format)) return undefined;
  if (state !== undefined && !isState201(state)) return undefined;
  return { ...rest, ...(state !== undefined ? { state } : {}), message: { ...message, format } };
}

/** O01.FR.17: an RFC 5646 language tag (the common shape: a 2–8 letter language, then subtags). */
export const isLanguageTag = (tag: string) => /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag);
