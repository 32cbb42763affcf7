// The public types of the device model: how an integrator describes the station's components and variables, how
// the runtime addresses them, and what the B05–B08 handlers return. Field names follow the OCPP schemas wherever a
// concept exists there (component `name`/`instance`/`evse.id`/`evse.connectorId`, `mutability`, `valuesList`, …).
import type {
  ConnectorType as ConnectorType21,
  DataType as CatalogueDataType,
} from '../../../generated/v21/device-model.js';
import type * as V201 from '../../../generated/v201/types.js';
import type * as V21 from '../../../generated/v21/types.js';

/** The OCPP version a device model speaks: selects the standardized catalogue and the few schema differences. */
export type DeviceModelVersion = 'ocpp2.0.1' | 'ocpp2.1';

/** AttributeEnumType. */
export type AttributeType = V21.AttributeEnumType;
/** MutabilityEnumType. */
export type Mutability = V21.MutabilityEnumType;
/**
 * DataEnumType plus the appendices' `passwordString` and `identifierString`, which go on the wire as `string`
 * (identifierString values are limited to `a-z A-Z 0-9 * - _ = : + | @ .`). The same in 2.0.1 and 2.1.
 */
export type DataType = CatalogueDataType;

/**
 * A value in the configuration. OCPP carries every value as a string; numbers and booleans are written the way
 * OCPP does (`300`, `true`), a list (MemberList, SequenceList) as its comma-separated members.
 */
export type ConfigValue = string | number | boolean | readonly string[];

// ---------------------------------------------------------------------------------------------------------------
// Physical layout

/** The station's EVSEs and connectors. Each becomes an `EVSE` / `Connector` component (Part 1 §4.1, three tiers). */
export interface StationLayout {
  /** ChargingStation.SupplyPhases: 0 for DC, otherwise the number of AC phases (1 or 3). Required. */
  supplyPhases?: number;
  evses: readonly EvseLayout[];
}

export interface EvseLayout {
  /** evse.id: 1, 2, … */
  id: number;
  /** EVSE.Power maxLimit (W): the maximum power this EVSE can deliver. Required (Part 2 2.13.7: "maxLimit only"). */
  maxPower?: number;
  /** EVSE.SupplyPhases. Default: the station's. */
  supplyPhases?: number;
  connectors: readonly ConnectorLayout[];
}

/**
 * A connector type: 2.0.1's ConnectorEnumType, or one of the values 2.1 lists in its appendix (ConnectorEnumStringType,
 * connectorenumtype.csv: 2.0.1's plus `cNACS`, `cMCS`, `cChaoJi`, …), which 2.1 carries as a string.
 */
export type ConnectorTypeName = V201.ConnectorEnumType | ConnectorType21;

