// The messages of the California pricing note as public implementations (libocpp, MicroOcpp) read it, checked and
// turned into exact values: SetUserPrice (the driver's price text once identified), RunningCost (the cost so far and
// the unit prices, with the triggers for extra meter values), FinalCost (the total and its text), and the
// DefaultPrice configuration value. Each parser gives undefined for a message it cannot use, so the station answers
// it Rejected and keeps nothing of it.
import type { CostBasis, ChargingPrice, IdlePrice } from './running-cost.js';
import { amountOf, priceOf, type Decimal } from './running-cost.js';

/** The note's vendorId for its DataTransfers (1.6) and customData (2.0.1). */
export const COST_VENDOR = 'org.openchargealliance.costmsg';

/** A text in one language (the note's priceTextExtra entries; 2.0.1's MessageContentType). */
export interface PriceText {
  format: 'ASCII' | 'HTML' | 'URI' | 'UTF8';
  language?: string;
  content: string;
}

export interface UserPrice {
  idToken: string;
  texts: PriceText[];
}

export interface MeterTriggers {
  atTime?: number;
  atEnergykWh?: Decimal;
  atPowerkW?: Decimal;
  atCPStatus?: string[];
}

export interface RunningCostMessage {
  transactionId: number;
  basis: CostBasis;
  triggers?: MeterTriggers;
  texts: PriceText[];
  qrCodeText?: string;
}

export interface FinalCostMessage {
  transactionId: number;
  cost: Decimal;
  texts: PriceText[];
  qrCodeText?: string;
}

export interface DefaultPrice {
  priceText: string;
  priceTextOffline?: string;
  chargingPrice?: ChargingPrice;
}

const FORMATS = ['ASCII', 'HTML', 'URI', 'UTF8'] as const;
const CP_STATUSES = ['Available', 'Preparing', 'Charging', 'SuspendedEVSE', 'SuspendedEV', 'Finishing'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const time = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? Date.parse(v) : NaN);

/** priceText (the main text, UTF8) and priceTextExtra (other languages); undefined when malformed. */
function textsOf(o: Obj, required: boolean): PriceText[] | undefined {
  const main = o['priceText'];
  if (main === undefined ? required : typeof main !== 'string') return undefined;
  const out: PriceText[] = typeof main === 'string' ? [{ format: 'UTF8', content: main }] : [];
  const extra = o['priceTextExtra'];
  if (extra === undefined) return out;
  if (!Array.isArray(extra)) return undefined;
  for (const e of extra) {
    if (!isObj(e) || typeof e['content'] !== 'string') return undefined;
    const format = e['format'] ?? 'UTF8';
    const language = e['language'];
    if (!FORMATS.some((f) => f === format) || (language !== undefined && typeof language !== 'string'))
      return undefined;
    out.push({
      format: FORMATS.find((f) => f === format)!,
      ...(typeof language === 'string' ? { language } : {}),
      content: e['content'],
    });
  }
  return out;
}

function chargingPriceOf(v: unknown): ChargingPrice | undefined {
  if (!isObj(v)) return undefined;
  const out: { -readonly [K in keyof ChargingPrice]: ChargingPrice[K] } = {};
  for (const k of ['kWhPrice', 'hourPrice', 'flatFee'] as const) {
    const p = priceOf(v[k]);
    if (p === 'invalid') return undefined;
    if (p) out[k] = p;
  }
  return out;
}

function idlePriceOf(v: unknown): IdlePrice | undefined | 'invalid' {
  if (v === undefined) return undefined;
  if (!isObj(v)) return 'invalid';
  const grace = v['graceMinutes'];
  const hour = priceOf(v['hourPrice']);
  if (hour === 'invalid' || (grace !== undefined && !(Number.isInteger(grace) && (grace as number) >= 0)))
    return 'invalid';
  return {
    ...(typeof grace === 'number' ? { graceMinutes: grace } : {}),
    ...(hour ? { hourPrice: hour } : {}),
  };
}

