// 2.1 I07 Set Default Tariff, I08 driver tariffs, I09 Get Tariffs, I10 Clear Tariffs, I11 Change Transaction Tariff,
// I12 cost details: the tariffs the CSMS installs for local cost calculation, checked (I07.FR.02–06, I11.FR.02–05),
// kept across restarts (I07.FR.13), replaced by validFrom (I07.FR.19–23) and bound to the transactions that start
// under them (I07.FR.24); the driver's tariff of an AuthorizeResponse kept while in use (I08.FR.04–07), or the
// Problem it causes (I08.FR.30–36); the driver refusing a tariff (I07.FR.30/31); TariffCostCtrlr.Problem when the
// cost cannot be calculated (I12.FR.14/18/19, I12.FR.42–44). The cost itself is ocppkit/cost's `costDetails`. Only
// with `options.tariffs` (a station that calculates cost); without it these actions are NotSupported (I07.FR.01,
// I11.FR.01).
import type {
  ChangeTransactionTariffResponse,
  ClearTariffsResultType,
  CostDetailsType,
  MeasurandEnumType,
  SetDefaultTariffResponse,
  TariffAssignmentType,
  TariffConditionsType,
  TariffType,
} from '../../../generated/v21/types.js';
import { CallError } from '../../rpc/errors.js';
import { withoutCustomData } from '../core/custom-data.js';
import { byEventType, type Effect, type MeterReading, type StationView, type UseCase } from '../core/types.js';
import { minuteOfDay } from '../../cost/local-time.js';
import { costDetails, type CostResult, type UsageSample } from '../../cost/cost.js';
import { energyRegisterWh } from '../J-meter-values/measurands.js';

/** What the station's local cost calculation supports (TariffCostCtrlr MaxElements[Tariff], ConditionsSupported[Tariff]). */
export interface TariffOptions {
  /** Price elements per component (energy, chargingTime, …) at most. Default 10. */
  maxElements?: number;
  /** Whether tariffs may have conditions. Default true. */
  conditions?: boolean;
  /** TariffCostCtrlr.Currency. Default EUR. */
  currency?: string;
  /** IANA time zone of the tariffs' local times (I07.FR.17). Default UTC. */
  timeZone?: string;
}

export const TARIFF_DEFAULTS = { maxElements: 10, conditions: true, currency: 'EUR', timeZone: 'UTC' } as const;

/** TariffCostCtrlr.HandleFailedTariff[Tariff] (I08.FR.31–33): a driver tariff the station cannot process. */
export const FAILED_TARIFF_HANDLING = ['Deauthorize', 'UseDefaultTariff', 'CentralCost'] as const;

interface Installed {
  tariff: TariffType;
  evseId: number;
  /** Order of installation: of two valid tariffs without validFrom, the later one replaces the other. */
  seq: number;
}

/** A running transaction as the cost calculation needs it. */
interface Running {
  evseId: number;
  start: number;
  /** Its tariffs, each from `at` on (I07.FR.24, I11.FR.08: never retroactively). */
  tariffs: Array<{ at: number; tariff: TariffType }>;
  /** The energy register when the energy flow changed (charging or not until the next). */
  samples: UsageSample[];
  /** I09.FR.05/06: the first tariff is the driver's (AuthorizeResponse), listed by GetTariffs while it runs. */
  driver?: boolean;
  /** I10.FR.07: ClearTariffs cleared its tariff: no longer listed, still used until the transaction ends. */
  cleared?: boolean;
}

/** A driver tariff of an AuthorizeResponse, or why the station cannot process it (I08.FR.30). */
type Received = { tariff: TariffType } | { problem: string; techCode: string };

export interface TariffsState {
  installed: Installed[];
  seq: number;
  transactions: Record<string, Running>;
  /** I08.FR.04: driver tariffs from an accepted authorization, for the transaction to come (by EVSE, 0: not known). */
  drivers: Record<number, TariffType>;
  /** I08.FR.33: EVSEs (0: not known yet) whose next transaction has no local cost (HandleFailedTariff CentralCost). */
  centralCost?: number[];
  /** Tariffs of AuthorizeResponses whose verdict (authorize.result) has not come yet, by block C's request ref. */
  authorizing: Record<string, Received>;
  /**
   * I08.FR.05: the driver tariffs of idTokens C keeps in its Authorization Cache (`type:idToken`), for an
   * authorization C gives from the cache, without asking the CSMS. The newest CACHED_TARIFFS at most.
   */
  cached?: Record<string, TariffType>;
}

/** A price element of any component, as the checks read it. */
interface PriceLike {
  priceKwh?: number;
  priceMinute?: number;
  priceFixed?: number;
  conditions?: Partial<TariffConditionsType>;
}

const PARTS = ['energy', 'chargingTime', 'idleTime', 'fixedFee', 'reservationTime', 'reservationFixed'] as const;

