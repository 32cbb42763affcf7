// The station runtime's public surface (docs/integration.md): the ChargingStation an integrator builds, its options,
// and the use-case contract for extending it (docs/station.md).
export { ChargingStation } from './charging-station.js';
export { StationOptionsError, type ChargingStationOptions, type CsmsConnection, type HardwareCallbacks, type NetworkProfileOption } from './options.js';
export type { BootInfo } from './B-provisioning/boot.js';
export type {
  Answer,
  AnyUseCase,
  BlockEvent,
  ConnectorLayout,
  Effect,
  EvseLayout,
  FirmwareEvent,
  HardwareCall,
  PublicEvent,
  StationEvent,
  StationView,
  Step,
  UseCase,
  VariableReader,
} from './core/types.js';
