// I01–I06 (2.0.1, and the same messages in 2.1): what the driver is told about tariff and cost, for the display.
//
// I01 the driver's tariff (idTokenInfo.personalMessage), I04 else TariffFallbackMessage; I02 the running cost from
// CostUpdated or a TransactionEventResponse's totalCost; I03 the final cost in the answer to the Ended event (not
// where TxStopPoint is ParkingBayOccupancy: the driver has left, I03.FR.05), I05 TotalCostFallbackMessage when the
// station was offline as the transaction ended; I06 updatedPersonalMessage. Block O shows it (the `drivers` of
// `showDisplay`'s screen) through the `driverScreens` query; this block raises `display.tick` when it changes.
// With the California pricing note enabled (CustomizationCtrlr, california.ts) the running cost grows between the
// CSMS's messages, in exact decimals, with its texts in every language and the QR code.
import type { CostUpdatedRequest, TransactionEventResponse as Response201 } from '../../../generated/v201/types.js';
import type { TransactionEventResponse as Response21 } from '../../../generated/v21/types.js';
import type { MessageContentType } from '../../../generated/v21/types.js';
import { COST_VENDOR, parseCostUpdated201, textFor } from '../../pricing/messages.js';
import {
  amountOf,
  defaultPriceBasis,
  fixed,
  rebase,
  restoreExact,
  runningCost,
  savedExact,
} from '../../pricing/running-cost.js';
import { toNumber } from '../../cost/decimal.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../core/types.js';
import {
  checkTriggers,
  costDecimals,
  costMessagesEnabled,
  costShown,
  extraTexts,
  inLanguage,
  multiLanguageEnabled,
  MULTILANGUAGE_VENDOR,
  offlineChargingPrice,
  qrCodeOf,
  qrCodeShown,
  registerWh,
  tariffShown,
  type CaliforniaCost,
} from './california.js';

/** What one driver at one EVSE is to see about tariff and cost. */
export interface DriverScreen {
  /** 0: authorized before choosing an EVSE. */
  evseId: number;
  transactionId?: string;
  /** I01.FR.03, I06.FR.03: the driver's tariff from the CSMS. */
  personalMessage?: MessageContentType;
  /** I04.FR.01: TariffFallbackMessage, when the CSMS gave no driver tariff (or could not be asked). */
  tariffFallback?: string;
  /** I02.FR.03/04: the running total cost, in TariffCostCtrlr.Currency. */
  runningCost?: number;
  /** I03.FR.03: the total cost of the ended transaction (0: free, I03.FR.04). */
  finalCost?: number;
  /** I05.FR.02: TotalCostFallbackMessage, when the total cost cannot be had (offline at the end). */
  costFallback?: string;
  /** TariffCostCtrlr.Currency (ISO 4217), when configured. */
  currency?: string;
  /** The transaction ended. */
  ended?: boolean;
  // The California pricing note's values (2.0.1: CostUpdated / TransactionEventResponse customData; 1.6 its
  // DataTransfers, v16/pricing/):
  /** The running or final cost as exact decimal text ("3.310"; 1.6: NumberOfDecimalsForCostValues digits). */
  cost?: string;
  /** The CSMS's cost text (the note's priceText) in the display language. */
  costText?: MessageContentType;
  /** Every language of the tariff or cost text the CSMS gave (multi-language). */
  texts?: MessageContentType[];
  /** A link to show as a QR code (the note's qrCodeText). */
  qrCodeText?: string;
  /** The note's state of the running cost: whether the idle fee applies now. */
  costState?: 'Charging' | 'Idle';
  /**
   * The cost is the station's own: 1.6 at DefaultPrice's chargingPrice (offline, no RunningCost from the CSMS), 2.0.1
   * at TariffCostCtrlr.OfflineChargingPrice (started offline, no CostUpdated yet).
   */
  costByStation?: true;
}