declare module '../core/registry.js' {
  interface OwnEvents {
    /**
     * I → E: the transaction's tariff is now `tariffId`: E reports it once in the next TransactionEvent (I07.FR.32,
     * I08.FR.22); `changed` (ChangeTransactionTariff): at once, in an Updated event with triggerReason TariffChanged
     * (I11.FR.07).
     */
    'tariff.bound': { transactionId: string; tariffId: string; changed: boolean };
    /** I → E: time for a running-cost update of the transaction (I12.FR.02/03: TariffCostCtrlr Interval[Cost]). */
    'tariff.runningCost': { transactionId: string };
    /** I: time to look at the power and current of a transaction again (I12.FR.31: TariffCostCtrlr Interval[Tariff]). */
    'tariff.sample': { transactionId: string };
    /**
     * I07.FR.30/31, I08.FR.20/21 (the driver refused the tariff: `station.declineTariff`) and I08.FR.31
     * (HandleFailedTariff Deauthorize): the driver's idToken on the EVSE is deauthorized; its transaction, if one
     * runs, has no tariff and no cost (E reports triggerReason TariffNotAccepted).
     */
    'tariff.notAccepted': { evseId: number };
    /** I → E: the tariff of the driver on the EVSE is gone (tariff.notAccepted): E deauthorizes the idToken. */
    'tariff.deauthorize': { evseId: number };
  }
  interface StationQueries {
    /** I: the default tariff in force on the EVSE now (I07.FR.14), if any. */
    defaultTariff(evseId: number): TariffType | undefined;
    /** I12: the running cost of a transaction under its tariff, calculated by the station (2.1 local cost). */
    localCost(transactionId: string): { exclTax: string; inclTax: string; currency: string } | undefined;
    /** I12.FR.01: the cost breakdown of a transaction that ends now, for its Ended event (2.1). */
    finalCostDetails(transactionId: string): CostDetailsType | undefined;
    /** I12.FR.02: the running cost of a transaction, without chargingPeriods, for an Updated event (2.1). */
    runningCostDetails(transactionId: string): CostDetailsType | undefined;
  }
}

const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/** I07.FR.19–23: per EVSE, the valid tariff with the latest validFrom (then the latest installed); future ones stay. */
function prune(installed: readonly Installed[], now: number): Installed[] {
  const keep: Installed[] = [];
  const evses = [...new Set(installed.map((i) => i.evseId))];
  for (const evseId of evses) {
    const mine = installed.filter((i) => i.evseId === evseId);
    const valid = mine.filter((i) => (time(i.tariff.validFrom) ?? -Infinity) <= now);
    const current = valid.sort(
      (a, b) => (time(a.tariff.validFrom) ?? -Infinity) - (time(b.tariff.validFrom) ?? -Infinity) || a.seq - b.seq,
    )[valid.length - 1];
    keep.push(...mine.filter((i) => i === current || !valid.includes(i)));
  }
  return keep;
}

/** I07.FR.05: what makes a tariff unusable (undefined: nothing). */
export function tariffProblem(t: TariffType): string | undefined {
  if (!/^[A-Z]{3}$/.test(t.currency)) return 'currency is not an ISO 4217 code';
  if (t.validFrom !== undefined && !Number.isFinite(Date.parse(t.validFrom))) return 'validFrom is not a date-time';
  for (const part of PARTS) {
    const prices: readonly PriceLike[] = t[part]?.prices ?? [];
    for (const p of prices) {
      if ([p.priceKwh, p.priceMinute, p.priceFixed].some((x) => x !== undefined && x < 0))
        return `${part}: a negative price`;
      const c = p.conditions;
      if (!c) continue;
      for (const k of ['startTimeOfDay', 'endTimeOfDay'] as const)
        if (c[k] !== undefined && minuteOfDay(c[k]) === undefined) return `${part}: ${k} is not hh:mm`;
      for (const [lo, hi] of [
        ['minEnergy', 'maxEnergy'],
        ['minPower', 'maxPower'],
        ['minCurrent', 'maxCurrent'],
        ['minTime', 'maxTime'],
        ['minChargingTime', 'maxChargingTime'],
        ['minIdleTime', 'maxIdleTime'],
      ] as const) {
        const [a, b] = [c[lo], c[hi]];
        if (a !== undefined && b !== undefined && a >= b) return `${part}: ${lo} is not below ${hi}`;
      }
    }
    for (const r of t[part]?.taxRates ?? []) if (r.tax < 0) return `${part}: a negative tax`;
  }
  return undefined;
}

