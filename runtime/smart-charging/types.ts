// The input of compositeSchedule: a station's smart-charging state, as plain data, so that the same function serves
// the station (answering GetCompositeSchedule on its own state), CSMS developers predicting a station's limit, and
// tests. Schema types come from the generated layer; only the station description is ours.
import type * as v16 from '../../generated/v16/types.js';
import type * as v201 from '../../generated/v201/types.js';
import type * as v21 from '../../generated/v21/types.js';

/** The versions compositeSchedule computes for; 1.6 (connectors, ChargePointMaxProfile, its own field names) goes
 * through the adapter in v16.ts. */
export type SmartChargingVersion = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';

export interface EvseTransaction {
  transactionId: string;
  /** The moment the EVSE became ready to deliver energy, where Relative schedules start (K01.FR.42): the start of
   * the transaction when PowerPathClosed is a TxStartPoint. ISO date-time. */
  startTime: string;
  /** 2.1: PriorityCharging was activated for this transaction (K21.FR.04, K22.FR.02). */
  priorityCharging?: boolean;
}

export interface EvseState {
  id: number;
  transaction?: EvseTransaction;
  /**
   * ISO 15118: the schedule the EV returned for the transaction and the CSMS accepted (NotifyEVChargingSchedule,
   * K15.FR.11/.14, K16.FR.10, K17.FR.14): the EV charges no faster, so the composite takes it as one more limit.
   * Its periods count from its startSchedule, or else from `timeBase`. Only with a transaction.
   */
  evChargingSchedule?: { timeBase: string; chargingSchedule: v201.ChargingScheduleType | v21.ChargingScheduleType };
}

export interface StationState<Units extends string = 'A' | 'W'> {
  evses: EvseState[];
  /** ChargingStationSupplyPhases: the AC phases connected, 0 for a DC station (A <-> W uses no phase count then). */
  supplyPhases: number;
  /** numberPhases to assume where a schedule period gives none (K01.FR.49: 3 for AC). */
  phases: number;
  /** Volts per phase (line to neutral), for A <-> W (K01.FR.50); for DC the DC voltage. */
  voltage: number;
  /** What one EVSE may draw where no profile limits it: amperes per phase, and watts in total. */
  maxCurrent: number;
  maxPower: number;
  /** ChargingScheduleChargingRateUnit: the units this station accepts, the first one is the default (K08.FR.07). */
  chargingRateUnits: Units[];
  /** 2.1: when the connection to the CSMS was lost, if it is lost now (K01.FR.101). ISO date-time. */
  offlineSince?: string;
  /**
   * 2.1: SmartChargingCtrlr.SetpointPriority: whose setpoint wins where a ChargingStationExternalConstraints period
   * and the transaction's profile both give one (Q06.FR.20–.22). Absent: ExternalSystem (Q06.FR.21).
   */
  setpointPriority?: 'ExternalSystem' | 'CSMS';
  /**
   * 2.1: the station's local time, for schedules with useLocalTime (K01.FR.90/.91): ClockCtrlr.TimeZone (an IANA
   * zone such as "Europe/Oslo", with its daylight saving time) or else ClockCtrlr.TimeOffset ("+01:00"). Neither: UTC.
   */
  timeZone?: string;
  timeOffset?: string;
}

export interface InstalledProfile<P> {
  /** The evseId of the SetChargingProfileRequest that installed it (0: the whole station). */
  evseId: number;
  chargingProfile: P;
}

interface InputBase {
  /** The moment the request is handled (K08.FR.02). ISO date-time. */
  now: string;
  station: StationState;
}

export interface CompositeScheduleInput201 extends InputBase {
  version: 'ocpp2.0.1';
  /** Installed profiles in installation order. */
  profiles: InstalledProfile<v201.ChargingProfileType>[];
  request: v201.GetCompositeScheduleRequest;
}

export interface CompositeScheduleInput21 extends InputBase {
  version: 'ocpp2.1';
  profiles: InstalledProfile<v21.ChargingProfileType>[];
  request: v21.GetCompositeScheduleRequest;
}

export type CompositeScheduleInput = CompositeScheduleInput201 | CompositeScheduleInput21;

/** OCPP 1.6: connectors instead of EVSEs, integer transaction ids, no offline validity. */
export interface ConnectorState16 {
  id: number;
  transaction?: { transactionId: number; /** Where Relative schedules start. ISO date-time. */ startTime: string };
}

export interface StationState16 extends Omit<StationState, 'evses' | 'offlineSince'> {
  connectors: ConnectorState16[];
}

export interface CompositeScheduleInput16 {
  version: 'ocpp1.6';
  now: string;
  station: StationState16;
  /** Installed profiles in installation order, as received in SetChargingProfile.req. */
  profiles: Array<{ connectorId: number; csChargingProfiles: v16.ChargingProfile }>;
  request: v16.GetCompositeScheduleRequest;
}