export interface ConnectorLayout {
  /** evse.connectorId: 1, 2, … within the EVSE. */
  id: number;
  /** Connector.ConnectorType, such as `cType2`, `sType2`, `cCCS2`. Required. */
  type?: ConnectorTypeName;
  /** Connector.SupplyPhases. Default: the EVSE's. */
  supplyPhases?: number;
  /**
   * The charging cable is fixed to the connector (a tethered cable, no socket to lock). OCPP 1.6 answers
   * UnlockConnector NotSupported for it (§5.18 with the errata). Default false.
   */
  fixedCable?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Integrator configuration

/**
 * The integrator's device model configuration. It is merged over ocppkit's defaults (docs/device-model.md lists
 * them): an entry for a component or variable that exists by default changes only the fields it sets; a new entry
 * adds a component or variable; `remove: true` drops a default one.
 */
export interface DeviceModelConfig {
  /** Components to add, change or remove. Standardized ones (e.g. `AuthCacheCtrlr`) take data types from the catalogue. */
  components?: readonly ComponentConfig[];
  /**
   * Whether GetBaseReport(SummaryInventory) is supported (B07.FR.09). Default true. When false, the station answers
   * NotSupported (B07.FR.02).
   */
  summaryInventory?: boolean;
}

/** One component, addressed exactly as in OCPP messages (ComponentType). */
export interface ComponentConfig {
  /** Component name; standardized names are matched case-insensitively and reported in the catalogue's spelling. */
  name: string;
  /** Component instance, when the component exists more than once. */
  instance?: string;
  /** The EVSE (and connector) tier: present for EVSE and Connector components and anything located there. */
  evse?: { id: number; connectorId?: number };
  /** Drop this component from ocppkit's defaults (e.g. AlignedDataCtrlr on a station without clock-aligned data). */
  remove?: boolean;
  variables?: readonly VariableConfig[];
}

/** The Actual attribute's settings; also the shape of `target`, `minSet` and `maxSet`. */
export interface AttributeConfig {
  /** The initial value (used until the CSMS or the station changes it; a persisted value wins, see docs). */
  value?: ConfigValue;
  /**
   * Who may change the value. Default: ocppkit's default for its own variables, otherwise `ReadOnly` — a
   * variable the CSMS may write must say so explicitly.
   */
  mutability?: Mutability;
  /** Kept across restarts. Default: true for ReadWrite and WriteOnly (Part 2 "Referenced Components and Variables"). */
  persistent?: boolean;
  /** The station never changes the value at run time. Only for ReadOnly attributes. Default false. */
  constant?: boolean;
}

/** One variable of a component, with its Actual attribute inline and its characteristics (VariableCharacteristicsType). */
export interface VariableConfig extends AttributeConfig {
  name: string;
  instance?: string;
  /** Drop this variable from ocppkit's defaults. */
  remove?: boolean;
  /** Required for a variable the catalogue does not know; otherwise the catalogue's. */
  dataType?: DataType;
  /** Unit of measure (e.g. `s`, `W`, `Celsius`). Default: the catalogue's first unit, if any. */
  unit?: string;
  /** Lowest value (numbers). */
  minLimit?: number;
  /** Highest value (numbers); maximum length for string and list types. */
  maxLimit?: number;
  /** Allowed values of OptionList, MemberList and SequenceList (required for those). */
  valuesList?: readonly string[] | string;
  /** OCPP 2.1: how many members of valuesList a MemberList/SequenceList value may have. Enforced in 2.0.1 too, reported in 2.1 only. */
  maxElements?: number;
  /** Whether the variable supports monitoring (VariableCharacteristics.supportsMonitoring). Default false. */
  supportsMonitoring?: boolean;
  /** A CSMS change takes effect only after a restart: SetVariables answers RebootRequired and the value applies at the next start. */
  rebootRequired?: boolean;
  /** Supports a Target attribute (`true`: supported, unset, ReadWrite). */
  target?: AttributeConfig | boolean;
  /** Supports a MinSet attribute (`true`: supported, unset, ReadWrite). */
  minSet?: AttributeConfig | boolean;
  /** Supports a MaxSet attribute (`true`: supported, unset, ReadWrite). */
  maxSet?: AttributeConfig | boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Addressing from the runtime

/** A component as in OCPP messages, or just its name (a component without instance at the station tier). */
export type ComponentRef = string | { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
/** A variable as in OCPP messages, or just its name (the variable without instance). */
export type VariableRef = string | { name: string; instance?: string };

/** What a change listener receives: one attribute took a new value. */
export interface VariableChange {
  component: { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
  variable: { name: string; instance?: string };
  attribute: AttributeType;
  /** The new value ('' is a value); undefined never occurs. */
  value: string;
  /** The value before, or undefined if it was unset. */
  previous: string | undefined;
  /** `csms`: SetVariablesRequest; `station`: DeviceModel.set() from the runtime. */
  source: 'csms' | 'station';
}

// ---------------------------------------------------------------------------------------------------------------
// Answers to CSMS requests

/**
 * Messages are typed with the OCPP 2.1 types. The 2.0.1 types are structurally the same except that 2.1's
 * VariableCharacteristicsType has the optional `maxElements`, so these values are assignable to either version.
 */
export type GetVariablesRequest = V21.GetVariablesRequest;
export type GetVariablesResponse = V21.GetVariablesResponse;
export type SetVariablesRequest = V21.SetVariablesRequest;
export type SetVariablesResponse = V21.SetVariablesResponse;
export type GetBaseReportRequest = V21.GetBaseReportRequest;
export type GetBaseReportResponse = V21.GetBaseReportResponse;
export type GetReportRequest = V21.GetReportRequest;
export type GetReportResponse = V21.GetReportResponse;
export type NotifyReportRequest = V21.NotifyReportRequest;
export type ReportDataType = V21.ReportDataType;
export type VariableAttributeType = V21.VariableAttributeType;
export type VariableCharacteristicsType = V21.VariableCharacteristicsType;

/** A CALLERROR the handler of a request must answer with instead of a CALLRESULT (B06.FR.16/17, B08.FR.17/18). */
export interface DeviceModelCallError {
  code: 'OccurrenceConstraintViolation' | 'FormatViolation';
  description: string;
}

/** The answer to a request: a response, or a CALLERROR. */
export type RequestOutcome<R> = { ok: true; response: R } | { ok: false; callError: DeviceModelCallError };

/** The answer to GetBaseReport/GetReport: the response and the NotifyReportRequests to send after it (empty unless Accepted). */
export interface ReportAnswer<R> {
  ok: true;
  response: R;
  /** Report parts, seqNo 0…n-1, every part but the last with `tbc: true`; send them in order after the response. */
  reports: NotifyReportRequest[];
}

/** A report answer, or a CALLERROR (GetReport beyond ItemsPerMessage/BytesPerMessage[GetReport]). */
export type ReportOutcome<R> = ReportAnswer<R> | { ok: false; callError: DeviceModelCallError };

/** Limits of the NotifyReportRequest parts. Default: DeviceDataCtrlr ItemsPerMessage/BytesPerMessage[GetReport]. */
export interface ReportLimits {
  /** At most this many reportData entries per part. */
  maxItems: number;
  /** At most this many bytes per part, measured as the UTF-8 OCPP-J CALL frame with a 36-character message id. */
  maxBytes: number;
}
