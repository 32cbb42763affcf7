// The charging station's device model (OCPP 2.0.1 and 2.1, use cases B05–B08). See docs/device-model.md.
export { DeviceModel, checkDeviceModelConfig, type DeviceModelOptions } from './model.js';
export { DeviceModelConfigError, DeviceModelError, type ConfigProblem } from './errors.js';
export { defaultComponents, AVAILABILITY_STATES } from './defaults.js';
export { reportParts } from './report-parts.js';
export { VALUES_NS, PENDING_NS, type DeviceModelStore } from './persistence.js';
export type * from './types.js';
