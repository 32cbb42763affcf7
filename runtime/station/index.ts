// The station runtime's public surface (docs/integration.md): the ChargingStation an integrator builds, its options,
// and the use-case contract for extending it (docs/station.md).
export { ChargingStation } from './charging-station.js';
export {
  StationOptionsError,
  type AuthorizationLimits,
  type ChargingStationOptions,
  type CsmsConnection,
  type FirmwareOptions,
  type HardwareCallbacks,
  type NetworkProfileOption,
  type TransferOptions,
} from './options.js';
export type { FirmwareFile, InstallResult } from './L-firmware/firmware.js';
export type {
  TransferErrorKind,
  TransferOutcome,
  TransferRequest,
  DownloadRequest,
  UploadRequest,
} from '../transfer/types.js';
export type { BootInfo } from './B-provisioning/boot.js';
export type { DisplayOptions } from './O-display/settings.js';
export type { DisplayScreen, ShownMessage } from './O-display/messages.js';
export type { DriverScreen } from './I-tariff/driver-cost.js';
export type { TariffOptions } from './I-tariff/tariffs.js';
export type { TransactionLimits } from './E-transactions/limits/limits.js';
export { webPaymentsComponent, type PaymentScreen } from './C-authorization/payment/web-payment.js';
export {
  paymentComponent,
  type PaymentAuthorization,
  type PaymentSettlement,
} from './C-authorization/payment/terminal.js';
export {
  handler,
  type DataTransferHandlers,
  type DataTransferReply,
  type MessageHandler,
  type VendorHandlers,
} from './P-data-transfer/data-transfer.js';
export type { ChargingLimit } from './K-smart-charging/smart-charging.js';
export type { ExternalChargingLimit } from './K-smart-charging/external.js';
export type { ExternalChargingValue } from './K-smart-charging/external-dynamic.js';
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
// OCPP 2.1 blocks R, S, Q: what integrators declare, receive and may compute (docs/integration.md).
export { derCapability } from './R-der/controls.js';
export { describeDerControl } from './R-der/describe.js';
export type { DerAlarm, DerControlInForce } from './R-der/der.js';
export type { SwapAbort } from './S-battery-swap/battery-swap.js';
export {
  checkOperationModes,
  freqWattSetpoint,
  inverterSetting,
  loadBalancingSetpoint,
  signalWattDelta,
  type InverterSetting,
} from './Q-v2x/operation-modes.js';