function fits(
  t: TariffType,
  settings: Required<TariffOptions>,
): 'TooManyElements' | 'ConditionNotSupported' | undefined {
  // I07.FR.02, I11.FR.02
  if (PARTS.some((p) => (t[p]?.prices.length ?? 0) > settings.maxElements)) return 'TooManyElements';
  // I07.FR.03, I11.FR.03
  const conditioned = PARTS.some((p) => (t[p]?.prices ?? []).some((x: PriceLike) => x.conditions !== undefined));
  return conditioned && !settings.conditions ? 'ConditionNotSupported' : undefined;
}

/** I07.FR.01, I11.FR.01: TariffCostCtrlr.Enabled[Tariff] false is as if the station had no local cost calculation. */
function enabled(view: StationView): void {
  if (view.variables.bool('TariffCostCtrlr', 'Enabled', { instance: 'Tariff' }) === false)
    throw new CallError('NotSupported', 'local cost calculation is disabled (TariffCostCtrlr.Enabled[Tariff])');
}

/** The transaction's cost until now under its tariffs (undefined: no tariff, or one the calculation cannot read). */
function calculate(
  state: TariffsState,
  view: StationView,
  transactionId: string,
  final: boolean,
  decimals: number,
  timeZone = 'UTC',
) {
  // I12.FR.01: local cost calculation enabled.
  if (view.variables.bool('TariffCostCtrlr', 'Enabled', { instance: 'Cost' }) === false) return undefined;
  const tx = state.transactions[transactionId];
  const [first, ...later] = tx?.tariffs ?? [];
  if (!tx || !first) return undefined;
  const now = view.now();
  const energyWh = energyRegisterWh(view.meter(tx.evseId));
  const last = tx.samples[tx.samples.length - 1];
  const samples = energyWh !== undefined && last ? [...tx.samples, { ...last, at: now, energyWh }] : tx.samples;
  try {
    return costDetails({
      tariff: first.tariff,
      changes: later,
      start: tx.start,
      end: now,
      samples,
      timeZone,
      decimals,
      final,
    });
  } catch (e) {
    // I12.FR.14: the station could not calculate the cost; nothing of it is known, usage included.
    return failed(first.tariff.currency, e instanceof Error ? e.message : String(e));
  }
}

/** I12.FR.14: cost details that say the calculation failed (the schema requires totals: zero, with the flag). */
function failed(currency: string, why: string): CostResult {
  const costDetails: CostDetailsType = {
    failureToCalculate: true,
    failureReason: why.slice(0, 500),
    totalCost: { currency, typeOfCost: 'NormalCost', total: {} },
    totalUsage: { energy: 0, chargingTime: 0, idleTime: 0 },
  };
  return { costDetails, amounts: {} };
}

/**
 * TariffCostCtrlr.Problem (I08.FR.30/35, I12.FR.18/43) and the hard-wired NotifyEvent that tells the CSMS (I08.FR.31/36,
 * I12.FR.19/44). Those ask for the NotifyEvent where no Delta monitor watches Problem; it is sent either way (block I
 * cannot see the monitors), so a CSMS that set such a monitor may hear of the change twice.
 */
function problem(view: StationView, value: boolean, techCode?: string): Effect[] {
  if (view.variables.bool('TariffCostCtrlr', 'Problem') === value && techCode === undefined) return [];
  return [
    { type: 'setVariable', component: 'TariffCostCtrlr', variable: 'Problem', value: String(value) },
    {
      type: 'dispatch',
      event: {
        type: 'monitoring.raised',
        event: {
          component: { name: 'TariffCostCtrlr' },
          variable: { name: 'Problem' },
          actualValue: String(value),
          ...(value ? {} : { cleared: true }),
          ...(techCode ? { techCode } : {}),
        },
      },
    },
  ];
}

const RUNNING_TIMER = 'tariff.running:';

/** I12.FR.02: with TariffCostCtrlr.Enabled[RunningCost] and Interval[Cost] > 0, a running-cost update that often. */
function runningCostTimer(view: StationView, transactionId: string): Effect[] {
  const v = view.variables;
  if (v.bool('TariffCostCtrlr', 'Enabled', { instance: 'RunningCost' }) !== true) return [];
  const interval = v.int('TariffCostCtrlr', 'Interval', { instance: 'Cost' }) ?? 0;
  if (interval <= 0) return [];
  return [
    {
      type: 'timer',
      id: `${RUNNING_TIMER}${transactionId}`,
      ms: interval * 1000,
      event: { type: 'tariff.runningCost', transactionId },
    },
  ];
}

const SAMPLE_TIMER = 'tariff.sample:';

/** I12.FR.31: with TariffCostCtrlr.Interval[Tariff] > 0, the power and current are looked at that often. */
function sampleTimer(view: StationView, transactionId: string): Effect[] {
  const interval = view.variables.int('TariffCostCtrlr', 'Interval', { instance: 'Tariff' }) ?? 0;
  if (interval <= 0) return [];
  return [
    {
      type: 'timer',
      id: `${SAMPLE_TIMER}${transactionId}`,
      ms: interval * 1000,
      event: { type: 'tariff.sample', transactionId },
    },
  ];
}

