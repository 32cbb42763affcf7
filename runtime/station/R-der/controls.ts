// R04: what a DER control is, as the station keeps it, and the checks a SetDERControlRequest passes before anything
// is stored. Field names are the schema's (SetDERControlRequest, ReportDERControlRequest).
import type {
  DERControlEnumType,
  DERCurveType,
  EnterServiceType,
  FixedPFType,
  FixedVarType,
  FreqDroopType,
  GradientType,
  LimitMaxDischargeType,
  SetDERControlRequest,
} from '../../../generated/v21/types.js';
import { DERControlEnumType as CONTROL_TYPES } from '../../../generated/v21/enums.js';
import type { StationView } from '../core/types.js';

/** The field of SetDERControlRequest that carries each kind of setting. */
export interface ControlSettings {
  curve: DERCurveType;
  enterService: EnterServiceType;
  fixedPFAbsorb: FixedPFType;
  fixedPFInject: FixedPFType;
  fixedVar: FixedVarType;
  freqDroop: FreqDroopType;
  gradient: GradientType;
  limitMaxDischarge: LimitMaxDischargeType;
}
export type ControlField = keyof ControlSettings;
export const CONTROL_FIELDS = [
  'curve',
  'enterService',
  'fixedPFAbsorb',
  'fixedPFInject',
  'fixedVar',
  'freqDroop',
  'gradient',
  'limitMaxDischarge',
] as const satisfies readonly ControlField[];

/**
 * R04.FR.16: the field that belongs to a controlType. The named ones have their own field; every other type (the
 * Volt/Watt/Freq curves and the trip and momentary-cessation curves) is a `curve`.
 */
export function fieldOf(controlType: DERControlEnumType): ControlField {
  switch (controlType) {
    case 'FixedPFAbsorb':
      return 'fixedPFAbsorb';
    case 'FixedPFInject':
      return 'fixedPFInject';
    case 'FixedVar':
      return 'fixedVar';
    case 'LimitMaxDischarge':
      return 'limitMaxDischarge';
    case 'FreqDroop':
      return 'freqDroop';
    case 'EnterService':
      return 'enterService';
    case 'Gradients':
      return 'gradient';
    default:
      return 'curve';
  }
}

type Timing = { priority: number; startTime?: string; duration?: number };

/** The field of a control and its setting, the one narrowing the other. */
export type FieldSetting = { [F in ControlField]: { field: F; setting: ControlSettings[F] } }[ControlField];

/** A DER control the station keeps (R01.FR.03: across restarts). */
export type DerControl = FieldSetting & {
  id: string;
  controlType: DERControlEnumType;
  isDefault: boolean;
  /** R04.FR.03/06/07/08: set once a control of the same type with a lower priority value took its place. */
  isSuperseded: boolean;
  /** When it was accepted (ms): among equal priorities, the newer counts. */
  receivedAt: number;
};

export const timingOf = (c: DerControl): Timing => c.setting;
export const priorityOf = (c: DerControl): number => timingOf(c).priority;

/** Start of a scheduled control in ms (absent startTime: from when it was received). */
export function startOf(c: DerControl): number {
  const at = timingOf(c).startTime;
  const ms = at === undefined ? NaN : Date.parse(at);
  return Number.isFinite(ms) ? ms : c.receivedAt;
}
/** End of a scheduled control in ms; Infinity without a duration. */
export function endOf(c: DerControl): number {
  const d = timingOf(c).duration;
  return d === undefined ? Infinity : startOf(c) + d * 1000;
}
/** A scheduled control is active between its startTime and startTime + duration. */
export const activeAt = (c: DerControl, now: number): boolean => !c.isDefault && startOf(c) <= now && now < endOf(c);

/**
 * The control types the station executes (R04.FR.01/36/43): the members of ACDERCtrlr.ModesSupported and of the
 * DCDERCtrlr.ModesSupported of every EVSE whose DCDERCtrlr is not disabled (MemberList of DERControlEnumType), as
 * the integrator configured them.
 */