declare module '../core/registry.js' {
  interface StationQueries {
    /** I: what each driver is to see about tariff and cost (block O shows it). */
    driverScreens(): DriverScreen[];
  }
  interface OwnEvents {
    /** California pricing: show the running cost again (it grows with time). */
    'driverCost.tick': object;
    /** California pricing: a triggerMeterValue atTime has come. */
    'driverCost.atTime': { transactionId: string; at: number };
    /** California pricing: the next period begins; the energy register is noted to price the energy after it. */
    'driverCost.period': { transactionId: string; at: number };
    /** California pricing: read the meter for an atEnergykWh / atPowerkW trigger (readMeter gives no pushes). */
    'driverCost.poll': object;
  }
}

export interface DriverCostState {
  drivers: DriverScreen[];
  /** California pricing: the note's running cost of each transaction the CSMS sent one for, by transactionId. */
  costs: Record<string, CaliforniaCost>;
  /** The energy register at each transaction's start, Wh (the note's atEnergykWh counts from it). */
  startWh: Record<string, number>;
}

const REFRESH: Effect = { type: 'dispatch', event: { type: 'display.tick' } };
const TICK = 'driverCost.tick';
const TICK_MS = 60_000;
const POLL = 'driverCost.poll';
const POLL_MS = 1000;
const atTimeTimer = (transactionId: string) => `driverCost.atTime.${transactionId}`;
const periodTimer = (transactionId: string) => `driverCost.period.${transactionId}`;

