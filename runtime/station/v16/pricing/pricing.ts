// California pricing on the 1.6 station (the OCA note "OCPP & California Pricing Requirements", 1.6 part, as libocpp
// and MicroOcpp read it): what a driver sees about price and cost, handed to the integrator's display through the
// same operation as 2.x block O, `showDisplay`, with one entry per driver (`drivers`, as 2.x block I fills it) that
// also carries the exact cost as decimal text.
//
// - DefaultPrice's priceText (priceTextOffline while offline) when nobody has a price of their own;
// - SetUserPrice: the driver's price text once identified (by idTag: kept until their transaction starts, then shown
//   on its connector);
// - RunningCost: the cost so far and the unit prices; between messages the station adds what was used since
//   (runtime/pricing/running-cost.ts, exact decimals) and shows it again on every meter reading and every minute;
//   its triggerMeterValue asks for extra MeterValues (atTime once, atEnergykWh once the transaction used that much,
//   atPowerkW each time the power crosses it, atCPStatus each time the connector enters one of those statuses);
// - FinalCost: the total and its text (and qrCodeText) for the ended transaction, until the connector's next one.
//
// - The idle fee after the stop (CustomIdleFeeAfterStop true): a transaction that stops with the cable still in keeps
//   its cost running — the time after the stop priced as idle time (runtime/pricing/running-cost.ts `rebase`), and
//   RunningCost still accepted for it — until the cable is unplugged; then the station tells the Central System with
//   DataTransfer ConnectorUnplugged { transactionId, timestamp }, after which the FinalCost is to come. A transaction
//   that ends with the cable already out (or unknown, after a restart) sends it at once.
// - Offline: a transaction the Central System gave no RunningCost for gets the station's own cost at DefaultPrice's
//   chargingPrice (flat fee at the start, kWh and hour price since) while the station is offline, and throughout
//   when it started offline, until a RunningCost takes over; the screen marks it `costByStation`.
//
// The messages arrive through the 1.6 DataTransfer router (data-transfer.ts) by `pricingVendor`, which checks them
// and raises `v16.pricing.message`. What is shown survives a restart: the state is persisted (exact amounts as
// text) whenever the screen changes and restored at start, when the screen is handed to the display again. With
// `hardware.readMeter` the station reads the meter itself every second while a cost grows or a trigger waits (no
// `meterValues` pushes come to look at). TimeOffset follows NextTimeOffsetTransitionDateTime: at that time
// TimeOffsetNextTransition becomes TimeOffset.
import type { DataTransferRequest } from '../../../../generated/v16/types.js';
import type { Family16 } from '../../core/family.js';
import type { OwnEvents } from '../../core/registry.js';
import type { Effect, MeterReading, StationView, Step, UseCase } from '../../core/types.js';
import '../../O-display/display.js';
import { growing, pricingScreen, readingsOf, stationBasis, type ConnectorCost, type PricingState } from './screen.js';

export type { PricingDriverScreen, PricingState } from './screen.js';
import {
  COST_VENDOR,
  parseFinalCost,
  parseRunningCost,
  parseUserPrice,
  type FinalCostMessage,
  type RunningCostMessage,
  type UserPrice,
} from '../../../pricing/messages.js';
import { rebase, restoreExact, savedExact } from '../../../pricing/running-cost.js';
import { cmp, rat, toNumber } from '../../../cost/decimal.js';
import { bool16 } from '../configuration/read.js';
import { dataObject, type VendorAnswer } from '../data-transfer/data-transfer.js';
import { connectorNumber, connectors16 } from '../layout.js';
import { meterWh } from '../core-profile/meter-values.js';
import '../core-profile/transactions.js';
import '../configuration/configuration.js';

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** A checked message of the note from the Central System. */
    'v16.pricing.message':
      | { kind: 'userPrice'; message: UserPrice }
      | { kind: 'runningCost'; message: RunningCostMessage }
      | { kind: 'finalCost'; message: FinalCostMessage };
    /** Time to show the running cost again (it grows with time). */
    'v16.pricing.tick': object;
    /** A triggerMeterValue atTime has come. */
    'v16.pricing.atTime': { connectorId: number; at: number };
    /** The next period of a running cost begins: the energy register is noted, to price the energy after it. */
    'v16.pricing.period': { connectorId: number; at: number };
    /** NextTimeOffsetTransitionDateTime has come. */
    'v16.pricing.offsetTransition': object;
    /** With `hardware.readMeter`: time to read the meter for the triggers and the cost shown. */
    'v16.pricing.poll': object;
  }
  interface StationQueries {
    /** The connector of a transaction (by the CSMS's transactionId) the pricing block knows, running or just ended. */
    pricedTransaction16(transactionId: number): number | undefined;
  }
}

