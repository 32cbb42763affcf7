// ocppkit: the runtime. The generated protocol layer of each version is its own entry: ocppkit/v16,
// ocppkit/v201, ocppkit/v21.
export * from './protocol.js';
// The charging station (docs/integration.md).
export * from './station/index.js';
