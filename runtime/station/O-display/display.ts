// O01 Set DisplayMessage, O02 for a transaction, O03/O04 Get DisplayMessages, O05 Clear, O06 Replace.
//
// The CSMS's messages are kept across restarts (O01.FR.10, O02.FR.10) and the ones in force are handed to the
// integrator's display through one hardware operation, `showDisplay`, whenever what it should show changes: a
// message set, replaced or cleared, a validity window beginning or ending (a timer, O01.FR.06/07), the station
// state a message is meant for coming or going (Charging, Idle, Faulted, Unavailable), a transaction ending with
// its messages (O02.FR.02), the driver's language becoming known (O01.FR.08). Block O runs after availability
// (lastBlocks2x) so that the connector statuses it reads are those of the same event.
import type {
  ClearDisplayMessageResponse,
  MessageInfoType as MessageInfo201,
  SetDisplayMessageResponse,
} from '../../../generated/v201/types.js';
import type { MessageInfoType } from '../../../generated/v21/types.js';
import { withoutCustomData } from '../core/custom-data.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../core/types.js';
import {
  as201,
  ended,
  isLanguageTag,
  matching,
  nextBoundary,
  screenOf,
  stationState,
  type DisplayScreen,
  type StoredMessage,
} from './messages.js';
import { ofVersion, type DisplaySettings } from './settings.js';

declare module '../core/registry.js' {
  interface OwnEvents {
    /** A validity window begins or ends, or the messages changed: the screen is worked out again. */
    'display.tick': object;
  }
  interface HardwareOperations {
    /**
     * O01–O06 (and the tariff and cost texts of block I): what the display should show now changed. `screen.messages`
     * are the CSMS's messages in force, AlwaysFront first (show it alone, O01.FR.15), then InFront (cycle them
     * ahead of the rest, O01.FR.13/14), then NormalCycle (in the normal cycle, O01.FR.12); each with the content in
     * the driver's language where the message has it. Called at start and after every change.
     */
    showDisplay(screen: DisplayScreen): void | Promise<void>;
  }
}

/** Messages per NotifyDisplayMessagesRequest; more are split over several with tbc (O03.FR.03/04, O04.FR.04/05). */
export const MESSAGES_PER_NOTIFY = 4;
/** The longest a timer is armed for (setTimeout's range ends at 24.8 days); the tick then arms the next one. */
const MAX_TIMER_MS = 6 * 3600 * 1000;
const TICK_TIMER = 'display.tick';
const TICK = { type: 'display.tick' } as const;

export interface DisplayState {
  messages: StoredMessage[];
  /** The screen last handed to the display (JSON); undefined until the first since this start. */
  shown?: string;
  /** When the tick timer fires (undefined: not armed). */
  tickAt?: number;
  /** The value last written to DisplayMessageCtrlr.DisplayMessages. */
  count?: number;
  /** EVSEs whose energy transfer is suspended (2.1 state Suspended). */
  suspended: number[];
  /** The drivers' preferred languages per EVSE (0: authorized before an EVSE was chosen), latest last (O01.FR.08). */
  languages: Array<{ evseId: number; languages: string[] }>;
}

type Saved = { messages: StoredMessage[] };

