// What the 1.6 California pricing block (pricing.ts) shows: its state per connector and the screen made of it — the
// driver's price text, the CSMS's running or final cost (growing with energy and time between messages, stopping at
// the end or, with the idle fee after the stop, at the unplug), or the station's own cost at DefaultPrice's
// chargingPrice while offline. Pure functions of the state and the view.
import type { MessageContentType } from '../../../../generated/v21/types.js';
import type { Family16 } from '../../core/family.js';
import type { MeterReading, StationView } from '../../core/types.js';
import type { DriverScreen } from '../../I-tariff/driver-cost.js';
import type { DisplayScreen } from '../../O-display/messages.js';
import {
  parseDefaultPrice,
  parseDefaultPriceTexts,
  textFor,
  type FinalCostMessage,
  type MeterTriggers,
  type PriceText,
  type RunningCostMessage,
} from '../../../pricing/messages.js';
import { defaultPriceBasis, fixed, runningCost, type CostBasis } from '../../../pricing/running-cost.js';
import { toNumber } from '../../../cost/decimal.js';
import { int16 } from '../configuration/read.js';
import { connectorOf } from '../layout.js';
import { meterWh } from '../core-profile/meter-values.js';
import '../configuration/configuration.js';

type View = StationView<Family16>;

/** One driver's entry on the screen: 2.x block I's DriverScreen, whose note fields (cost, texts, …) 1.6 fills too. */
export type PricingDriverScreen = DriverScreen;

export interface ConnectorCost {
  idTag?: string;
  csmsId?: number;
  /** The energy register at the start, Wh (triggerMeterValue atEnergykWh counts from it). */
  startWh: number;
  /** When the transaction started (ms), for the cost at DefaultPrice. */
  startedAt: number;
  /** It started while the station was offline: the station's own cost until a RunningCost comes. */
  startedOffline?: boolean;
  ended?: boolean;
  /** When it ended and the energy register then: the energy stops there. */
  endedAt?: number;
  endWh?: number;
  /** CustomIdleFeeAfterStop: ended with the cable in, the cost runs on until `unpluggedAt`. */
  idleAfterStop?: boolean;
  unpluggedAt?: number;
  userTexts?: PriceText[];
  running?: RunningCostMessage;
  final?: FinalCostMessage;
  triggers?: MeterTriggers;
  /** Whether the power was above atPowerkW at the last reading. */
  powerAbove?: boolean;
  status?: string;
}

export interface PricingState {
  /** SetUserPrice texts of idTags without a transaction yet, by lower-case idTag. */
  pending: Record<string, PriceText[]>;
  connectors: Record<number, ConnectorCost>;
  /** The screen last handed to the display (JSON), so an unchanged one is not handed again. */
  shown?: string;
}

export const evseOf = (view: View, connectorId: number) => connectorOf(view.evses, connectorId)?.evseId;
export const readingsOf = (view: View, connectorId: number): readonly MeterReading[] => {
  const evse = evseOf(view, connectorId);
  return evse === undefined ? [] : view.meter(evse);
};

function languages(view: View): string[] {
  return [view.query.config16?.('Language') ?? 'en', 'en'];
}

const content = (t: PriceText | undefined): MessageContentType | undefined =>
  t ? { format: t.format, ...(t.language ? { language: t.language } : {}), content: t.content } : undefined;

/**
 * The station's own basis (DefaultPrice's chargingPrice) for a transaction without a RunningCost: while offline, or
 * throughout when it started offline.
 */
export function stationBasis(c: ConnectorCost, view: View): CostBasis | undefined {
  if (c.running || c.final || !(c.startedOffline || !view.connected)) return undefined;
  const price = parseDefaultPrice(view.query.config16?.('DefaultPrice') ?? '')?.chargingPrice;
  return price ? defaultPriceBasis(price, c.startedAt, c.startWh) : undefined;
}

/** Whether the cost still grows: the transaction runs, or its idle fee runs on until the unplug. */
export const growing = (c: ConnectorCost) =>
  !c.final && (!c.ended || (c.idleAfterStop === true && c.unpluggedAt === undefined));