export const driverCostUseCase: UseCase<DriverCostState> = {
  name: 'driverCost',
  // California pricing: the running costs survive a restart (exact amounts kept as text); their timers are armed
  // again once the station runs.
  init: (_view, saved) => restoreCosts(saved),
  save: (state) => (Object.keys(state.costs).length ? savedExact(costsOnly(state)) : {}),
  queries: {
    driverScreens: (state, view) => state.drivers.map((d) => withTexts(d, state, view)),
  },
  answers: {
    // I02.FR.02/03: answered, and the running cost shown (California pricing: with the note's unit prices).
    CostUpdated(state, request, view) {
      const driver = state.drivers.find((d) => d.transactionId === request.transactionId);
      if (!driver || !costShown(view)) return { response: {} };
      const step = costUpdated(state, request, driver.evseId, view);
      return { state: step.state, response: {}, after: [...(step.effects ?? []), REFRESH] };
    },
  },
  on: byEventType<DriverCostState>({
    started: (state, _e, view) =>
      Object.keys(state.costs).length ? { state, effects: rearm(state, view) } : undefined,
    'authorize.result': (state, e, view) => {
      if (e.idTokenInfo.status !== 'Accepted') return undefined;
      const evseId = e.evseId ?? 0;
      // Presented again to stop: the driver of the transaction is already known.
      if (state.drivers.some((d) => d.evseId === evseId && d.transactionId && !d.ended)) return undefined;
      const info = e.idTokenInfo;
      // California pricing, multi-language: the tariff in other languages in the idTokenInfo's customData.
      const extra =
        multiLanguageEnabled(view) && info.customData?.vendorId === MULTILANGUAGE_VENDOR
          ? extraTexts(info.customData, 'personalMessageExtra')
          : [];
      const languages = [info.language1, info.language2].filter((l): l is string => typeof l === 'string');
      const driver: DriverScreen = {
        evseId,
        ...(tariffShown(view) ? tariffTexts(info.personalMessage, extra, languages) : {}),
      };
      return changed({ ...state, drivers: [...state.drivers.filter((d) => d.evseId !== evseId), driver] });
    },
    'transaction.started': (state, e, view) => {
      const own =
        state.drivers.find((d) => d.evseId === e.evseId && !d.ended) ?? state.drivers.find((d) => d.evseId === 0);
      const rest = state.drivers.filter((d) => d !== own && d.evseId !== e.evseId);
      const gone = new Set(state.drivers.filter((d) => !rest.includes(d)).map((d) => d.transactionId));
      const startWh = registerWh(view.meter(e.evseId));
      const costs = Object.fromEntries(Object.entries(state.costs).filter(([id]) => !gone.has(id)));
      // California pricing: started offline, the station shows its own cost at OfflineChargingPrice until the CSMS's
      // first CostUpdated takes over.
      const offline = startedOffline(view);
      const next: DriverCostState = {
        drivers: [...rest, { ...(own ?? {}), evseId: e.evseId, transactionId: e.transactionId }],
        costs: offline
          ? {
              ...costs,
              [e.transactionId]: { basis: defaultPriceBasis(offline, view.now(), startWh), texts: [], byStation: true },
            }
          : costs,
        startWh: {
          ...Object.fromEntries(Object.entries(state.startWh).filter(([id]) => !gone.has(id))),
          [e.transactionId]: startWh,
        },
      };
      return offline ? { state: next, effects: [...tick(next, view), PERSIST] } : changed(next, state);
    },
    // I05.FR.02: offline as the transaction ends, no total cost will come.
    'transaction.ended': (state, e, view) => {
      const ended = update(state, e.transactionId, { ended: true, ...(view.connected ? {} : { costFallback: '' }) });
      // California pricing: the running cost stops where the transaction did (energy and time).
      const cost = state.costs[e.transactionId];
      const evseId = state.drivers.find((d) => d.transactionId === e.transactionId)?.evseId;
      if (!cost || evseId === undefined) return changed(ended);
      const now = view.now();
      const stopped = {
        ...cost,
        basis: frozen(rebase(cost.basis, now, registerWh(view.meter(evseId)), cost.basis.state)),
      };
      return {
        state: { ...ended, costs: { ...ended.costs, [e.transactionId]: stopped } },
        effects: [REFRESH, PERSIST, { type: 'cancelTimer', id: atTimeTimer(e.transactionId) }],
      };
    },
    queueSent: (state, e, view) => {
      if (e.action !== 'TransactionEvent') return undefined;
      const { payload, response } = e;
      const id = payload.transactionInfo.transactionId;
      const driver = state.drivers.find((d) => d.transactionId === id);
      if (!driver) return undefined;
      const ended = payload.eventType === 'Ended';
      const patch: Partial<DriverScreen> = tariffShown(view) ? updatedTariff(response, view) : {};
      let costs = state.costs;
      if (response.totalCost !== undefined && costShown(view)) {
        if (!ended) {
          patch.runningCost = response.totalCost;
          // California pricing: the CSMS's total as of now; its unit prices go on from here.
          const kept = costs[id];
          if (kept)
            costs = { ...costs, [id]: { ...kept, basis: totalAsOfNow(kept, response.totalCost, driver, view) } };
        }
        // I03.FR.05: with TxStopPoint ParkingBayOccupancy the driver has gone by now.
        else if (!stopsOnParkingBay(view)) {
          patch.finalCost = response.totalCost;
          const exact = amountOf(response.totalCost);
          if (exact && costMessagesEnabled(view)) patch.cost = fixed(exact, costDecimals(view));
          const { [id]: _final, ...rest } = costs;
          costs = rest;
        }
      }
      if (ended && response.totalCost !== undefined) patch.costFallback = undefined;
      if (costMessagesEnabled(view)) {
        const qr = qrCodeOf(response.customData);
        if (qr !== undefined && qrCodeShown(view)) patch.qrCodeText = qr;
      }
      if (!Object.keys(patch).length && costs === state.costs) return undefined;
      return changed({ ...update(state, id, patch), costs }, state);
    },
    // The driver leaves: an ended transaction's EVSE is free again.
    cableUnplugged: (state, e) => {
      const gone = state.drivers.filter((d) => d.evseId === e.evseId && d.ended);
      if (!gone.length) return undefined;
      const ids = new Set(gone.map((d) => d.transactionId));
      return changed(
        {
          drivers: state.drivers.filter((d) => !gone.includes(d)),
          costs: Object.fromEntries(Object.entries(state.costs).filter(([id]) => !ids.has(id))),
          startWh: Object.fromEntries(Object.entries(state.startWh).filter(([id]) => !ids.has(id))),
        },
        state,
      );
    },
    // California pricing: the triggers against each reading; the screen is worked out again by block O.
    meterValues: (state, e, view) => triggersAt(state, e.evseId, view),
    'driverCost.poll': (state, _e, view) => {
      let next: Step<DriverCostState> = { state, effects: [] };
      for (const evseId of new Set(state.drivers.map((d) => d.evseId))) {
        const step = triggersAt(next.state, evseId, view);
        if (step) next = { state: step.state, effects: [...(next.effects ?? []), ...(step.effects ?? [])] };
      }
      return { state: next.state, effects: [...(next.effects ?? []), ...poll(next.state)] };
    },
    'driverCost.tick': (state, _e, view) => ({ state, effects: tick(state, view) }),
    'driverCost.atTime': (state, e) => {
      const cost = state.costs[e.transactionId];
      const evseId = state.drivers.find((d) => d.transactionId === e.transactionId && !d.ended)?.evseId;
      if (!cost || evseId === undefined || cost.triggers?.atTime !== e.at) return undefined;
      const { atTime: _spent, ...triggers } = cost.triggers;
      return {
        state: { ...state, costs: { ...state.costs, [e.transactionId]: { ...cost, triggers } } },
        effects: [meterValuesOf(evseId), PERSIST],
      };
    },
    'driverCost.period': (state, e, view) => {
      const cost = state.costs[e.transactionId];
      const period = cost?.basis.nextPeriod;
      const evseId = state.drivers.find((d) => d.transactionId === e.transactionId)?.evseId;
      if (!cost || !period || period.at !== e.at || evseId === undefined) return undefined;
      const noted = { ...period, meterWh: registerWh(view.meter(evseId)) };
      return changed({
        ...state,
        costs: { ...state.costs, [e.transactionId]: { ...cost, basis: { ...cost.basis, nextPeriod: noted } } },
      });
    },
  }),
};