function triggersOf(v: unknown): MeterTriggers | undefined | 'invalid' {
  if (v === undefined) return undefined;
  if (!isObj(v)) return 'invalid';
  const out: MeterTriggers = {};
  if (v['atTime'] !== undefined) {
    const at = time(v['atTime']);
    if (Number.isNaN(at)) return 'invalid';
    out.atTime = at;
  }
  for (const k of ['atEnergykWh', 'atPowerkW'] as const) {
    const p = priceOf(v[k]);
    if (p === 'invalid') return 'invalid';
    if (p) out[k] = p;
  }
  const statuses = v['atCPStatus'];
  if (statuses !== undefined) {
    if (!Array.isArray(statuses) || statuses.length > 6 || !statuses.every((s) => CP_STATUSES.includes(s)))
      return 'invalid';
    out.atCPStatus = statuses;
  }
  return out;
}

const transactionIdOf = (v: unknown) => (Number.isInteger(v) ? (v as number) : undefined);

export function parseUserPrice(o: Obj): UserPrice | undefined {
  const idToken = o['idToken'];
  const texts = textsOf(o, true);
  return typeof idToken === 'string' && idToken !== '' && texts ? { idToken, texts } : undefined;
}

export function parseRunningCost(o: Obj): RunningCostMessage | undefined {
  const transactionId = transactionIdOf(o['transactionId']);
  const at = time(o['timestamp']);
  const meterWh = o['meterValue'];
  const cost = typeof o['cost'] === 'number' ? amountOf(o['cost']) : undefined;
  const state = o['state'];
  const chargingPrice = chargingPriceOf(o['chargingPrice']);
  const idlePrice = idlePriceOf(o['idlePrice']);
  const triggers = triggersOf(o['triggerMeterValue']);
  const texts = textsOf(o, false);
  const qr = o['qrCodeText'];
  if (
    transactionId === undefined ||
    Number.isNaN(at) ||
    typeof meterWh !== 'number' ||
    !Number.isFinite(meterWh) ||
    meterWh < 0 ||
    !cost ||
    (state !== 'Charging' && state !== 'Idle') ||
    !chargingPrice ||
    idlePrice === 'invalid' ||
    triggers === 'invalid' ||
    !texts ||
    (qr !== undefined && typeof qr !== 'string')
  )
    return undefined;
  let nextPeriod: CostBasis['nextPeriod'];
  const next = o['nextPeriod'];
  if (next !== undefined) {
    if (!isObj(next)) return undefined;
    const nextAt = time(next['atTime']);
    const nextCharging = chargingPriceOf(next['chargingPrice']);
    const nextIdle = idlePriceOf(next['idlePrice']);
    if (Number.isNaN(nextAt) || !nextCharging || nextIdle === 'invalid') return undefined;
    nextPeriod = { at: nextAt, chargingPrice: nextCharging, ...(nextIdle ? { idlePrice: nextIdle } : {}) };
  }
  return {
    transactionId,
    basis: {
      at,
      meterWh,
      cost,
      state,
      chargingPrice,
      ...(idlePrice ? { idlePrice } : {}),
      ...(nextPeriod ? { nextPeriod } : {}),
    },
    ...(triggers ? { triggers } : {}),
    texts,
    ...(typeof qr === 'string' ? { qrCodeText: qr } : {}),
  };
}

export function parseFinalCost(o: Obj): FinalCostMessage | undefined {
  const transactionId = transactionIdOf(o['transactionId']);
  const cost = typeof o['cost'] === 'number' ? amountOf(o['cost']) : undefined;
  const texts = textsOf(o, false);
  const qr = o['qrCodeText'];
  if (transactionId === undefined || !cost || !texts || (qr !== undefined && typeof qr !== 'string')) return undefined;
  return { transactionId, cost, texts, ...(typeof qr === 'string' ? { qrCodeText: qr } : {}) };
}

/** The DefaultPrice configuration value (JSON text); undefined when it is not one the station can use. */
export function parseDefaultPrice(text: string): DefaultPrice | undefined {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObj(o) || typeof o['priceText'] !== 'string') return undefined;
  const offline = o['priceTextOffline'];
  if (offline !== undefined && typeof offline !== 'string') return undefined;
  const charging = o['chargingPrice'] === undefined ? undefined : chargingPriceOf(o['chargingPrice']);
  if (o['chargingPrice'] !== undefined && !charging) return undefined;
  return {
    priceText: o['priceText'],
    ...(typeof offline === 'string' ? { priceTextOffline: offline } : {}),
    ...(charging ? { chargingPrice: charging } : {}),
  };
}

