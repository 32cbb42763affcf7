// The station runtime's public surface (docs/integration.md): the ChargingStation an integrator builds, its options,
// and the use-case contract for extending it (docs/station.md).
export { ChargingStation } from './charging-station.js';
export {
  StationOptionsError,
  type AuthorizationLimits,
  type ChargingStationOptions,
  type CsmsConnection,
  type HardwareCallbacks,
  type NetworkProfileOption,
} from './options.js';
export type { BootInfo } from './B-provisioning/boot.js';
export type { ChargingLimit } from './K-smart-charging/smart-charging.js';
export type { ExternalChargingLimit } from './K-smart-charging/external.js';
export type { EvChargingNeeds, EvChargingSchedule, OfferReason } from './K-smart-charging/iso15118.js';
export type { ConnectorTypeName } from './device-model/types.js';
export type {
  Answer,
  AnyUseCase,
  AuthorizationRefusal,
  AuthorizationSource,
  BlockEvent,
  ConnectorLayout,
  Effect,
  EvseLayout,
  Family16,
  Family2x,
  FirmwareEvent,
  HardwareCall,
  HardwareOperations,
  OwnEvents,
  StationFamily,
  StationQueries,
  PublicEvent,
  ReservationCheck,
  StationEvent,
  StationView,
  Step,
  StoreOp,
  UseCase,
  VariableReader,
} from './core/types.js';
export { byEventType, type EventHandlers } from './core/types.js';
