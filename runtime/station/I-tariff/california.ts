// The OCA note "OCPP & California Pricing Requirements", 2.0.1 part, as libocpp reads it: what block I's driver cost
// (driver-cost.ts) adds to I01–I06 where the station enables it in CustomizationCtrlr.CustomImplementationEnabled.
//
// - [org.openchargealliance.costmsg]: a CostUpdated whose customData has that vendorId carries the note's running
//   cost fields (state, chargingPrice, idlePrice, nextPeriod, triggerMeterValue, priceText, qrCodeText): the station
//   keeps them as a basis (runtime/pricing/messages.ts parseCostUpdated201) and shows the cost growing between
//   messages with the energy used and the time (runtime/pricing/running-cost.ts, exact rationals; state Idle: the idle
//   fee after its grace minutes), and sends MeterValues for the triggers (atTime, atEnergykWh since the start, each
//   crossing of atPowerkW; 2.0.1 has no atCPStatus). A TransactionEventResponse's customData gives qrCodeText.
// - [org.openchargealliance.multilanguage]: the driver's tariff in more languages — idTokenInfo.customData
//   personalMessageExtra (that vendorId), a TransactionEventResponse's customData updatedPersonalMessageExtra.
// - TariffCostCtrlr.Enabled[Tariff] / [Cost] false: the CSO turned showing tariffs / costs off.
import { MessageFormatEnumType as FORMATS_201 } from '../../../generated/v201/enums.js';
import type { CustomDataType } from '../../../generated/v201/types.js';
import type { MessageContentType } from '../../../generated/v21/types.js';
import { COST_VENDOR, type MeterTriggers, type PriceText } from '../../pricing/messages.js';
import type { ChargingPrice, CostBasis } from '../../pricing/running-cost.js';
import { cmp, fromDecimal, rat, toNumber } from '../../cost/decimal.js';
import type { MeterReading, StationView } from '../core/types.js';
import { energyRegisterWh } from '../J-meter-values/measurands.js';

export const MULTILANGUAGE_VENDOR = 'org.openchargealliance.multilanguage';

/** What the station keeps of the note's running cost of one transaction. */
export interface CaliforniaCost {
  basis: CostBasis;
  triggers?: MeterTriggers;
  texts: PriceText[];
  qrCodeText?: string;
  /** Whether the power was above atPowerkW at the last reading (a crossing sends MeterValues). */
  powerAbove?: boolean;
  /** The station's own cost at OfflineChargingPrice: the transaction started offline and no CostUpdated came yet. */
  byStation?: true;
}

const enabled = (view: StationView, vendorId: string) =>
  view.variables.bool('CustomizationCtrlr', 'CustomImplementationEnabled', { instance: vendorId }) === true;

/** The note's customData is read (CostUpdated, TransactionEventResponse). */
export const costMessagesEnabled = (view: StationView) => enabled(view, COST_VENDOR);
/** personalMessageExtra / updatedPersonalMessageExtra are read. */
export const multiLanguageEnabled = (view: StationView) => enabled(view, MULTILANGUAGE_VENDOR);
/**
 * 2.0.1 TariffCostCtrlr.Enabled[Tariff] / [Cost]: on unless the CSO turned showing them off (2.1's instances mean
 * local cost calculation instead, block I's tariffs).
 */
const shown = (view: StationView, instance: 'Tariff' | 'Cost') =>
  view.version !== 'ocpp2.0.1' || view.variables.bool('TariffCostCtrlr', 'Enabled', { instance }) !== false;
export const tariffShown = (view: StationView) => shown(view, 'Tariff');
export const costShown = (view: StationView) => shown(view, 'Cost');

/** The note's cost values are shown with this many decimals unless TariffCostCtrlr.NumberOfDecimalsForCostValues says. */
export const COST_DECIMALS = 3;
/** More decimals than a currency's smallest unit needs are refused (the variable's maxLimit). */
export const MAX_COST_DECIMALS = 6;

/** TariffCostCtrlr.NumberOfDecimalsForCostValues, within 0…MAX_COST_DECIMALS. */
export function costDecimals(view: StationView): number {
  const n = view.variables.int('TariffCostCtrlr', 'NumberOfDecimalsForCostValues');
  return n !== undefined && n >= 0 && n <= MAX_COST_DECIMALS ? n : COST_DECIMALS;
}

/** DisplayMessageCtrlr.QRCodeDisplayCapable: qrCodeText is handed to a display that can show it (default: it can). */
export const qrCodeShown = (view: StationView) =>
  view.variables.bool('DisplayMessageCtrlr', 'QRCodeDisplayCapable') !== false;