/** The tariff texts: the main one in the first of `languages` the CSMS gave, and every language under `texts`. */
function tariffTexts(
  main: MessageContentType | undefined,
  extra: readonly MessageContentType[],
  languages: readonly string[],
): Pick<DriverScreen, 'personalMessage' | 'texts'> {
  const all = [...(main ? [main] : []), ...extra];
  if (all.length === 0) return {};
  const shown = extra.length ? (inLanguage(all, languages) ?? all[0]!) : all[0]!;
  return { personalMessage: shown, ...(extra.length ? { texts: all } : {}) };
}

/** I06: updatedPersonalMessage (and idTokenInfo's), with the other languages of the note's customData. */
function updatedTariff(response: Response201 | Response21, view: StationView): Partial<DriverScreen> {
  const main = response.idTokenInfo?.personalMessage ?? response.updatedPersonalMessage;
  if (!main) return {};
  const multi = multiLanguageEnabled(view);
  const extra = multi
    ? [
        // 2.1 has the field; 2.0.1 carries it in customData.
        ...('updatedPersonalMessageExtra' in response ? (response.updatedPersonalMessageExtra ?? []) : []),
        ...extraTexts(response.customData, 'updatedPersonalMessageExtra'),
        ...(response.idTokenInfo?.customData?.vendorId === MULTILANGUAGE_VENDOR
          ? extraTexts(response.idTokenInfo.customData, 'personalMessageExtra')
          : []),
      ]
    : [];
  const languages = [response.idTokenInfo?.language1, response.idTokenInfo?.language2].filter(
    (l): l is string => typeof l === 'string',
  );
  return tariffTexts(main, extra, languages);
}