type View = StationView<Family16>;
type E = Effect<Family16>;

const TICK = 'v16.pricing.tick';
const TICK_MS = 60_000;
const POLL = 'v16.pricing.poll';
const POLL_MS = 1000;
/** SetUserPrice texts kept for idTags without a transaction (the oldest go first). */
const MAX_PENDING = 16;
const OFFSET_TIMER = 'v16.pricing.offset';
const atTimeTimer = (connectorId: number) => `v16.pricing.atTime.${connectorId}`;
const periodTimer = (connectorId: number) => `v16.pricing.period.${connectorId}`;
const tagKey = (idTag: string) => idTag.toLowerCase();
/** The active import power of the readings, kW (Power.Active.Import in W or kW), if they have it. */
function powerKw(readings: readonly MeterReading[]): number | undefined {
  const r = readings.find((x) => x.measurand === 'Power.Active.Import' && x.phase === undefined);
  if (!r) return undefined;
  const value = r.value * 10 ** (r.multiplier ?? 0);
  return r.unit === 'kW' ? value : value / 1000;
}

/**
 * Hands the screen to the display when it changed, and keeps it (persisted) for a restart; keeps the minute tick
 * while a cost grows, and with readMeter the meter poll while a cost grows or an energy or power trigger waits.
 */
function refresh(
  state: PricingState,
  view: View,
  options: Pricing16Options,
  effects: E[] = [],
): Step<PricingState, Family16> {
  const screen = pricingScreen(state, view);
  const json = JSON.stringify(screen);
  const costs = Object.values(state.connectors);
  const ticking = costs.some((c) => growing(c) && (c.running !== undefined || stationBasis(c, view) !== undefined));
  const out: E[] = [...effects];
  if (ticking) out.push({ type: 'timer', id: TICK, ms: TICK_MS, event: { type: 'v16.pricing.tick' } });
  const waiting = costs.some(
    (c) => !c.ended && (c.triggers?.atEnergykWh !== undefined || c.triggers?.atPowerkW !== undefined),
  );
  if (options.readMeter && (ticking || waiting))
    out.push({ type: 'timer', id: POLL, ms: POLL_MS, event: { type: 'v16.pricing.poll' } });
  if (json === state.shown) return { state, effects: out };
  out.push({ type: 'hardware', call: { op: 'showDisplay', args: [screen] } }, { type: 'persist' });
  return { state: { ...state, shown: json }, effects: out };
}

const triggerMeterValues = (connectorId: number): E => ({
  type: 'dispatch',
  event: { type: 'triggered', requestedMessage: 'MeterValues', evse: { id: connectorId } },
});

/** The CSMS's transactionId of each running transaction the block follows, as soon as StartTransaction.conf had it. */
function learnIds(state: PricingState, view: View): PricingState {
  let next = state;
  for (const [id, c] of Object.entries(state.connectors)) {
    if (c.csmsId !== undefined || c.ended) continue;
    const csmsId = view.query.transaction16?.(Number(id))?.csmsId;
    if (csmsId !== undefined) next = { ...next, connectors: { ...next.connectors, [id]: { ...c, csmsId } } };
  }
  return next;
}