export function displayUseCase(settings: DisplaySettings): UseCase<DisplayState> {
  return {
    name: 'display',

    init(_view, saved) {
      // Written by `save` (or nothing on a first start); read back as the store gives it.
      const s = (saved ?? {}) as Partial<Saved>;
      return { messages: Array.isArray(s.messages) ? s.messages : [], suspended: [], languages: [] };
    },

    save: (state): Saved => ({ messages: state.messages }),

    on(state, event, view) {
      const step = react(state, event, view);
      return refresh(step?.state ?? state, view, step?.effects ?? [], step !== undefined);
    },

    answers: {
      SetDisplayMessage(state, request, view) {
        const message: StoredMessage = withoutCustomData(request.message);
        const refusal = check(message, settings, view);
        if (refusal) return { response: refusal };
        // O06.FR.01: the same id replaces the message; O01.FR.16, O02.FR.18: a new AlwaysFront replaces the old one.
        const kept = state.messages.filter(
          (m) => m.id !== message.id && !(message.priority === 'AlwaysFront' && m.priority === 'AlwaysFront'),
        );
        // O01.FR.11, O02.FR.11: no more than NumberOfDisplayMessages.maxLimit.
        if (kept.length + 1 > settings.maxMessages)
          return { response: { status: 'Rejected', statusInfo: { reasonCode: 'OutOfStorage' } } };
        return {
          state: { ...state, messages: [...kept, message] },
          response: { status: 'Accepted' },
          // O01.FR.10: on disk before the CSMS hears Accepted.
          persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
          after: [{ type: 'dispatch', event: TICK }],
        };
      },

      GetDisplayMessages(state, request, view) {
        const now = view.now();
        const found = matching(
          state.messages.filter((m) => !ended(m, now)),
          request,
        );
        // The one version branch of O: in 2.1 the messages go as they are (messageExtra, 2.1's states and formats);
        // the send type is 2.0.1's NotifyDisplayMessagesRequest, widened here on purpose.
        const reported: MessageInfo201[] =
          view.version === 'ocpp2.0.1' ? found.flatMap((m) => as201(m) ?? []) : (found as MessageInfo201[]);
        // O03.FR.06, O04.FR.02/07: nothing configured, or nothing that matches.
        if (reported.length === 0) return { response: { status: 'Unknown' } };
        const parts: Effect[] = [];
        for (let i = 0; i < reported.length; i += MESSAGES_PER_NOTIFY) {
          const last = i + MESSAGES_PER_NOTIFY >= reported.length;
          parts.push({
            type: 'send',
            action: 'NotifyDisplayMessages',
            // O03.FR.02–05, O04.FR.03–06: every message, in parts, tbc on all but the last, the request's requestId.
            payload: {
              requestId: request.requestId,
              messageInfo: reported.slice(i, i + MESSAGES_PER_NOTIFY),
              ...(last ? {} : { tbc: true }),
            },
          });
        }
        return { response: { status: 'Accepted' }, after: parts };
      },

      ClearDisplayMessage(state, request, view) {
        // O05.FR.02
        if (!state.messages.some((m) => m.id === request.id)) return { response: { status: 'Unknown' } };
        // O05.FR.01
        const cleared = { ...state, messages: state.messages.filter((m) => m.id !== request.id) };
        // 2.1 O05.FR.03: a clear the station cannot carry out (the store refuses it) is Rejected, and the message
        // stays. 2.0.1's ClearMessageStatus has no failure status: there a store failure is logged by the shell.
        if (view.version === 'ocpp2.1')
          return {
            state: cleared,
            response: { status: 'Accepted' },
            persistOrAnswer: {
              status: 'Rejected' as ClearDisplayMessageResponse['status'],
              statusInfo: { reasonCode: 'InternalError' },
            },
            after: [{ type: 'dispatch', event: TICK }],
          };
        return {
          state: cleared,
          response: { status: 'Accepted' },
          after: [{ type: 'persist' }, { type: 'dispatch', event: TICK }],
        };
      },
    },
  };
}

/**
 * Why a SetDisplayMessage cannot be accepted as it is (undefined: it can). Nothing is stored on a refusal.
 * 2.1's LanguageNotSupported is the one status 2.0.1's response type lacks; it is answered only while 2.1 is spoken.
 */
function check(
  m: MessageInfoType,
  settings: DisplaySettings,
  view: StationView,
): SetDisplayMessageResponse | undefined {
  const refuse = (status: SetDisplayMessageResponse['status'], reasonCode?: string, additionalInfo?: string) => ({
    status,
    ...(reasonCode ? { statusInfo: { reasonCode, ...(additionalInfo ? { additionalInfo } : {}) } } : {}),
  });
  if (view.variables.bool('DisplayMessageCtrlr', 'Enabled') === false) return refuse('Rejected', 'NotEnabled');
  const { formats, states } = ofVersion(settings, view.version);
  // O01.FR.01, O02.FR.03
  if (!settings.priorities.includes(m.priority)) return refuse('NotSupportedPriority');
  // O01.FR.02, O02.FR.04
  if (m.state !== undefined && !states.includes(m.state)) return refuse('NotSupportedState');
  const contents = [m.message, ...(m.messageExtra ?? [])];
  // O01.FR.03, O02.FR.05
  if (contents.some((c) => !formats.includes(c.format))) return refuse('NotSupportedMessageFormat');
  const badLanguage = contents.find(
    (c) =>
      c.language !== undefined &&
      (!isLanguageTag(c.language) ||
        (settings.languages.length > 0 &&
          !settings.languages.some((l) => l.toLowerCase() === c.language!.toLowerCase()))),
  );
  if (badLanguage) {
    const info = `language ${JSON.stringify(badLanguage.language)} is not supported`;
    // O01.FR.17/18 (2.1). 2.0.1 names no status for it: Rejected, with the reason.
    return view.version === 'ocpp2.1'
      ? refuse('LanguageNotSupported' as SetDisplayMessageResponse['status'], 'UnsupportedRequest', info)
      : refuse('Rejected', 'UnsupportedRequest', info);
  }
  // O02.FR.01
  if (m.transactionId !== undefined && view.query.transactionEvse?.(m.transactionId) === undefined)
    return refuse('UnknownTransaction');
  const start = Date.parse(m.startDateTime ?? '');
  const end = Date.parse(m.endDateTime ?? '');
  if (Number.isFinite(end) && (end <= view.now() || (Number.isFinite(start) && end <= start)))
    return refuse('Rejected', 'InvalidValue', 'endDateTime is not after now and startDateTime');
  return undefined;
}

