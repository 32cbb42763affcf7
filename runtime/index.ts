// ocppkit: the protocol contract, validation, the OCPP-J RPC layer (both ends) and the durable store. It loads no
// OCPP version and no native module by itself. Other entries:
//   ocppkit/v16, ocppkit/v201, ocppkit/v21   the generated protocol layer of each version
//   ocppkit/station                          the 2.0.1/2.1 charging-station runtime (docs/integration.md)
//   ocppkit/csms                             the built-in CSMS (for trying things out and for tests)
//   ocppkit/smart-charging                   pure smart-charging calculations (compositeSchedule)
//   ocppkit/cost                             the 2.1 local cost calculation (costDetails), exact decimals
export * from './protocol.js';
export {
  validatePayload,
  describeFailure,
  type ValidationFailure,
  type ValidationResult,
  type PayloadKind,
} from './validation.js';
// The RPC layer: generic over a version's `protocol`, it never imports a version itself.
export * from './rpc/index.js';
// The store (better-sqlite3 is loaded when a store is opened, not on import).
export * from './store/index.js';