/** atEnergykWh, atPowerkW and atCPStatus of the running cost, against a new reading and the connector's status. */
function checkTriggers(state: PricingState, view: View): { state: PricingState; effects: E[] } {
  const effects: E[] = [];
  const connectors = { ...state.connectors };
  let changed = false;
  for (const [id, c] of Object.entries(state.connectors)) {
    const t = c.triggers;
    if (!t || c.ended) continue;
    const connectorId = Number(id);
    const readings = readingsOf(view, connectorId);
    let next: ConnectorCost = c;
    let fire = false;
    if (t.atEnergykWh !== undefined) {
      const usedWh = meterWh(readings) - c.startWh;
      // usedWh ≥ atEnergykWh × 1000, compared exactly.
      if (cmp(rat(BigInt(Math.max(0, usedWh)), 1000n), t.atEnergykWh) >= 0) {
        fire = true;
        const { atEnergykWh: _done, ...rest } = t;
        next = { ...next, triggers: rest };
      }
    }
    if (t.atPowerkW !== undefined) {
      const kw = powerKw(readings);
      if (kw !== undefined) {
        const above = kw > toNumber(t.atPowerkW, 6);
        if (c.powerAbove !== undefined && above !== c.powerAbove) fire = true;
        next = { ...next, powerAbove: above };
      }
    }
    const status = view.query.txStatus16?.(connectorId);
    if (status !== c.status) {
      if (status && t.atCPStatus?.includes(status)) fire = true;
      next = { ...next, ...(status ? { status } : {}) };
    }
    if (next !== c) {
      connectors[connectorId] = next;
      changed = true;
    }
    if (fire) effects.push(triggerMeterValues(connectorId));
  }
  return { state: changed ? { ...state, connectors } : state, effects };
}

function offsetTimer(view: View): E[] {
  const at = Date.parse(view.query.config16?.('NextTimeOffsetTransitionDateTime') ?? '');
  if (Number.isNaN(at)) return [{ type: 'cancelTimer', id: OFFSET_TIMER }];
  return [
    {
      type: 'timer',
      id: OFFSET_TIMER,
      ms: Math.max(0, at - view.now()),
      event: { type: 'v16.pricing.offsetTransition' },
    },
  ];
}

function onMessage(
  state: PricingState,
  event: OwnEvents['v16.pricing.message'],
  view: View,
  options: Pricing16Options,
): Step<PricingState, Family16> {
  if (event.kind === 'userPrice') {
    const m = event.message;
    const running = Object.entries(state.connectors).find(
      ([, c]) => !c.ended && c.idTag !== undefined && tagKey(c.idTag) === tagKey(m.idToken),
    );
    if (running) {
      const [id, c] = running;
      return refresh(
        { ...state, connectors: { ...state.connectors, [id]: { ...c, userTexts: m.texts } } },
        view,
        options,
      );
    }
    // Kept for a bounded number of idTags (the oldest forgotten first): a CSMS cannot grow the persisted state.
    const { [tagKey(m.idToken)]: _old, ...others } = state.pending;
    const kept = Object.entries(others).slice(-(MAX_PENDING - 1));
    return refresh({ ...state, pending: { ...Object.fromEntries(kept), [tagKey(m.idToken)]: m.texts } }, view, options);
  }
  const id = Object.entries(state.connectors).find(([, c]) => c.csmsId === event.message.transactionId)?.[0];
  if (id === undefined) return refresh(state, view, options);
  const c = state.connectors[Number(id)]!;
  if (event.kind === 'finalCost')
    return refresh(
      { ...state, connectors: { ...state.connectors, [id]: { ...c, final: event.message } } },
      view,
      options,
      [{ type: 'cancelTimer', id: atTimeTimer(Number(id)) }],
    );
  const m = event.message;
  // The grace minutes count from when the transaction became idle: an Idle following an Idle keeps that moment.
  const idleSince =
    m.basis.state === 'Idle'
      ? ((c.running?.basis.state === 'Idle' ? c.running.basis.idleSince : undefined) ?? m.basis.at)
      : undefined;
  const running: RunningCostMessage = {
    ...m,
    basis: { ...m.basis, ...(idleSince !== undefined ? { idleSince } : {}) },
  };
  const effects: E[] = [{ type: 'cancelTimer', id: atTimeTimer(Number(id)) }];
  const at = m.triggers?.atTime;
  if (at !== undefined)
    effects.push({
      type: 'timer',
      id: atTimeTimer(Number(id)),
      ms: Math.max(0, at - view.now()),
      event: { type: 'v16.pricing.atTime', connectorId: Number(id), at },
    });
  const switchAt = m.basis.nextPeriod?.at;
  effects.push({ type: 'cancelTimer', id: periodTimer(Number(id)) });
  if (switchAt !== undefined && switchAt > view.now())
    effects.push({
      type: 'timer',
      id: periodTimer(Number(id)),
      ms: switchAt - view.now(),
      event: { type: 'v16.pricing.period', connectorId: Number(id), at: switchAt },
    });
  const next: ConnectorCost = { ...c, running, ...(m.triggers ? { triggers: m.triggers } : {}) };
  if (!m.triggers) delete next.triggers;
  return refresh({ ...state, connectors: { ...state.connectors, [id]: next } }, view, options, effects);
}

