// I01–I06 (2.0.1, and the same messages in 2.1): what the driver is told about tariff and cost, for the display.
//
// I01 the driver's tariff (idTokenInfo.personalMessage), I04 else TariffFallbackMessage; I02 the running cost from
// CostUpdated or a TransactionEventResponse's totalCost; I03 the final cost in the answer to the Ended event (not
// where TxStopPoint is ParkingBayOccupancy: the driver has left, I03.FR.05), I05 TotalCostFallbackMessage when the
// station was offline as the transaction ended; I06 updatedPersonalMessage. Block O shows it (the `drivers` of
// `showDisplay`'s screen) through the `driverScreens` query; this block raises `display.tick` when it changes.
import type { MessageContentType } from '../../../generated/v21/types.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../core/types.js';

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
}

declare module '../core/registry.js' {
  interface StationQueries {
    /** I: what each driver is to see about tariff and cost (block O shows it). */
    driverScreens(): DriverScreen[];
  }
}

export interface DriverCostState {
  drivers: DriverScreen[];
}

const REFRESH: Effect = { type: 'dispatch', event: { type: 'display.tick' } };

export const driverCostUseCase: UseCase<DriverCostState> = {
  name: 'driverCost',
  init: () => ({ drivers: [] }),
  queries: {
    driverScreens: (state, view) => state.drivers.map((d) => withTexts(d, view)),
  },
  answers: {
    // I02.FR.02/03: answered, and the running cost shown.
    CostUpdated(state, request) {
      const known = state.drivers.some((d) => d.transactionId === request.transactionId);
      if (!known) return { response: {} };
      return {
        state: update(state, request.transactionId, { runningCost: request.totalCost }),
        response: {},
        after: [REFRESH],
      };
    },
  },
  on: byEventType<DriverCostState>({
    'authorize.result': (state, e) => {
      if (e.idTokenInfo.status !== 'Accepted') return undefined;
      const evseId = e.evseId ?? 0;
      // Presented again to stop: the driver of the transaction is already known.
      if (state.drivers.some((d) => d.evseId === evseId && d.transactionId && !d.ended)) return undefined;
      const personal = e.idTokenInfo.personalMessage;
      const driver: DriverScreen = { evseId, ...(personal ? { personalMessage: personal } : {}) };
      return changed({ drivers: [...state.drivers.filter((d) => d.evseId !== evseId), driver] });
    },
    'transaction.started': (state, e) => {
      const own =
        state.drivers.find((d) => d.evseId === e.evseId && !d.ended) ?? state.drivers.find((d) => d.evseId === 0);
      const rest = state.drivers.filter((d) => d !== own && d.evseId !== e.evseId);
      return changed({
        drivers: [...rest, { ...(own ?? {}), evseId: e.evseId, transactionId: e.transactionId }],
      });
    },
    // I05.FR.02: offline as the transaction ends, no total cost will come.
    'transaction.ended': (state, e, view) =>
      changed(update(state, e.transactionId, { ended: true, ...(view.connected ? {} : { costFallback: '' }) })),
    queueSent: (state, e, view) => {
      if (e.action !== 'TransactionEvent') return undefined;
      const { payload, response } = e;
      const id = payload.transactionInfo.transactionId;
      if (!state.drivers.some((d) => d.transactionId === id)) return undefined;
      const ended = payload.eventType === 'Ended';
      const patch: Partial<DriverScreen> = {
        ...(response.updatedPersonalMessage ? { personalMessage: response.updatedPersonalMessage } : {}),
        ...(response.idTokenInfo?.personalMessage ? { personalMessage: response.idTokenInfo.personalMessage } : {}),
      };
      if (response.totalCost !== undefined) {
        if (!ended) patch.runningCost = response.totalCost;
        // I03.FR.05: with TxStopPoint ParkingBayOccupancy the driver has gone by now.
        else if (!stopsOnParkingBay(view)) patch.finalCost = response.totalCost;
      }
      if (ended && response.totalCost !== undefined) patch.costFallback = undefined;
      return Object.keys(patch).length ? changed(update(state, id, patch)) : undefined;
    },
    // The driver leaves: an ended transaction's EVSE is free again.
    cableUnplugged: (state, e) => {
      const gone = state.drivers.filter((d) => d.evseId === e.evseId && d.ended);
      return gone.length ? changed({ drivers: state.drivers.filter((d) => !gone.includes(d)) }) : undefined;
    },
  }),
};

function changed(state: DriverCostState): Step<DriverCostState> {
  return { state, effects: [REFRESH] };
}

function update(state: DriverCostState, transactionId: string, patch: Partial<DriverScreen>): DriverCostState {
  return {
    drivers: state.drivers.map((d) => {
      if (d.transactionId !== transactionId) return d;
      const next: DriverScreen = { ...d, ...patch };
      for (const k of Object.keys(next) as Array<keyof DriverScreen>) if (next[k] === undefined) delete next[k];
      return next;
    }),
  };
}

/** The configured texts, read when the screen is made (the CSMS may change them any time, I04.FR.02, I05.FR.01). */
function withTexts(d: DriverScreen, view: StationView): DriverScreen {
  const v = view.variables;
  const currency = v.string('TariffCostCtrlr', 'Currency');
  const tariffText = v.string('TariffCostCtrlr', 'TariffFallbackMessage', fallbackScope(view));
  const costText = v.string('TariffCostCtrlr', 'TotalCostFallbackMessage', fallbackScope(view));
  // 2.1 I12: where the station calculates the cost itself and the CSMS sent none, its own running cost.
  const local = d.transactionId && !d.ended ? view.query.localCost?.(d.transactionId) : undefined;
  return {
    ...d,
    ...(currency ? { currency } : {}),
    ...(local && d.runningCost === undefined ? { runningCost: Number(local.inclTax), currency: local.currency } : {}),
    // I04.FR.01: no driver-specific tariff.
    ...(!d.personalMessage && tariffText ? { tariffFallback: tariffText } : {}),
    // I05.FR.02 (costFallback marks the case; the text is the variable's).
    ...(d.costFallback !== undefined ? (costText ? { costFallback: costText } : {}) : {}),
  };
}

/** 2.1 keys the fallback messages by language (instance); ocppkit's default instance is English. */
const fallbackScope = (view: StationView) => (view.version === 'ocpp2.1' ? { instance: 'en' } : undefined);

function stopsOnParkingBay(view: StationView): boolean {
  return (view.variables.string('TxCtrlr', 'TxStopPoint') ?? '').split(',').includes('ParkingBayOccupancy');
}