/** The cost of `basis` now: the energy stops at the end, the time at the end (or at the unplug after an idle fee). */
function costNow(c: ConnectorCost, basis: CostBasis, view: View, connectorId: number) {
  const wh = c.endWh ?? meterWh(readingsOf(view, connectorId));
  const until = !c.ended ? view.now() : c.idleAfterStop ? (c.unpluggedAt ?? view.now()) : (c.endedAt ?? view.now());
  return runningCost(basis, Math.min(until, view.now()), wh);
}

/** What the display shows now. */
export function pricingScreen(state: PricingState, view: View): DisplayScreen {
  const langs = languages(view);
  const digits = int16(view, 'NumberOfDecimalsForCostValues');
  // The default price text: DefaultPriceText's in the display language (CustomMultiLanguageMessages), else
  // DefaultPrice's; the offline text while offline.
  const fallback = (() => {
    const texts = parseDefaultPriceTexts(view.query.config16?.('DefaultPriceText') ?? '') ?? [];
    const wanted = langs[0]!.toLowerCase();
    const d =
      (view.query.config16?.('CustomMultiLanguageMessages') === 'true'
        ? texts.find((t) => t.language.toLowerCase() === wanted)
        : undefined) ?? parseDefaultPrice(view.query.config16?.('DefaultPrice') ?? '');
    if (!d) return undefined;
    return view.connected ? d.priceText : (d.priceTextOffline ?? d.priceText);
  })();
  const drivers: PricingDriverScreen[] = [];
  // Identified, no transaction yet: not at an EVSE (2.x block I's evseId 0).
  for (const texts of Object.values(state.pending)) {
    const shown = content(textFor(texts, langs));
    drivers.push({ evseId: 0, ...(shown ? { personalMessage: shown } : {}), texts: texts.map((t) => content(t)!) });
  }
  for (const [id, c] of Object.entries(state.connectors)) {
    const connectorId = Number(id);
    const evseId = evseOf(view, connectorId) ?? connectorId;
    const base: PricingDriverScreen = {
      evseId,
      ...(c.csmsId !== undefined ? { transactionId: String(c.csmsId) } : {}),
      ...(c.ended ? { ended: true } : {}),
    };
    const user = c.userTexts ? content(textFor(c.userTexts, langs)) : undefined;
    if (user) base.personalMessage = user;
    else if (fallback !== undefined) base.tariffFallback = fallback;
    if (c.final) {
      const cost = fixed(c.final.cost, digits);
      const text = content(textFor(c.final.texts, langs));
      drivers.push({
        ...base,
        finalCost: Number(cost),
        cost,
        ...(text ? { costText: text } : {}),
        texts: c.final.texts.map((t) => content(t)!),
        ...(c.final.qrCodeText !== undefined ? { qrCodeText: c.final.qrCodeText } : {}),
      });
      continue;
    }
    if (c.running) {
      const now = costNow(c, c.running.basis, view, connectorId);
      const text = content(textFor(c.running.texts, langs));
      drivers.push({
        ...base,
        runningCost: toNumber(now, digits),
        cost: fixed(now, digits),
        costState: c.running.basis.state,
        ...(text ? { costText: text } : {}),
        ...(c.running.texts.length > 0 ? { texts: c.running.texts.map((t) => content(t)!) } : {}),
        ...(c.running.qrCodeText !== undefined ? { qrCodeText: c.running.qrCodeText } : {}),
      });
      continue;
    }
    const own = stationBasis(c, view);
    if (own) {
      const now = costNow(c, own, view, connectorId);
      drivers.push({
        ...base,
        runningCost: toNumber(now, digits),
        cost: fixed(now, digits),
        costState: 'Charging',
        costByStation: true,
      });
      continue;
    }
    drivers.push(base);
  }
  if (drivers.length === 0 && fallback !== undefined) drivers.push({ evseId: 0, tariffFallback: fallback });
  return { messages: [], languages: [langs[0]!], drivers };
}