/** ConnectorUnplugged (CustomIdleFeeAfterStop): the cable of the ended transaction is out, at `at`. */
function unplugged(c: ConnectorCost, at: number): E[] {
  if (c.csmsId === undefined) return [];
  return [
    {
      type: 'send',
      action: 'DataTransfer',
      payload: {
        vendorId: COST_VENDOR,
        messageId: 'ConnectorUnplugged',
        data: JSON.stringify({ transactionId: c.csmsId, timestamp: new Date(at).toISOString() }),
      },
    },
  ];
}

/** The transaction on the connector ended: its energy stops; with CustomIdleFeeAfterStop the idle time runs on. */
function onEnded(state: PricingState, connectorId: number, view: View, options: Pricing16Options) {
  const c = state.connectors[connectorId];
  if (!c) return undefined;
  const now = view.now();
  const endWh = meterWh(readingsOf(view, connectorId));
  const idleFee = bool16(view, 'CustomIdleFeeAfterStop');
  const cableIn = view.query.txStatus16?.(connectorId) === 'Finishing';
  const ended: ConnectorCost = { ...c, ended: true, endedAt: now, endWh };
  const effects: E[] = [{ type: 'cancelTimer', id: atTimeTimer(connectorId) }];
  if (idleFee && cableIn) {
    ended.idleAfterStop = true;
    // No energy flows after the stop: the time from now on is idle time at the prices in force.
    if (c.running && !c.final) ended.running = { ...c.running, basis: rebase(c.running.basis, now, endWh, 'Idle') };
  } else if (idleFee) {
    ended.idleAfterStop = true;
    ended.unpluggedAt = now;
    effects.push(...unplugged(ended, now));
  }
  return refresh({ ...state, connectors: { ...state.connectors, [connectorId]: ended } }, view, options, effects);
}

export interface Pricing16Options {
  /** The integrator gave `hardware.readMeter`: the block polls the meter instead of waiting for pushed readings. */
  readMeter?: boolean;
}

/** What survives a restart: what the screen is made of (not `shown`, so the screen is handed over again). */
function restore(saved: unknown): PricingState {
  const s = restoreExact(saved);
  const o = s !== null && typeof s === 'object' ? s : {};
  const pending = 'pending' in o && o.pending !== null && typeof o.pending === 'object' ? o.pending : {};
  const connectors = 'connectors' in o && o.connectors !== null && typeof o.connectors === 'object' ? o.connectors : {};
  return { pending: { ...pending }, connectors: { ...connectors } };
}