/**
 * CostUpdated: with the note's customData (and CustomImplementationEnabled[costmsg]) the basis of the running cost,
 * its timers (atTime, the next period) and its triggers; otherwise the total alone (I02.FR.03).
 */
function costUpdated(
  state: DriverCostState,
  request: CostUpdatedRequest,
  evseId: number,
  view: StationView,
): Step<DriverCostState> {
  const id = request.transactionId;
  const { [id]: old, ...others } = state.costs;
  const cancel: Effect[] = [
    { type: 'cancelTimer', id: atTimeTimer(id) },
    { type: 'cancelTimer', id: periodTimer(id) },
  ];
  const note = costMessagesEnabled(view) && request.customData?.vendorId === COST_VENDOR;
  const parsed = note ? parseCostUpdated201(request, view.now(), registerWh(view.meter(evseId))) : undefined;
  const plain = update({ ...state, costs: others }, id, { runningCost: request.totalCost });
  if (!parsed) return { state: plain, effects: old ? [...cancel, PERSIST] : cancel };
  const basis = parsed.basis;
  // The grace minutes count from when the transaction became idle: an Idle following an Idle keeps that moment.
  const idleSince =
    basis.state === 'Idle' ? ((old?.basis.state === 'Idle' ? old.basis.idleSince : undefined) ?? basis.at) : undefined;
  const cost: CaliforniaCost = {
    basis: { ...basis, ...(idleSince !== undefined ? { idleSince } : {}) },
    texts: parsed.texts,
    ...(parsed.triggers ? { triggers: parsed.triggers } : {}),
    ...(parsed.qrCodeText !== undefined ? { qrCodeText: parsed.qrCodeText } : {}),
  };
  const effects: Effect[] = [...cancel, ...costTimers(id, cost, view.now())];
  const next = { ...plain, costs: { ...others, [id]: cost } };
  return { state: next, effects: [...effects, ...tick(next, view), ...poll(next), PERSIST] };
}

/** The minute tick while a running cost of the note grows (a transaction that has not ended has one). */
function tick(state: DriverCostState, _view: StationView): Effect[] {
  const growing = state.drivers.some((d) => d.transactionId && !d.ended && state.costs[d.transactionId]);
  return growing
    ? [{ type: 'timer', id: TICK, ms: TICK_MS, event: { type: 'driverCost.tick' } }, REFRESH]
    : [{ type: 'cancelTimer', id: TICK }];
}

/**
 * The meter read every second while an atEnergykWh / atPowerkW trigger waits: the integrator's readMeter raises no
 * event, and a reading pushed with `meterValues` is looked at when it comes as well.
 */
function poll(state: DriverCostState): Effect[] {
  const waiting = state.drivers.some((d) => {
    const t = d.transactionId && !d.ended ? state.costs[d.transactionId]?.triggers : undefined;
    return t?.atEnergykWh !== undefined || t?.atPowerkW !== undefined;
  });
  return waiting
    ? [{ type: 'timer', id: POLL, ms: POLL_MS, event: { type: 'driverCost.poll' } }]
    : [{ type: 'cancelTimer', id: POLL }];
}

/** A dispatched TriggerMessage-like request for MeterValues of the EVSE (block J sends them, context Trigger). */
const meterValuesOf = (evseId: number): Effect => ({
  type: 'dispatch',
  event: { type: 'triggered', requestedMessage: 'MeterValues', evse: { id: evseId } },
});