/**
 * I12.FR.31/32: a sample where the power or current the price conditions read has changed since the last one (the
 * energy in between is spread over the time, so an unchanged sample adds nothing).
 */
function resample(state: TariffsState, view: StationView, transactionId: string): TariffsState | undefined {
  const tx = state.transactions[transactionId];
  const last = tx?.samples.at(-1);
  if (!tx || !last) return undefined;
  const now = sample(view, tx.evseId, last.charging ?? true);
  if (now.powerW === last.powerW && now.currentA === last.currentA) return undefined;
  return {
    ...state,
    transactions: { ...state.transactions, [transactionId]: { ...tx, samples: [...tx.samples, now] } },
  };
}

/** Block C's tag of its AuthorizeRequests (C-authorization/authorization.ts). */
const AUTHORIZE_TAG = 'authorize:';

/** The 2.1 `tariff` of an AuthorizeResponse: one the station can use, or why it cannot (I08.FR.30). */
function driverTariff(response: object, settings: Required<TariffOptions>): Received | undefined {
  if (!('tariff' in response)) return undefined;
  const t: unknown = response.tariff;
  if (t === null || typeof t !== 'object' || !('tariffId' in t) || !('currency' in t))
    return { problem: 'the tariff has no tariffId or currency', techCode: 'InvalidValue' };
  if (typeof t.tariffId !== 'string' || typeof t.currency !== 'string')
    return { problem: 'the tariff has no tariffId or currency', techCode: 'InvalidValue' };
  // Checked as SetDefaultTariff checks one; the 2.1 schema validated the rest of its shape on arrival. I08.FR.10:
  // validFrom is ignored.
  const { validFrom: _ignored, ...tariff } = withoutCustomData(t as TariffType);
  const invalid = tariffProblem(tariff);
  if (invalid) return { problem: invalid, techCode: 'InvalidValue' };
  const unfit = fits(tariff, settings);
  return unfit ? { problem: unfit, techCode: unfit } : { tariff };
}

/** How many driver tariffs are kept for the Authorization Cache (I08.FR.05); older ones are forgotten. */
const CACHED_TARIFFS = 100;
const tokenKey = (t: { idToken: string; type: string }) => `${t.type}:${t.idToken}`;

/** I08.FR.05: with AuthCacheCtrlr.Enabled, the driver tariff is kept for the idToken (the newest entry last). */
function cacheTariff(state: TariffsState, view: StationView, key: string, tariff: TariffType | undefined) {
  const { [key]: _old, ...rest } = state.cached ?? {};
  if (!tariff || view.variables.bool('AuthCacheCtrlr', 'Enabled') === false) return rest;
  const entries = [...Object.entries(rest), [key, tariff] as const];
  return Object.fromEntries(entries.slice(-CACHED_TARIFFS));
}

/** I08.FR.31–33: what the station does with an accepted driver whose tariff it cannot process. */
function handleFailed(view: StationView): (typeof FAILED_TARIFF_HANDLING)[number] {
  const v = view.variables.string('TariffCostCtrlr', 'HandleFailedTariff', { instance: 'Tariff' });
  return FAILED_TARIFF_HANDLING.find((x) => x === v) ?? 'UseDefaultTariff';
}

/** GetTariffs' DriverTariff entries (I09.FR.05/06): waiting for their transaction, or in one that runs. */
function driverAssignments(state: TariffsState, evseId: number): TariffAssignmentType[] {
  const where: Array<[string, number]> = [
    ...Object.entries(state.drivers).map(([k, t]): [string, number] => [t.tariffId, Number(k)]),
    ...Object.values(state.transactions)
      .filter((tx) => tx.driver && !tx.cleared && tx.tariffs[0])
      .map((tx): [string, number] => [tx.tariffs[0]!.tariff.tariffId, tx.evseId]),
  ].filter(([, e]) => evseId === 0 || e === evseId);
  const byId = new Map<string, TariffAssignmentType>();
  for (const [tariffId, e] of where) {
    const a = byId.get(tariffId) ?? { tariffId, tariffKind: 'DriverTariff' };
    // An EVSE not known yet (authorized before choosing one) is not listed.
    if (e !== 0) a.evseIds = [...(a.evseIds ?? []), e];
    byId.set(tariffId, a);
  }
  return [...byId.values()];
}

/** The EVSE's energy register now (the last known one when the meter says nothing), with power and current. */
function sample(view: StationView, evseId: number, charging: boolean, at = view.now()): UsageSample {
  const readings = view.meter(evseId);
  const powerW = quantity(readings, 'Power.Active.Import', 'w');
  const currentA = quantity(readings, 'Current.Import', 'a');
  return {
    at,
    energyWh: energyRegisterWh(readings) ?? 0,
    charging,
    ...(powerW !== undefined ? { powerW } : {}),
    ...(currentA !== undefined ? { currentA } : {}),
  };
}