export function pricing16UseCase(options: Pricing16Options = {}): UseCase<PricingState, Family16> {
  return {
    name: 'v16.pricing',
    init: (_view, saved) => restore(saved),
    save: (state) => savedExact({ pending: state.pending, connectors: state.connectors }),
    queries: {
      pricedTransaction16(state, view, transactionId) {
        const found = Object.entries(state.connectors).find(([, c]) => c.csmsId === transactionId)?.[0];
        if (found !== undefined) return Number(found);
        // Running, and StartTransaction.conf has come since the block last looked.
        return connectors16(view.evses).find((c) => view.query.transaction16?.(c.id)?.csmsId === transactionId)?.id;
      },
    },
    on(state0, event, view) {
      const state = learnIds(state0, view);
      switch (event.type) {
        case 'started':
          return refresh(state, view, options, offsetTimer(view));
        case 'connected':
        case 'disconnected':
        case 'v16.pricing.tick':
          return refresh(state, view, options);
        case 'v16.config.changed':
          if (event.key === 'NextTimeOffsetTransitionDateTime') return refresh(state, view, options, offsetTimer(view));
          return event.key === 'DefaultPrice' || event.key === 'DefaultPriceText' || event.key === 'Language'
            ? refresh(state, view, options)
            : undefined;
        case 'v16.pricing.offsetTransition': {
          // The offset of after the transition becomes the offset in force; the transition is done.
          const next = view.query.config16?.('TimeOffsetNextTransition') ?? '+00:00';
          return {
            state,
            effects: [
              { type: 'dispatch', event: { type: 'v16.config.set', key: 'TimeOffset', value: next } },
              {
                type: 'dispatch',
                event: { type: 'v16.config.set', key: 'NextTimeOffsetTransitionDateTime', value: '' },
              },
            ],
          };
        }
        case 'v16.tx.started': {
          const key = tagKey(event.idTag);
          const { [key]: userTexts, ...pending } = state.pending;
          const c: ConnectorCost = {
            idTag: event.idTag,
            startWh: meterWh(readingsOf(view, event.connectorId)),
            startedAt: view.query.transaction16?.(event.connectorId)?.startedAt ?? view.now(),
            ...(view.connected ? {} : { startedOffline: true }),
            ...(userTexts ? { userTexts } : {}),
          };
          return refresh(
            learnIds({ ...state, pending, connectors: { ...state.connectors, [event.connectorId]: c } }, view),
            view,
            options,
            [{ type: 'cancelTimer', id: atTimeTimer(event.connectorId) }],
          );
        }
        case 'v16.tx.ended':
          return onEnded(state, event.connectorId, view, options);
        case 'cableUnplugged': {
          const id = connectorNumber(view.evses, event.evseId, event.connectorId);
          const c = id === undefined ? undefined : state.connectors[id];
          if (id === undefined || !c?.ended || !c.idleAfterStop || c.unpluggedAt !== undefined)
            return checkTriggers(state, view);
          const now = view.now();
          const out: ConnectorCost = { ...c, unpluggedAt: now };
          return refresh(
            { ...state, connectors: { ...state.connectors, [id]: out } },
            view,
            options,
            unplugged(out, now),
          );
        }
        case 'v16.pricing.atTime': {
          const c = state.connectors[event.connectorId];
          if (!c || c.ended || c.triggers?.atTime !== event.at) return undefined;
          const { atTime: _done, ...triggers } = c.triggers;
          return {
            state: { ...state, connectors: { ...state.connectors, [event.connectorId]: { ...c, triggers } } },
            effects: [triggerMeterValues(event.connectorId)],
          };
        }
        case 'v16.pricing.period': {
          const c = state.connectors[event.connectorId];
          const period = c?.running?.basis.nextPeriod;
          if (!c?.running || !period || period.at !== event.at) return undefined;
          const noted = { ...period, meterWh: meterWh(readingsOf(view, event.connectorId)) };
          const running = { ...c.running, basis: { ...c.running.basis, nextPeriod: noted } };
          return refresh(
            { ...state, connectors: { ...state.connectors, [event.connectorId]: { ...c, running } } },
            view,
            options,
          );
        }
        case 'v16.pricing.message':
          return onMessage(state, event, view, options);
        case 'meterValues':
        case 'v16.pricing.poll': {
          const checked = checkTriggers(state, view);
          return refresh(checked.state, view, options, checked.effects);
        }
        default: {
          // A status change (atCPStatus) can follow any event.
          const checked = checkTriggers(state, view);
          if (checked.effects.length === 0 && checked.state === state0) return undefined;
          return checked;
        }
      }
    },
  };
}

/**
 * The note's DataTransfers from the Central System (vendorId org.openchargealliance.costmsg): SetUserPrice,
 * RunningCost and FinalCost, each Accepted once checked; a malformed one, or a cost for a transaction the station
 * does not have, Rejected; any other messageId UnknownMessageId.
 */
export function pricingVendor(request: DataTransferRequest, view: View): VendorAnswer {
  const data = dataObject(request.data);
  const accept = (event: E): VendorAnswer => ({ response: { status: 'Accepted' }, after: [event] });
  const rejected: VendorAnswer = { response: { status: 'Rejected' } };
  switch (request.messageId) {
    case 'SetUserPrice': {
      const message = data && parseUserPrice(data);
      return message
        ? accept({ type: 'dispatch', event: { type: 'v16.pricing.message', kind: 'userPrice', message } })
        : rejected;
    }
    case 'RunningCost': {
      const message = data && parseRunningCost(data);
      if (!message || view.query.pricedTransaction16?.(message.transactionId) === undefined) return rejected;
      return accept({ type: 'dispatch', event: { type: 'v16.pricing.message', kind: 'runningCost', message } });
    }
    case 'FinalCost': {
      const message = data && parseFinalCost(data);
      if (!message || view.query.pricedTransaction16?.(message.transactionId) === undefined) return rejected;
      return accept({ type: 'dispatch', event: { type: 'v16.pricing.message', kind: 'finalCost', message } });
    }
    default:
      return { response: { status: 'UnknownMessageId' } };
  }
}

export { COST_VENDOR };