/** The note's atEnergykWh / atPowerkW of the running transactions on the EVSE, against its readings now. */
function triggersAt(state: DriverCostState, evseId: number, view: StationView): Step<DriverCostState> | undefined {
  let costs = state.costs;
  const effects: Effect[] = [];
  // A trigger spent is kept for a restart (it must not fire again); the power side of a reading is not.
  let spent = false;
  for (const d of state.drivers) {
    if (d.evseId !== evseId || d.ended || !d.transactionId) continue;
    const cost = costs[d.transactionId];
    if (!cost?.triggers) continue;
    const checked = checkTriggers(cost, view.meter(evseId), state.startWh[d.transactionId] ?? 0);
    if (checked.cost !== cost) costs = { ...costs, [d.transactionId]: checked.cost };
    if (checked.cost.triggers !== cost.triggers) spent = true;
    if (checked.fire) effects.push(meterValuesOf(evseId));
  }
  if (costs === state.costs && effects.length === 0) return undefined;
  return { state: { ...state, costs }, effects: spent ? [...effects, PERSIST] : effects };
}

/** A basis that no longer grows: no prices after it (the transaction ended). */
function frozen(basis: CaliforniaCost['basis']): CaliforniaCost['basis'] {
  const { nextPeriod: _none, idlePrice: _idle, ...rest } = basis;
  return { ...rest, chargingPrice: {} };
}

/** The CSMS's total in a TransactionEventResponse, as of now, with the basis's prices going on from it. */
function totalAsOfNow(kept: CaliforniaCost, totalCost: number, driver: DriverScreen, view: StationView) {
  const at = rebase(kept.basis, view.now(), registerWh(view.meter(driver.evseId)), kept.basis.state);
  const total = amountOf(totalCost);
  return total ? { ...at, cost: total } : at;
}

/** The screen changed; where running costs are (or were) involved, kept for a restart too. */
function changed(state: DriverCostState, before?: DriverCostState): Step<DriverCostState> {
  const keep = Object.keys(state.costs).length > 0 || (before !== undefined && Object.keys(before.costs).length > 0);
  return { state, effects: keep ? [REFRESH, PERSIST] : [REFRESH] };
}

const PERSIST: Effect = { type: 'persist' };

/** What is kept of the state: the running costs, with their drivers and the energy at their start. */
function costsOnly(state: DriverCostState): DriverCostState {
  const ids = new Set(Object.keys(state.costs));
  const kept = (id: string | undefined) => id !== undefined && ids.has(id);
  return {
    drivers: state.drivers.filter((d) => kept(d.transactionId)),
    costs: state.costs,
    startWh: Object.fromEntries(Object.entries(state.startWh).filter(([id]) => ids.has(id))),
  };
}

function restoreCosts(saved: unknown): DriverCostState {
  const s = restoreExact(saved);
  const object = (v: unknown): Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const o = object(s);
  const drivers = Array.isArray(o['drivers']) ? (o['drivers'] as DriverScreen[]) : [];
  return {
    drivers: drivers.filter((d) => d !== null && typeof d === 'object' && typeof d.evseId === 'number'),
    costs: object(o['costs']) as Record<string, CaliforniaCost>,
    startWh: object(o['startWh']) as Record<string, number>,
  };
}

/** A running cost's timers: its atTime trigger, and the start of its next period where it is still to come. */
function costTimers(id: string, cost: CaliforniaCost, now: number): Effect[] {
  const effects: Effect[] = [];
  const at = cost.triggers?.atTime;
  if (at !== undefined)
    effects.push({
      type: 'timer',
      id: atTimeTimer(id),
      ms: Math.max(0, at - now),
      event: { type: 'driverCost.atTime', transactionId: id, at },
    });
  const next = cost.basis.nextPeriod;
  if (next !== undefined && next.meterWh === undefined && next.at > now)
    effects.push({
      type: 'timer',
      id: periodTimer(id),
      ms: next.at - now,
      event: { type: 'driverCost.period', transactionId: id, at: next.at },
    });
  return effects;
}

/** After a restart: the minute tick, the meter poll and each running cost's timers again. */
function rearm(state: DriverCostState, view: StationView): Effect[] {
  const now = view.now();
  const effects = Object.entries(state.costs).flatMap(([id, cost]) => costTimers(id, cost, now));
  // The screen is handed over again at once (an ended transaction's cost too).
  return [...effects, ...tick(state, view), ...poll(state), REFRESH];
}

