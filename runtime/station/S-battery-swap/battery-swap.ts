// S01 Battery Swap Local Authorization, S02 Battery Swap Remote Start, S03 Battery Swap In/Out. OCPP 2.1 only.
//
// One swap at a time. It begins with a driver's idToken authorized through block C's contract (S01:
// `batterySwapRequested()` → `authorize.request` → `authorize.result`) or with the CSMS's RequestBatterySwap (S02:
// the CSMS authorized the token, S02.FR.03). With a set of charged batteries ready (the integrator says so with
// `batterySwapAvailability()`, and is asked once after each start) the station opens the empty slots
// (hardware.openBatterySlots); the batteries the driver puts in (`batteriesInserted()`) are reported as
// BatterySwap BatteryIn, those taken out (`batteriesRemoved()`) as BatteryOut, with the same requestId and idToken.
// Timeouts: BatterySwapCtrlr.Timeout[In] for putting the old batteries in (S01.FR.02, S02.FR.05),
// BatterySwapCtrlr.Timeout[Out] for taking the charged ones (S03.FR.06).
//
// Charging the batteries in their slots (S04) is a transaction per slot: the slot is an EVSE with a `bBatterySlot`
// connector that is plugged while a battery is in it (slots.ts); block E charges it (E-transactions/battery-slot.ts)
// and block G reports the slot's AvailabilityState (S03.FR.02/04).
import type { BatteryDataType, BatterySwapEventEnumType, IdTokenType } from '../../../generated/v21/types.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../core/types.js';
import { stationToken } from '../core/tokens.js';
import { isBatterySlot, slotSoc, targetSoc } from './slots.js';

/** Why a swap ended without batteries changing hands. */
export type SwapAbort = 'NotAuthorized' | 'NoBatteryAvailable' | 'InTimeout';

declare module '../core/registry.js' {
  interface OwnEvents {
    /** The integrator: whether a set of charged batteries is ready to be swapped (S02.FR.01/04, S03.FR.05). */
    'swap.availability': { available: boolean };
    /** The integrator: a driver asks for a swap with this idToken at the station (S01). */
    'swap.requested': { idToken: IdTokenType };
    /** The integrator: batteries were put into slots; `offered`: the charged ones the station offers in return. */
    'swap.inserted': { batteryData: BatteryDataType[]; offered: BatteryDataType[] };
    /** The integrator: batteries were taken out of their slots. */
    'swap.removed': { batteryData: BatteryDataType[] };
    'swap.inTimeout': { requestId: number };
    'swap.outTimeout': { requestId: number };
  }
  interface HardwareOperations {
    /** S02/S03: whether a set of charged batteries is ready to be swapped now; asked once after each start. */
    batterySwapAvailable(): boolean | Promise<boolean>;
    /** S01.FR.01, S02.FR.01: the swap is authorized — open or show the empty slots for the returned batteries. */
    openBatterySlots(requestId: number, idToken: IdTokenType): void | Promise<void>;
    /** S01.FR.02, S02.FR.05, S03.FR.05: the swap ends without a battery changing hands (close the slots, tell the driver). */
    abortBatterySwap(requestId: number, reason: SwapAbort): void | Promise<void>;
    /**
     * S04.FR.05: the battery in this slot reached BatterySwapCtrlr.TargetSoC: it may now be offered to a driver (count
     * it among the charged batteries; `batterySwapAvailability` tells the station when a set is ready).
     */
    batteryEligible(evseId: number, soc: number): void | Promise<void>;
  }
}

interface Swap {
  requestId: number;
  idToken: IdTokenType;
  /** authorizing: waiting for C (S01); in: the slots are open for the old batteries; out: the new ones are offered. */
  phase: 'authorizing' | 'in' | 'out';
  offered?: BatteryDataType[];
  /** When the timeout of the phase expires (ms): its timer is armed again after a reconnection. */
  deadline?: number;
}

export interface SwapState {
  /** Whether charged batteries are ready (undefined until the integrator or the hardware said). */
  available?: boolean;
  /** The hardware was asked whether batteries are ready (once per start; not kept). */
  asked?: boolean;
  swap?: Swap;
  /** The requestId of the next local swap (S01); kept across restarts so that they do not repeat. */
  nextRequestId: number;
  /** S04.FR.05: the slots whose battery was made eligible (until it is taken out). */
  eligible?: number[];
}

/** Seconds, where the integrator configured no BatterySwapCtrlr.Timeout. */
export const SWAP_TIMEOUT_DEFAULTS = { In: 120, Out: 300 } as const;

const AVAILABLE_TAG = 'swap.available';
const refOf = (requestId: number) => `swap:${requestId}`;
const timerOf = (phase: 'In' | 'Out') => `swap.timeout${phase}`;

