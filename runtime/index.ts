// ocppkit: the runtime. The generated protocol layer of each version is its own entry: ocppkit/v16,
// ocppkit/v201, ocppkit/v21.
export * from './protocol.js';
// The charging-station runtime (OCPP 2.0.1 / 2.1) and what configuring it takes.
export { ChargingStation } from './station/charging-station.js';
export { StationOptionsError, type ChargingStationOptions, type CsmsConnection, type HardwareCallbacks } from './station/options.js';
export type { ConnectorLayout, EvseLayout, PublicEvent } from './station/core/types.js';
// The built-in CSMS (for trying things out and for tests) and the message trace.
export { SimpleCsms, type SimpleCsmsOptions, type LoggedMessage } from './csms/simple-csms.js';
export { jsonLinesTrace, type TraceEntry, type TraceSink } from './rpc/trace.js';