/**
 * TariffCostCtrlr.OfflineChargingPrice (instances kWhPrice, hourPrice): the prices of a transaction started while the
 * station is offline, as exact decimals; undefined when the CSO set neither (the station then shows no cost).
 */
export function offlineChargingPrice(view: StationView): ChargingPrice | undefined {
  const price = (instance: 'kWhPrice' | 'hourPrice') => {
    const text = view.variables.string('TariffCostCtrlr', 'OfflineChargingPrice', { instance });
    if (!text || !/^\d+(\.\d+)?$/.test(text)) return undefined;
    return fromDecimal(text);
  };
  const kWhPrice = price('kWhPrice');
  const hourPrice = price('hourPrice');
  if (!kWhPrice && !hourPrice) return undefined;
  return { ...(kWhPrice ? { kWhPrice } : {}), ...(hourPrice ? { hourPrice } : {}) };
}

const FORMATS: readonly string[] = FORMATS_201;
const isFormat = (f: unknown): f is MessageContentType['format'] => typeof f === 'string' && FORMATS.includes(f);

/**
 * `customData[key]` as message contents in other languages; entries that are not a MessageContentType with a
 * language are left out (a text without a language cannot be chosen by language), at most 4 as the 2.1 field has.
 */
export function extraTexts(customData: CustomDataType | undefined, key: string): MessageContentType[] {
  const list = customData?.[key];
  if (!Array.isArray(list)) return [];
  const out: MessageContentType[] = [];
  for (const e of list) {
    if (e === null || typeof e !== 'object') continue;
    const format = 'format' in e ? e.format : undefined;
    const language = 'language' in e ? e.language : undefined;
    const content = 'content' in e ? e.content : undefined;
    if (!isFormat(format) || typeof language !== 'string' || typeof content !== 'string') continue;
    out.push({ format, language, content });
    if (out.length === 4) break;
  }
  return out;
}

/** customData's qrCodeText (a TransactionEventResponse's), if it is a string. */
export function qrCodeOf(customData: CustomDataType | undefined): string | undefined {
  const v = customData?.['qrCodeText'];
  return typeof v === 'string' ? v : undefined;
}

/** The energy register in Wh (0 without one). */
export const registerWh = (readings: readonly MeterReading[]) => Math.round(energyRegisterWh(readings) ?? 0);

/** The active import power in kW (no phase), if the readings have it. */
function powerKw(readings: readonly MeterReading[]): number | undefined {
  const r = readings.find((x) => x.measurand === 'Power.Active.Import' && x.phase === undefined);
  if (!r) return undefined;
  const value = r.value * 10 ** (r.multiplier ?? 0);
  return r.unit === 'kW' ? value : value / 1000;
}

/**
 * atEnergykWh (once the transaction used that much since its start) and atPowerkW (each crossing) against a reading:
 * the cost with what is spent or noted, and whether MeterValues are to be sent.
 */
export function checkTriggers(
  cost: CaliforniaCost,
  readings: readonly MeterReading[],
  startWh: number,
): { cost: CaliforniaCost; fire: boolean } {
  const t = cost.triggers;
  if (!t) return { cost, fire: false };
  let next = cost;
  let fire = false;
  if (t.atEnergykWh !== undefined) {
    const usedWh = Math.max(0, registerWh(readings) - startWh);
    if (cmp(rat(BigInt(usedWh), 1000n), t.atEnergykWh) >= 0) {
      fire = true;
      const { atEnergykWh: _spent, ...rest } = t;
      next = { ...next, triggers: rest };
    }
  }
  if (t.atPowerkW !== undefined) {
    const kw = powerKw(readings);
    if (kw !== undefined) {
      const above = kw > toNumber(t.atPowerkW, 6);
      if (cost.powerAbove !== undefined && above !== cost.powerAbove) fire = true;
      next = { ...next, powerAbove: above };
    }
  }
  return { cost: next, fire };
}

/** The text of `texts` in the first of `languages` it has (primary tag too), else the first. */
export function inLanguage<T extends { language?: string }>(texts: readonly T[], languages: readonly string[]) {
  const primary = (tag: string | undefined) => tag?.toLowerCase().split('-')[0];
  for (const wanted of languages) {
    const found =
      texts.find((t) => t.language?.toLowerCase() === wanted.toLowerCase()) ??
      texts.find((t) => t.language !== undefined && primary(t.language) === primary(wanted));
    if (found) return found;
  }
  return texts[0];
}