function update(state: DriverCostState, transactionId: string, patch: Partial<DriverScreen>): DriverCostState {
  return {
    ...state,
    drivers: state.drivers.map((d) => {
      if (d.transactionId !== transactionId) return d;
      const next: DriverScreen = { ...d, ...patch };
      for (const k of Object.keys(next) as Array<keyof DriverScreen>) if (next[k] === undefined) delete next[k];
      return next;
    }),
  };
}

/** The configured texts, read when the screen is made (the CSMS may change them any time, I04.FR.02, I05.FR.01). */
function withTexts(d: DriverScreen, state: DriverCostState, view: StationView): DriverScreen {
  const v = view.variables;
  const currency = v.string('TariffCostCtrlr', 'Currency');
  // California pricing (2.0.1): offline, OfflineTariffFallbackMessage where the CSO set one.
  const offlineText = view.connected ? undefined : v.string('TariffCostCtrlr', 'OfflineTariffFallbackMessage');
  const tariffText = offlineText || v.string('TariffCostCtrlr', 'TariffFallbackMessage', fallbackScope(view));
  const costText = v.string('TariffCostCtrlr', 'TotalCostFallbackMessage', fallbackScope(view));
  // 2.1 I12: where the station calculates the cost itself and the CSMS sent none, its own running cost.
  const local = d.transactionId && !d.ended ? view.query.localCost?.(d.transactionId) : undefined;
  const note = d.transactionId !== undefined ? state.costs[d.transactionId] : undefined;
  return {
    ...d,
    ...(currency ? { currency } : {}),
    ...(local && d.runningCost === undefined ? { runningCost: Number(local.inclTax), currency: local.currency } : {}),
    ...(note && d.finalCost === undefined ? californiaCost(note, d, view) : {}),
    // I04.FR.01: no driver-specific tariff.
    ...(!d.personalMessage && tariffText ? { tariffFallback: tariffText } : {}),
    // I05.FR.02 (costFallback marks the case; the text is the variable's).
    ...(d.costFallback !== undefined ? (costText ? { costFallback: costText } : {}) : {}),
  };
}

/** The note's running cost now (it grows with energy and time since the CSMS's message), its texts and QR code. */
function californiaCost(cost: CaliforniaCost, d: DriverScreen, view: StationView): Partial<DriverScreen> {
  const now = runningCost(cost.basis, view.now(), registerWh(view.meter(d.evseId)));
  const texts = cost.texts.map((t) => ({ ...t }));
  const languages = view.variables.string('DisplayMessageCtrlr', 'Language');
  const text = textFor(cost.texts, languages ? [languages] : []);
  const digits = costDecimals(view);
  return {
    runningCost: toNumber(now, digits),
    cost: fixed(now, digits),
    costState: cost.basis.state,
    ...(text ? { costText: { ...text } } : {}),
    ...(texts.length > 1 ? { texts } : {}),
    ...(cost.qrCodeText !== undefined && qrCodeShown(view) ? { qrCodeText: cost.qrCodeText } : {}),
    ...(cost.byStation ? { costByStation: true as const } : {}),
  };
}

/** The prices of a transaction starting now while offline, where the note is on and the CSO set them. */
function startedOffline(view: StationView) {
  if (view.connected || !costMessagesEnabled(view) || !costShown(view)) return undefined;
  return offlineChargingPrice(view);
}

/** 2.1 keys the fallback messages by language (instance); ocppkit's default instance is English. */
const fallbackScope = (view: StationView) => (view.version === 'ocpp2.1' ? { instance: 'en' } : undefined);

function stopsOnParkingBay(view: StationView): boolean {
  return (view.variables.string('TxCtrlr', 'TxStopPoint') ?? '').split(',').includes('ParkingBayOccupancy');
}