/** One language's default price text (1.6: the DefaultPriceText key, set per language by the CSMS). */
export interface DefaultPriceText {
  language: string;
  priceText: string;
  priceTextOffline?: string;
}

/** A `{ priceText, priceTextOffline? }` object (the value of a `DefaultPriceText,<language>` change). */
export function parsePriceTextValue(text: string): Omit<DefaultPriceText, 'language'> | undefined {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObj(o) || typeof o['priceText'] !== 'string') return undefined;
  const offline = o['priceTextOffline'];
  if (offline !== undefined && typeof offline !== 'string') return undefined;
  return { priceText: o['priceText'], ...(typeof offline === 'string' ? { priceTextOffline: offline } : {}) };
}

/** The DefaultPriceText value, `{ priceTexts: [{ priceText, priceTextOffline?, language }] }`; undefined if not one. */
export function parseDefaultPriceTexts(text: string): DefaultPriceText[] | undefined {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  const list = isObj(o) ? o['priceTexts'] : undefined;
  if (!Array.isArray(list)) return undefined;
  const out: DefaultPriceText[] = [];
  for (const e of list) {
    const value = isObj(e) ? parsePriceTextValue(JSON.stringify(e)) : undefined;
    if (!value || !isObj(e) || typeof e['language'] !== 'string') return undefined;
    out.push({ ...value, language: e['language'] });
  }
  return out;
}

/** The text in the first of `languages` it has (primary tag match too), else the main text. */
export function textFor(texts: readonly PriceText[], languages: readonly string[]): PriceText | undefined {
  const primary = (tag: string | undefined) => tag?.toLowerCase().split('-')[0];
  for (const wanted of languages) {
    const found =
      texts.find((t) => t.language?.toLowerCase() === wanted.toLowerCase()) ??
      texts.find((t) => t.language !== undefined && primary(t.language) === primary(wanted));
    if (found) return found;
  }
  return texts[0];
}

/** 2.0.1's running cost: CostUpdated's totalCost with the note's fields in its customData. */
export interface RunningCost201 {
  transactionId: string;
  basis: CostBasis;
  triggers?: MeterTriggers;
  texts: PriceText[];
  qrCodeText?: string;
}

/**
 * 2.0.1 (the note's 2.0.1 part): a CostUpdatedRequest whose customData (vendorId org.openchargealliance.costmsg)
 * carries the RunningCost fields of 1.6 — state, chargingPrice, idlePrice, nextPeriod, triggerMeterValue, priceText,
 * qrCodeText; timestamp and meterValue when the CSMS gives them, else `now` and the meter now — while totalCost and
 * transactionId are the message's own. Without that customData the cost is the total alone (no unit prices: it does
 * not grow until the next message). Undefined when the customData is the note's but malformed. For block I
 * (I-tariff/driver-cost.ts) to keep the basis and show `runningCost(basis, now, meter)`.
 */
export function parseCostUpdated201(
  request: { totalCost: number; transactionId: string; customData?: { vendorId: string } & Record<string, unknown> },
  now: number,
  meterWh: number,
): RunningCost201 | undefined {
  const custom = request.customData;
  const cost = amountOf(request.totalCost);
  if (!cost) return undefined;
  if (!custom || custom.vendorId !== COST_VENDOR)
    return {
      transactionId: request.transactionId,
      basis: { at: now, meterWh, cost, state: 'Charging', chargingPrice: {} },
      texts: [],
    };
  const parsed = parseRunningCost({
    timestamp: new Date(now).toISOString(),
    meterValue: meterWh,
    state: 'Charging',
    chargingPrice: {},
    ...custom,
    transactionId: 0,
    cost: request.totalCost,
  });
  if (!parsed) return undefined;
  const { transactionId: _placeholder, ...rest } = parsed;
  return { ...rest, transactionId: request.transactionId };
}
