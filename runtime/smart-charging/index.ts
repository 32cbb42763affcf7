// ocppkit/smart-charging: the smart-charging calculations of block K as pure functions of plain data, usable by a
// station, by a CSMS predicting a station's limit, and by tests (docs/smart-charging.md).
export { compositeSchedule } from './composite.js';
export type {
  CompositeScheduleInput,
  CompositeScheduleInput201,
  CompositeScheduleInput21,
  CompositeScheduleInput16,
  ConnectorState16,
  StationState16,
  EvseState,
  EvseTransaction,
  InstalledProfile,
  SmartChargingVersion,
  StationState,
} from './types.js';
export { checkChargingProfile } from './check.js';
export type {
  ChargingProfileCheckInput,
  ChargingProfileCheckInput201,
  ChargingProfileCheckInput21,
  EvseCapabilities,
  SmartChargingCapabilities,
} from './check-types.js';