function timeoutMs(view: StationView, phase: 'In' | 'Out'): number {
  const s = view.variables.int('BatterySwapCtrlr', 'Timeout', { instance: phase });
  return (s !== undefined && s > 0 ? s : SWAP_TIMEOUT_DEFAULTS[phase]) * 1000;
}

const log = (message: string): Effect => ({ type: 'emit', event: { type: 'log', level: 'warn', message } });

function message(swap: Swap, eventType: BatterySwapEventEnumType, batteryData: BatteryDataType[]): Effect {
  return {
    type: 'send',
    action: 'BatterySwap',
    payload: { eventType, requestId: swap.requestId, idToken: swap.idToken, batteryData },
  };
}

/** The swap is authorized: open the slots for the old batteries and wait for them (S01.FR.01, S02.FR.01). */
function open(state: SwapState, swap: Swap, view: StationView): Step<SwapState> {
  const opened: Swap = { ...swap, phase: 'in', deadline: view.now() + timeoutMs(view, 'In') };
  return {
    state: { ...state, swap: opened },
    effects: [
      { type: 'hardware', call: { op: 'openBatterySlots', args: [swap.requestId, swap.idToken] } },
      timer(opened, view),
    ],
  };
}

/** The timer of the swap's phase, up to its deadline. */
function timer(swap: Swap, view: StationView): Effect {
  const ms = Math.max(0, (swap.deadline ?? view.now()) - view.now());
  return swap.phase === 'out'
    ? { type: 'timer', id: timerOf('Out'), ms, event: { type: 'swap.outTimeout', requestId: swap.requestId } }
    : { type: 'timer', id: timerOf('In'), ms, event: { type: 'swap.inTimeout', requestId: swap.requestId } };
}

function abort(state: SwapState, swap: Swap, reason: SwapAbort): Step<SwapState> {
  const { swap: _ended, ...rest } = state;
  return {
    state: rest,
    effects: [
      { type: 'cancelTimer', id: timerOf('In') },
      { type: 'cancelTimer', id: timerOf('Out') },
      { type: 'hardware', call: { op: 'abortBatterySwap', args: [swap.requestId, reason] } },
    ],
  };
}

/**
 * S04.FR.05: a slot's battery that reached BatterySwapCtrlr.TargetSoC (its SoC reading) while in the slot is made
 * eligible for swapping, once per battery.
 */
function eligibleNow(state: SwapState, view: StationView, evseId: number): Step<SwapState> | undefined {
  const target = targetSoc(view);
  const soc = slotSoc(view, evseId);
  if (!isBatterySlot(view, evseId) || state.eligible?.includes(evseId)) return undefined;
  if (target === undefined || soc === undefined || soc < target) return undefined;
  if (view.query.evseActivity?.(evseId)?.evConnected !== true) return undefined; // no battery in the slot
  return {
    state: { ...state, eligible: [...(state.eligible ?? []), evseId] },
    effects: [{ type: 'hardware', call: { op: 'batteryEligible', args: [evseId, soc] } }],
  };
}

