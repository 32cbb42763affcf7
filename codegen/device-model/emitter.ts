// Placeholder until the device-model catalogue lands (issue 2).
import type { Emitter } from '../emit.js';

export const deviceModelEmitter: Emitter = {
  name: 'device-model',
  async emit() {
    return [];
  },
};
