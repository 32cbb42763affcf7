// 2.1 E16: transaction limits (transactionLimit: maxCost, maxEnergy, maxTime, maxSoC) as pure functions: which the
// station supports (TxCtrlr.SupportedLimits), how a new limit combines with those in force, and which limit the
// transaction has reached. The steps that act on them are limit-steps.ts.
import type { ReasonEnumType } from '../../../../generated/v201/types.js';
import type { TriggerReasonEnumType } from '../../../../generated/v21/types.js';
import type { DeviceModelVersion, VariableConfig } from '../../device-model/types.js';
import type { StationView } from '../../core/types.js';

/** The limits of a transaction, as TransactionLimitType names them (customData left out). */
export interface TransactionLimits {
  maxCost?: number;
  maxEnergy?: number;
  maxTime?: number;
  maxSoC?: number;
}

export type LimitKind = keyof TransactionLimits;

/** The four limits, in the order they are checked when several are reached at once. */
export const LIMIT_KINDS: readonly LimitKind[] = ['maxEnergy', 'maxCost', 'maxTime', 'maxSoC'];

/** The triggerReason of the event that reports a reached limit (E16.FR.05/06). */
export const REACHED_TRIGGER: Record<LimitKind, TriggerReasonEnumType> = {
  maxCost: 'CostLimitReached',
  maxEnergy: 'EnergyLimitReached',
  maxTime: 'TimeLimitReached',
  maxSoC: 'SoCLimitReached',
};

/**
 * The stoppedReason of a transaction a reached limit ends (E16.FR.06, TxStopPoint EnergyTransfer). 2.1 keeps these
 * reasons only as deprecated (a limit normally stops energy, not the transaction), but where TxStopPoint ends the
 * transaction with the energy they still say best why; a cost limit is a local credit limit.
 */
export const REACHED_REASON: Record<LimitKind, ReasonEnumType> = {
  maxCost: 'LocalOutOfCredit',
  maxEnergy: 'EnergyLimitReached',
  maxTime: 'TimeLimitReached',
  maxSoC: 'SOCLimitReached',
};

/** What the station supports unless the integrator's device model says less (TxCtrlr.SupportedLimits). */
export const DEFAULT_SUPPORTED_LIMITS: readonly LimitKind[] = LIMIT_KINDS;

/** 2.1's TxCtrlr.SupportedLimits (E16 remarks, E16.FR.12): 2.0.1 has no transaction limits. */
export function transactionLimitVariables(version: DeviceModelVersion): VariableConfig[] {
  if (version !== 'ocpp2.1') return [];
  return [
    {
      name: 'SupportedLimits',
      valuesList: [...LIMIT_KINDS],
      value: [...DEFAULT_SUPPORTED_LIMITS],
      mutability: 'ReadOnly',
    },
  ];
}

/** The limits the station supports now: TxCtrlr.SupportedLimits (none in 2.0.1). */
export function supportedLimits(view: StationView): ReadonlySet<LimitKind> {
  if (view.version !== 'ocpp2.1') return new Set();
  const raw = view.variables.string('TxCtrlr', 'SupportedLimits');
  if (raw === undefined) return new Set(DEFAULT_SUPPORTED_LIMITS);
  return new Set(
    raw
      .split(',')
      .map((x) => x.trim())
      .filter((x): x is LimitKind => (LIMIT_KINDS as readonly string[]).includes(x)),
  );
}

/** The numeric limits of `limit` the station supports (E16.FR.03, E16.FR.13); customData and the rest dropped. */
export function onlySupported(limit: object | undefined, supported: ReadonlySet<LimitKind>): TransactionLimits {
  const out: TransactionLimits = {};
  if (!limit) return out;
  const given = limit as Record<string, unknown>;
  for (const kind of LIMIT_KINDS) {
    const value = given[kind];
    if (supported.has(kind) && typeof value === 'number' && Number.isFinite(value)) out[kind] = value;
  }
  return out;
}

/** The integrator's limit (`transactionLimitSet`), checked: numbers only, of the four names. */
export function checkLimit(method: string, limit: TransactionLimits): TransactionLimits {
  if (!limit || typeof limit !== 'object') throw new TypeError(`${method}(evseId, limit): limit must be an object`);
  for (const [k, v] of Object.entries(limit)) {
    if (!(LIMIT_KINDS as readonly string[]).includes(k))
      throw new TypeError(`${method}: unknown limit "${k}" (expected ${LIMIT_KINDS.join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${method}: ${k} must be a finite number`);
  }
  return { ...limit };
}

export const isEmpty = (limit: TransactionLimits) => LIMIT_KINDS.every((k) => limit[k] === undefined);

/**
 * E16.FR.04: a limit the station (its driver) sets may not exceed one the CSMS set: each value is at most the CSMS's.
 */
export function withinCsms(limit: TransactionLimits, csms: TransactionLimits | undefined): TransactionLimits {
  const out: TransactionLimits = { ...limit };
  for (const kind of LIMIT_KINDS) {
    const own = out[kind];
    const cap = csms?.[kind];
    if (own !== undefined && cap !== undefined && own > cap) out[kind] = cap;
  }
  return out;
}

/** How far the transaction has come, in the units of the limits; undefined where the station does not know. */
export interface Progress {
  /** Cost so far, in the currency of the tariff. */
  cost?: number;
  /** Energy imported since the start, Wh. */
  energyWh?: number;
  /** Seconds since the Started event (E16.FR.09). */
  elapsedS: number;
  /** The EV's state of charge, %. */
  soc?: number;
}

/** The first limit reached (E16 remarks: whichever is reached first ends energy transfer), if any. */
export function reachedLimit(limit: TransactionLimits | undefined, progress: Progress): LimitKind | undefined {
  if (!limit) return undefined;
  const actual: Record<LimitKind, number | undefined> = {
    maxCost: progress.cost,
    maxEnergy: progress.energyWh,
    maxTime: progress.elapsedS,
    maxSoC: progress.soc,
  };
  // E16.FR.10: reached means at or beyond the limit (a negative limit is reached at once).
  return LIMIT_KINDS.find((k) => {
    const max = limit[k];
    if (max === undefined) return false;
    const value = actual[k];
    return max <= 0 || (value !== undefined && value >= max);
  });
}

/** Whether `next` raises the limit `kind` above `before` (E16.FR.14: then energy transfer resumes). */
export function raised(kind: LimitKind, before: TransactionLimits | undefined, next: TransactionLimits): boolean {
  const b = before?.[kind];
  const n = next[kind];
  return n !== undefined && (b === undefined || n > b);
}
