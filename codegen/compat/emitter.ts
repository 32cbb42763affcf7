// Placeholder until the 2.0.1 → 2.1 compatibility table lands (issue 2).
import type { Emitter } from '../emit.js';

export const compatEmitter: Emitter = {
  name: 'compat',
  async emit() {
    return [];
  },
};