const on = byEventType<SwapState>({
  meterValues: (state, event, view) => eligibleNow(state, view, event.evseId),
  // The battery left the slot: the next one there is judged anew.
  cableUnplugged: (state, event) =>
    state.eligible?.includes(event.evseId)
      ? { state: { ...state, eligible: state.eligible.filter((id) => id !== event.evseId) } }
      : undefined,
  hardwareDone: (state, event) =>
    event.tag === AVAILABLE_TAG && typeof event.result === 'boolean'
      ? { state: { ...state, available: event.result } }
      : undefined,
  'swap.availability': (state, event) => ({ state: { ...state, available: event.available } }),
  // The timeout runs on across a reconnection, also when the answer that armed it lost its after-effects.
  connected: (state, _event, view) =>
    state.swap?.deadline !== undefined ? { state, effects: [timer(state.swap, view)] } : undefined,

  'swap.requested': (state, event) => {
    if (state.swap) return { state, effects: [log('batterySwapRequested: a swap is in progress already')] };
    const requestId = state.nextRequestId;
    const swap: Swap = { requestId, idToken: event.idToken, phase: 'authorizing' };
    const next = { ...state, nextRequestId: requestId + 1 };
    // S03.FR.05: without batteries to give, the swap is refused before anything else.
    if (state.available !== true)
      return {
        state: next,
        effects: [
          { type: 'hardware', call: { op: 'abortBatterySwap', args: [requestId, 'NoBatteryAvailable'] } },
          { type: 'persist' },
        ],
      };
    return {
      state: { ...next, swap },
      effects: [
        { type: 'persist' },
        {
          type: 'dispatch',
          event: { type: 'authorize.request', ref: refOf(requestId), idToken: stationToken(event.idToken) },
        },
      ],
    };
  },

  'authorize.result': (state, event, view) => {
    const swap = state.swap;
    if (!swap || swap.phase !== 'authorizing' || event.ref !== refOf(swap.requestId)) return undefined;
    // The authorization contract: go ahead if and only if the status is Accepted.
    if (event.idTokenInfo.status !== 'Accepted') return abort(state, swap, 'NotAuthorized');
    if (state.available !== true) return abort(state, swap, 'NoBatteryAvailable'); // S03.FR.05
    return open(state, swap, view);
  },

  'swap.inserted': (state, event, view) => {
    const swap = state.swap;
    if (swap?.phase !== 'in')
      return { state, effects: [log('batteriesInserted: no authorized swap is waiting for batteries; not reported')] };
    // S03.FR.01: BatteryIn with the swap's requestId and authorized idToken.
    const waiting: Swap = {
      ...swap,
      phase: 'out',
      offered: event.offered,
      deadline: view.now() + timeoutMs(view, 'Out'),
    };
    return {
      state: { ...state, swap: waiting },
      effects: [
        { type: 'cancelTimer', id: timerOf('In') },
        message(swap, 'BatteryIn', event.batteryData),
        timer(waiting, view),
      ],
    };
  },

  'swap.removed': (state, event) => {
    const swap = state.swap;
    if (swap?.phase !== 'out')
      return { state, effects: [log('batteriesRemoved: no swap has offered batteries; not reported')] };
    // S03.FR.03: BatteryOut with the same requestId as BatteryIn.
    const { swap: _done, ...rest } = state;
    return {
      state: rest,
      effects: [{ type: 'cancelTimer', id: timerOf('Out') }, message(swap, 'BatteryOut', event.batteryData)],
    };
  },

  // S01.FR.02, S02.FR.05: no battery came in time: the authorization ends, the swap is aborted (nothing was sent).
  'swap.inTimeout': (state, event) =>
    state.swap?.phase === 'in' && state.swap.requestId === event.requestId
      ? abort(state, state.swap, 'InTimeout')
      : undefined,

  // S03.FR.06: the offered batteries were not taken: BatteryOutTimeout with the batteries offered.
  'swap.outTimeout': (state, event) => {
    const swap = state.swap;
    if (swap?.phase !== 'out' || swap.requestId !== event.requestId) return undefined;
    const { swap: _left, ...rest } = state;
    return { state: rest, effects: [message(swap, 'BatteryOutTimeout', swap.offered ?? [])] };
  },
});

export const batterySwapUseCase: UseCase<SwapState> = {
  name: 'batterySwap',
  versions: ['ocpp2.1'],

  init(_view, saved) {
    const n = (saved as { nextRequestId?: unknown } | undefined)?.nextRequestId;
    return { nextRequestId: typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 1 };
  },
  save: (state) => ({ nextRequestId: state.nextRequestId }),

  on(state, event, view) {
    const step = on(state, event, view);
    if (step) return step;
    // The first event after a start: ask the hardware whether batteries are ready (the integrator may not have
    // been able to tell a block that only runs once 2.1 is spoken).
    if (state.available === undefined && !state.asked)
      return {
        state: { ...state, asked: true },
        effects: [{ type: 'hardware', call: { op: 'batterySwapAvailable', args: [] }, tag: AVAILABLE_TAG }],
      };
    return undefined;
  },

  answers: {
    RequestBatterySwap(state, request, view) {
      // S02.FR.04: no batteries to give (or another driver's swap holds them).
      if (state.available !== true || state.swap)
        return {
          response: {
            status: 'Rejected',
            statusInfo: {
              reasonCode: 'NoBatteryAvailable',
              ...(state.swap ? { additionalInfo: 'another swap is in progress' } : {}),
            },
          },
        };
      // S02.FR.01; S02.FR.02: the swap carries the CSMS's requestId into BatterySwap.
      const step = open(state, { requestId: request.requestId, idToken: request.idToken, phase: 'in' }, view);
      return { state: step.state, response: { status: 'Accepted' }, after: step.effects ?? [] };
    },
  },
};

/** The integrator's battery data, checked before it becomes an event (a TypeError names the method and field). */
export function checkBatteries(method: string, data: readonly BatteryDataType[], evseIds: readonly number[]) {
  if (!Array.isArray(data) || data.length === 0)
    throw new TypeError(`${method}: batteryData must be a non-empty array of { evseId, serialNumber, soC, soH }`);
  return data.map((b, i) => {
    const where = `${method}: batteryData[${i}]`;
    if (!b || !evseIds.includes(b.evseId)) throw new RangeError(`${where}.evseId must be a slot (EVSE) of the station`);
    if (typeof b.serialNumber !== 'string' || b.serialNumber === '' || b.serialNumber.length > 50)
      throw new TypeError(`${where}.serialNumber must be a string of 1 to 50 characters`);
    for (const f of ['soC', 'soH'] as const)
      if (typeof b[f] !== 'number' || !(b[f] >= 0 && b[f] <= 100))
        throw new TypeError(`${where}.${f} must be a percentage (0 to 100)`);
    return { ...b };
  });
}
