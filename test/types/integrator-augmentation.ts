// An integrator's use case declares its own events and hardware operations through the public entry, as
// docs/integration.md shows; they merge with the blocks' (a stray key would be an excess-property error here).
import type { HardwareCallbacks, StationEvent } from '../../runtime/station/index.js';

declare module '../../runtime/station/index.js' {
  interface OwnEvents {
    'acme.poll': { n: number };
  }
  interface HardwareOperations {
    acmeDoorOpen(): Promise<boolean>;
  }
}

const poll: StationEvent = { type: 'acme.poll', n: 1 };
const hardware: HardwareCallbacks = { acmeDoorOpen: async () => true, stopCharging: () => {} };
void [poll, hardware];