/** What an event does to the messages and what the screen depends on. */
const react = byEventType<DisplayState>({
  // O02.FR.02: a transaction's messages go with it; so does its driver's language.
  'transaction.ended': (state, e) => ({
    state: {
      ...state,
      messages: state.messages.filter((m) => m.transactionId !== e.transactionId),
      languages: state.languages.filter((l) => l.evseId !== e.evseId),
      suspended: state.suspended.filter((id) => id !== e.evseId),
    },
    effects: state.messages.some((m) => m.transactionId === e.transactionId) ? [{ type: 'persist' }] : [],
  }),
  // A driver authorized before choosing an EVSE: the transaction tells which one.
  'transaction.started': (state, e) => {
    if (!state.languages.some((l) => l.evseId === 0) || state.languages.some((l) => l.evseId === e.evseId))
      return undefined;
    return {
      state: { ...state, languages: state.languages.map((l) => (l.evseId === 0 ? { ...l, evseId: e.evseId } : l)) },
    };
  },
  // O01.FR.08: the driver's language preferences come with the verdict on the token.
  'authorize.result': (state, e) => {
    const { status, language1, language2 } = e.idTokenInfo;
    if (status !== 'Accepted' || !(language1 || language2)) return undefined;
    const languages = [language1, language2].filter((l): l is string => typeof l === 'string' && l.length > 0);
    const evseId = e.evseId ?? 0;
    return {
      state: { ...state, languages: [...state.languages.filter((l) => l.evseId !== evseId), { evseId, languages }] },
    };
  },
  energyFlow: (state, e) => {
    const suspended = e.state !== 'Charging';
    if (suspended === state.suspended.includes(e.evseId)) return undefined;
    return {
      state: {
        ...state,
        suspended: suspended ? [...state.suspended, e.evseId] : state.suspended.filter((id) => id !== e.evseId),
      },
    };
  },
  // The timer fired (perhaps early, for a boundary beyond MAX_TIMER_MS): the next one is armed by `refresh`.
  'display.tick': (state) => ({ state: { ...state, tickAt: undefined } }),
  // After a restart nothing has been shown yet.
  started: (state) => ({ state: { ...state, shown: undefined, tickAt: undefined, count: undefined } }),
});

/**
 * After every event: messages whose endDateTime passed are removed (O01.FR.07, O02.FR.07); the display gets the
 * screen when it changed; DisplayMessages counts the messages; the timer is armed for the next window boundary.
 */
function refresh(
  state: DisplayState,
  view: StationView,
  effects: Effect[],
  changed: boolean,
): Step<DisplayState> | undefined {
  const now = view.now();
  let next = state;
  const out = [...effects];
  const live = state.messages.filter((m) => !ended(m, now));
  if (live.length !== state.messages.length) {
    next = { ...next, messages: live };
    out.push({ type: 'persist' });
  }
  const screen = screenOf(
    next.messages,
    now,
    stationState(view, new Set(next.suspended)),
    screenLanguages(next),
    view.query.driverScreens?.() ?? [],
    view.query.paymentScreens?.() ?? [],
  );
  const json = JSON.stringify(screen);
  if (json !== next.shown) {
    next = { ...next, shown: json };
    out.push({ type: 'hardware', call: { op: 'showDisplay', args: [screen] } });
  }
  if (next.count !== next.messages.length) {
    next = { ...next, count: next.messages.length };
    out.push({
      type: 'setVariable',
      component: 'DisplayMessageCtrlr',
      variable: 'DisplayMessages',
      value: String(next.messages.length),
    });
  }
  const boundary = nextBoundary(next.messages, now);
  if (boundary !== next.tickAt) {
    if (boundary === undefined) {
      next = { ...next, tickAt: undefined };
      out.push({ type: 'cancelTimer', id: TICK_TIMER });
    } else {
      next = { ...next, tickAt: boundary };
      out.push({ type: 'timer', id: TICK_TIMER, ms: Math.min(boundary - now, MAX_TIMER_MS), event: TICK });
    }
  }
  if (!changed && next === state && out.length === 0) return undefined;
  return { state: next, effects: out };
}

/** The languages of the driver most recently authorized (O01.FR.08). */
function screenLanguages(state: DisplayState): string[] {
  return state.languages[state.languages.length - 1]?.languages ?? [];
}