/** For minPower/maxPower and minCurrent/maxCurrent: the reading without a phase, else the sum over the phases. */
function quantity(readings: readonly MeterReading[], measurand: MeasurandEnumType, unit: 'w' | 'a') {
  const scaled = (r: MeterReading) =>
    r.value * ((r.unit ?? unit).toLowerCase() === `k${unit}` ? 1000 : 1) * 10 ** (r.multiplier ?? 0);
  const mine = readings.filter((r) => r.measurand === measurand);
  const total = mine.find((r) => r.phase === undefined);
  if (total) return scaled(total);
  const phases = mine.filter((r) => r.phase === 'L1' || r.phase === 'L2' || r.phase === 'L3');
  return phases.length ? phases.reduce((x, r) => x + scaled(r), 0) : undefined;
}

export function tariffsUseCase(options: TariffOptions = {}): UseCase<TariffsState> {
  const settings = { ...TARIFF_DEFAULTS, ...options };
  return {
    name: 'tariffs',
    versions: ['ocpp2.1'],
    init(_view, saved) {
      const s = (saved ?? {}) as Partial<TariffsState>;
      return {
        installed: Array.isArray(s.installed) ? s.installed : [],
        seq: typeof s.seq === 'number' ? s.seq : 0,
        transactions: s.transactions && typeof s.transactions === 'object' ? s.transactions : {},
        drivers: s.drivers && typeof s.drivers === 'object' ? s.drivers : {},
        cached: s.cached && typeof s.cached === 'object' ? s.cached : {},
        centralCost: Array.isArray(s.centralCost) ? s.centralCost : [],
        authorizing: {},
      };
    },
    save: ({ authorizing: _, ...kept }) => kept,
    queries: {
      localCost: (state, view, transactionId) => {
        const cost = calculate(state, view, transactionId, false, 2, settings.timeZone);
        return cost?.amounts.total && { ...cost.amounts.total, currency: cost.costDetails.totalCost.currency };
      },
      runningCostDetails: (state, view, transactionId) => {
        const details = calculate(state, view, transactionId, false, 6, settings.timeZone)?.costDetails;
        if (!details) return undefined;
        const { chargingPeriods: _omitted, ...running } = details;
        return running;
      },
      finalCostDetails: (state, view, transactionId) =>
        calculate(state, view, transactionId, true, 6, settings.timeZone)?.costDetails,
      defaultTariff: (state, view, evseId) =>
        prune(state.installed, view.now()).find(
          (i) => i.evseId === evseId && (time(i.tariff.validFrom) ?? -Infinity) <= view.now(),
        )?.tariff,
    },
    answers: {
      SetDefaultTariff(state, request, view) {
        enabled(view);
        const reply = (status: SetDefaultTariffResponse['status'], reasonCode?: string, additionalInfo?: string) => ({
          response: {
            status,
            ...(reasonCode ? { statusInfo: { reasonCode, ...(additionalInfo ? { additionalInfo } : {}) } } : {}),
          },
        });
        const tariff = withoutCustomData(request.tariff);
        // I07.FR.06
        if (request.evseId !== 0 && !view.evses.some((e) => e.id === request.evseId))
          return reply('Rejected', 'UnknownEVSE');
        // I07.FR.05
        const problem = tariffProblem(tariff);
        if (problem) return reply('Rejected', 'InvalidValue', problem);
        const unfit = fits(tariff, settings);
        if (unfit) return reply(unfit);
        // I07.FR.04
        const ids = [
          ...state.installed.map((i) => i.tariff.tariffId),
          ...Object.values(state.transactions).flatMap((tx) => tx.tariffs.map((t) => t.tariff.tariffId)),
        ];
        if (ids.includes(tariff.tariffId)) return reply('DuplicateTariffId');
        // I07.FR.10–12: on the EVSE, or on each one.
        const evses = request.evseId === 0 ? view.evses.map((e) => e.id) : [request.evseId];
        const seq = state.seq + 1;
        const installed = prune([...state.installed, ...evses.map((evseId) => ({ tariff, evseId, seq }))], view.now());
        return {
          state: { ...state, installed, seq },
          response: { status: 'Accepted' },
          // I07.FR.13
          persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
        };
      },

      GetTariffs(state, request, view) {
        enabled(view);
        if (request.evseId !== 0 && !view.evses.some((e) => e.id === request.evseId))
          return { response: { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEVSE' } } };
        const shown = prune(state.installed, view.now()).filter(
          (i) => request.evseId === 0 || i.evseId === request.evseId,
        );
        const drivers = driverAssignments(state, request.evseId);
        // I09.FR.03
        if (shown.length === 0 && drivers.length === 0) return { response: { status: 'NoTariff' } };
        const byId = new Map<string, TariffAssignmentType>();
        for (const i of shown) {
          const a = byId.get(i.tariff.tariffId) ?? {
            tariffId: i.tariff.tariffId,
            tariffKind: 'DefaultTariff',
            // I09.FR.07
            ...(i.tariff.validFrom !== undefined ? { validFrom: i.tariff.validFrom } : {}),
            evseIds: [],
          };
          a.evseIds!.push(i.evseId);
          byId.set(i.tariff.tariffId, a);
        }
        // I09.FR.01/02
        return { response: { status: 'Accepted', tariffAssignments: [...byId.values(), ...drivers] } };
      },

      ClearTariffs(state, request, view) {
        enabled(view);
        const matches = (tariffId: string, evseId: number) =>
          (request.tariffIds === undefined || request.tariffIds.includes(tariffId)) &&
          (request.evseId === undefined || request.evseId === 0 || evseId === request.evseId);
        const cleared = state.installed.filter((i) => matches(i.tariff.tariffId, i.evseId));
        // Driver tariffs too: waiting ones go; I10.FR.07: one in a running transaction is cleared (no longer
        // listed) but stays the transaction's tariff until it ends.
        const drivers = Object.entries(state.drivers).filter(([e, t]) => matches(t.tariffId, Number(e)));
        const inUse = Object.entries(state.transactions).filter(
          ([, tx]) => tx.driver && !tx.cleared && tx.tariffs[0] && matches(tx.tariffs[0].tariff.tariffId, tx.evseId),
        );
        const ids = [
          ...cleared.map((i) => i.tariff.tariffId),
          ...drivers.map(([, t]) => t.tariffId),
          ...inUse.map(([, tx]) => tx.tariffs[0]!.tariff.tariffId),
        ];
        // I10.FR.06
        if (ids.length === 0) return { response: { clearTariffsResult: [{ status: 'NoTariff' }] } };
        const results: ClearTariffsResultType[] = [...new Set(ids)].map((tariffId) => ({
          tariffId,
          status: 'Accepted',
        }));
        const transactions = { ...state.transactions };
        for (const [id, tx] of inUse) transactions[id] = { ...tx, cleared: true };
        // I10.FR.01–03, I10.FR.07: the tariffs of running transactions stay with them (I07.FR.24).
        return {
          state: {
            ...state,
            installed: state.installed.filter((i) => !cleared.includes(i)),
            drivers: Object.fromEntries(Object.entries(state.drivers).filter((d) => !drivers.includes(d))),
            transactions,
          },
          response: { clearTariffsResult: results },
          after: [{ type: 'persist' }],
        };
      },

      ChangeTransactionTariff(state, request, view) {
        enabled(view);
        const reply = (status: ChangeTransactionTariffResponse['status'], reasonCode?: string, info?: string) => ({
          response: {
            status,
            ...(reasonCode ? { statusInfo: { reasonCode, ...(info ? { additionalInfo: info } : {}) } } : {}),
          },
        });
        const tariff = withoutCustomData(request.tariff);
        // I11.FR.04
        if (view.query.transactionEvse?.(request.transactionId) === undefined) return reply('TxNotFound');
        const problem = tariffProblem(tariff);
        if (problem) return reply('Rejected', 'InvalidValue', problem);
        const unfit = fits(tariff, settings);
        if (unfit) return reply(unfit);
        const running = state.transactions[request.transactionId];
        const current = running?.tariffs.at(-1)?.tariff;
        // I11.FR.05
        if (current && current.currency !== tariff.currency) return reply('NoCurrencyChange');
        const evseId = view.query.transactionEvse?.(request.transactionId) ?? 0;
        const now = view.now();
        // The first sample at the start itself: the clock may have moved on by a millisecond in between.
        const tx: Running = running ?? { evseId, start: now, tariffs: [], samples: [sample(view, evseId, true, now)] };
        // I11.FR.06/08: from now on, not retroactively.
        return {
          state: {
            ...state,
            transactions: {
              ...state.transactions,
              [request.transactionId]: { ...tx, tariffs: [...tx.tariffs, { at: now, tariff }] },
            },
          },
          response: { status: 'Accepted' },
          persistOrAnswer: { status: 'Rejected', statusInfo: { reasonCode: 'InternalError' } },
          after: [
            {
              type: 'dispatch',
              event: {
                type: 'tariff.bound',
                transactionId: request.transactionId,
                tariffId: tariff.tariffId,
                changed: true,
              },
            },
          ],
        };
      },
    },
    on: byEventType<TariffsState>({
      // I08.FR.04/10: the AuthorizeResponse's tariff (2.1) is the driver's; validFrom is ignored. Block C asks with the
      // tag `authorize:<ref>` and gives its verdict with the same ref.
      reply: (state, e) => {
        if (e.action !== 'Authorize' || !e.tag.startsWith(AUTHORIZE_TAG) || e.result.status !== 'sent')
          return undefined;
        const received = driverTariff(e.result.response, settings);
        if (!received) return undefined;
        const ref = e.tag.slice(AUTHORIZE_TAG.length);
        return { state: { ...state, authorizing: { ...state.authorizing, [ref]: received } } };
      },
      'authorize.result': (state, e, view) => {
        const received = state.authorizing[e.ref];
        // I08.FR.05: accepted from C's Authorization Cache: the tariff kept with it is the driver's.
        const fromCache = state.cached?.[tokenKey(e.idToken)];
        // An idToken presented again to stop the transaction on the EVSE is not a new driver.
        const busy = e.evseId !== undefined && Object.values(state.transactions).some((tx) => tx.evseId === e.evseId);
        if (!received && !busy && e.source === 'cache' && e.idTokenInfo.status === 'Accepted' && fromCache)
          return {
            state: { ...state, drivers: { ...state.drivers, [e.evseId ?? 0]: fromCache } },
            effects: [{ type: 'persist' }],
          };
        if (!received) return undefined;
        const { [e.ref]: _, ...authorizing } = state.authorizing;
        const evseId = e.evseId ?? 0;
        if (e.idTokenInfo.status !== 'Accepted') return { state: { ...state, authorizing } };
        if ('tariff' in received)
          return {
            // I08.FR.04; I08.FR.35/36: a tariff processed again clears an earlier Problem.
            state: {
              ...state,
              authorizing,
              drivers: busy ? state.drivers : { ...state.drivers, [evseId]: received.tariff },
              cached: cacheTariff(state, view, tokenKey(e.idToken), received.tariff),
            },
            effects: [{ type: 'persist' }, ...problem(view, false)],
          };
        // I08.FR.30/31: a tariff the station cannot process, reported with why.
        const reported = problem(view, true, received.techCode);
        const handling = handleFailed(view);
        const { [evseId]: _old, ...drivers } = state.drivers;
        const centralCost = (state.centralCost ?? []).filter((x) => x !== evseId);
        // I08.FR.32: UseDefaultTariff is as if no tariff had come.
        if (handling === 'UseDefaultTariff') return { state: { ...state, authorizing, drivers }, effects: reported };
        // I08.FR.33: the CSMS calculates the cost (I02/I03): the transaction gets no local tariff.
        if (handling === 'CentralCost')
          return {
            state: { ...state, authorizing, drivers, centralCost: [...centralCost, evseId] },
            effects: [...reported, { type: 'persist' }],
          };
        // I08.FR.31 (Deauthorize): E takes the authorization back.
        return {
          state: { ...state, authorizing, drivers },
          effects: [...reported, { type: 'dispatch', event: { type: 'tariff.notAccepted', evseId } }],
        };
      },
      // I07.FR.30/31, I08.FR.20/21: no tariff and no cost for the driver's transaction.
      'tariff.notAccepted': (state, e) => {
        const { [e.evseId]: _mine, [0]: _early, ...drivers } = state.drivers;
        const entry = Object.entries(state.transactions).find(([, tx]) => tx.evseId === e.evseId);
        const transactions = { ...state.transactions };
        if (entry) delete transactions[entry[0]];
        return {
          state: { ...state, drivers, transactions },
          effects: [
            { type: 'persist' },
            ...(entry
              ? [
                  { type: 'cancelTimer' as const, id: `${RUNNING_TIMER}${entry[0]}` },
                  { type: 'cancelTimer' as const, id: `${SAMPLE_TIMER}${entry[0]}` },
                ]
              : []),
            { type: 'dispatch', event: { type: 'tariff.deauthorize', evseId: e.evseId } },
          ],
        };
      },
      // I08.FR.07: an authorization that expired (EVConnectionTimeOut) before its transaction: its tariff is unused.
      'tx.evTimeout': (state, e) => {
        if (!(e.evseId in state.drivers) || Object.values(state.transactions).some((tx) => tx.evseId === e.evseId))
          return undefined;
        const { [e.evseId]: _gone, ...drivers } = state.drivers;
        return { state: { ...state, drivers }, effects: [{ type: 'persist' }] };
      },
      // I07.FR.14/24, I08.FR.04: a transaction keeps the tariff it started under: the driver's, else the default.
      'transaction.started': (state, e, view) => {
        const central = state.centralCost ?? [];
        if (central.includes(e.evseId) || central.includes(0))
          // I08.FR.33: no local cost for this one.
          return {
            state: { ...state, centralCost: central.filter((x) => x !== e.evseId && x !== 0) },
            effects: [{ type: 'persist' }],
          };
        const driver = state.drivers[e.evseId] ?? state.drivers[0];
        const tariff =
          driver ??
          prune(state.installed, view.now()).find(
            (i) => i.evseId === e.evseId && (time(i.tariff.validFrom) ?? -Infinity) <= view.now(),
          )?.tariff;
        if (!tariff) return undefined;
        const { [e.evseId]: _mine, [0]: _early, ...drivers } = state.drivers;
        state = driver ? { ...state, drivers } : state;
        const now = view.now();
        const tx: Running = {
          evseId: e.evseId,
          start: now,
          tariffs: [{ at: now, tariff }],
          // At the start itself: a later first sample would leave a moment without power or current readings.
          samples: [sample(view, e.evseId, true, now)],
          ...(driver ? { driver: true } : {}),
        };
        return {
          state: { ...state, transactions: { ...state.transactions, [e.transactionId]: tx } },
          effects: [
            { type: 'persist' },
            {
              type: 'dispatch',
              event: {
                type: 'tariff.bound',
                transactionId: e.transactionId,
                tariffId: tariff.tariffId,
                changed: false,
              },
            },
            ...runningCostTimer(view, e.transactionId),
            ...sampleTimer(view, e.transactionId),
          ],
        };
      },
      // I12.FR.31: every Interval[Tariff] seconds.
      'tariff.sample': (state, e, view) => {
        if (!state.transactions[e.transactionId]) return undefined;
        return { state: resample(state, view, e.transactionId) ?? state, effects: sampleTimer(view, e.transactionId) };
      },
      // I12.FR.32: with Interval[Tariff] 0, at every reading the firmware reports.
      meterValues: (state, e, view) => {
        if ((view.variables.int('TariffCostCtrlr', 'Interval', { instance: 'Tariff' }) ?? 0) > 0) return undefined;
        const id = Object.keys(state.transactions).find((k) => state.transactions[k]!.evseId === e.evseId);
        const next = id === undefined ? undefined : resample(state, view, id);
        return next ? { state: next } : undefined;
      },
      // I12: the energy register where charging starts or stops, for the time and energy prices.
      energyFlow: (state, e, view) => {
        const entry = Object.entries(state.transactions).find(([, tx]) => tx.evseId === e.evseId);
        if (!entry) return undefined;
        const [id, tx] = entry;
        const next = { ...tx, samples: [...tx.samples, sample(view, e.evseId, e.state === 'Charging')] };
        return { state: { ...state, transactions: { ...state.transactions, [id]: next } } };
      },
      // I08.FR.06: the transaction's tariffs (a driver's one included) go with it. I12.FR.42–44 and I12.FR.14/18/19:
      // the final calculation tells whether the station could calculate the cost (TariffCostCtrlr.Problem).
      'transaction.ended': (state, e, view) => {
        if (!state.transactions[e.transactionId]) return undefined;
        const final = calculate(state, view, e.transactionId, true, 6, settings.timeZone);
        const { [e.transactionId]: _, ...rest } = state.transactions;
        return {
          state: { ...state, transactions: rest },
          effects: [
            { type: 'persist' },
            { type: 'cancelTimer', id: `${RUNNING_TIMER}${e.transactionId}` },
            { type: 'cancelTimer', id: `${SAMPLE_TIMER}${e.transactionId}` },
            ...(final ? problem(view, final.costDetails.failureToCalculate === true) : []),
          ],
        };
      },
      // I12.FR.02: the next one is due Interval[Cost] seconds later (E sends this one).
      'tariff.runningCost': (state, e, view) =>
        state.transactions[e.transactionId] ? { state, effects: runningCostTimer(view, e.transactionId) } : undefined,
    }),
  };
}

/** Checks `options.tariffs`; `fail(field, problem)` throws (the station's StationOptionsError). */
export function checkTariffOptions(
  t: TariffOptions | undefined,
  fail: (field: string, problem: string) => never,
): void {
  if (t === undefined) return;
  if (t === null || typeof t !== 'object')
    fail('tariffs', 'must be { maxElements?, conditions?, currency?, timeZone? }');
  if (t.maxElements !== undefined && (!Number.isInteger(t.maxElements) || t.maxElements < 1))
    fail('tariffs.maxElements', `must be a positive integer, got ${JSON.stringify(t.maxElements)}`);
  if (t.conditions !== undefined && typeof t.conditions !== 'boolean') fail('tariffs.conditions', 'must be a boolean');
  if (t.currency !== undefined && (typeof t.currency !== 'string' || !/^[A-Z]{3}$/.test(t.currency)))
    fail('tariffs.currency', `must be an ISO 4217 code such as EUR, got ${JSON.stringify(t.currency)}`);
  if (t.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: t.timeZone });
    } catch {
      fail('tariffs.timeZone', `is no IANA time zone: ${JSON.stringify(t.timeZone)}`);
    }
  }
}