export function supportedTypes(view: StationView): Set<DERControlEnumType> {
  const lists = [
    view.variables.string('ACDERCtrlr', 'ModesSupported'),
    // An EVSE whose DC DER control is switched off (DCDERCtrlr.Enabled false) executes none.
    ...view.evses
      .filter((e) => view.variables.bool('DCDERCtrlr', 'Enabled', { evseId: e.id }) !== false)
      .map((e) => view.variables.string('DCDERCtrlr', 'ModesSupported', { evseId: e.id })),
  ];
  const known = new Set<string>(CONTROL_TYPES);
  const types = new Set<DERControlEnumType>();
  for (const list of lists)
    for (const member of (list ?? '').split(',').map((m) => m.trim()))
      if (known.has(member)) types.add(member as DERControlEnumType); // checked against the enum list just above
  return types;
}

export type SetCheck =
  | { ok: true; control: FieldSetting & Pick<DerControl, 'id' | 'controlType' | 'isDefault'> }
  | { ok: false; status: 'NotSupported' | 'Rejected'; reasonCode: string; additionalInfo: string };

/** R04.FR.01/13/15/17: whether a SetDERControlRequest may be stored at all. */
export function checkSet(request: SetDERControlRequest, supported: ReadonlySet<DERControlEnumType>): SetCheck {
  const { controlType, isDefault, controlId } = request;
  if (!supported.has(controlType))
    return { ok: false, status: 'NotSupported', reasonCode: 'UnsupportedParam', additionalInfo: controlType };
  const field = fieldOf(controlType);
  const given = CONTROL_FIELDS.filter((f) => request[f] !== undefined);
  // R04.FR.17: exactly the one field of its controlType.
  if (given.length !== 1 || given[0] !== field)
    return {
      ok: false,
      status: 'Rejected',
      reasonCode: 'InvalidValue',
      additionalInfo: `${controlType} takes ${field} only (given: ${given.join(', ') || 'none'})`,
    };
  // The check above made sure the request carries `field`; TypeScript cannot pair a computed key with its value.
  const fieldSetting = { field, setting: request[field] } as FieldSetting;
  const timing: Timing = fieldSetting.setting;
  // R04.FR.15: EnterService and Gradients only exist as defaults.
  if (!isDefault && (controlType === 'EnterService' || controlType === 'Gradients'))
    return {
      ok: false,
      status: 'Rejected',
      reasonCode: 'InvalidValue',
      additionalInfo: `${controlType} is default only`,
    };
  // R04.FR.13: a default has no startTime or duration.
  if (isDefault && (timing.startTime !== undefined || timing.duration !== undefined))
    return {
      ok: false,
      status: 'Rejected',
      reasonCode: 'InvalidValue',
      additionalInfo: 'a default control has no startTime or duration',
    };
  if (timing.startTime !== undefined && !Number.isFinite(Date.parse(timing.startTime)))
    return { ok: false, status: 'Rejected', reasonCode: 'InvalidValue', additionalInfo: 'startTime' };
  if (timing.duration !== undefined && !(timing.duration > 0))
    return { ok: false, status: 'Rejected', reasonCode: 'InvalidValue', additionalInfo: 'duration must be positive' };
  return { ok: true, control: { id: controlId, controlType, isDefault, ...fieldSetting } };
}

/**
 * The device-model component by which a station declares the DER control types it executes itself (R03.FR.03,
 * R04.FR.01): ACDERCtrlr.ModesSupported, a MemberList of DERControlEnumType. Put it in `deviceModel.components`;
 * a DC station declares its inverter per EVSE in DCDERCtrlr instead (R01.FR.01, with the nameplate variables).
 */
export function derCapability(types: readonly DERControlEnumType[]): {
  name: 'ACDERCtrlr';
  variables: [{ name: 'ModesSupported'; dataType: 'MemberList'; value: string; valuesList: readonly string[] }];
} {
  return {
    name: 'ACDERCtrlr',
    // dataType: a station offering 2.0.1 too builds that version's model, whose catalogue has no ACDERCtrlr.
    variables: [{ name: 'ModesSupported', dataType: 'MemberList', value: types.join(','), valuesList: CONTROL_TYPES }],
  };
}
