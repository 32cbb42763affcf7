// Stand-ins for the firmware's drivers the README example talks to (relay, meter, plug sensor, card reader,
// display): the example is about the ocppkit side, so these only record and emit what the test tells them to.
import { EventEmitter } from 'node:events';

/** The power path per EVSE; emits `flow` when energy starts or stops flowing. */
class Relay extends EventEmitter<{ flow: [evseId: number, flowing: boolean] }> {
  readonly closed = new Set<number>();
  readonly enabled = new Map<number, boolean>();
  enable(evseId: number, on: boolean): void {
    this.enabled.set(evseId, on);
  }
  close(evseId: number): void {
    this.closed.add(evseId);
    setImmediate(() => this.emit('flow', evseId, true));
  }
  open(evseId: number): void {
    this.closed.delete(evseId);
  }
}

export const relay = new Relay();

export const meter = {
  energyWh: (evseId: number): number => (relay.closed.has(evseId) ? 1234.5 : 1200),
};

export const plugSensor = new EventEmitter<{ plugged: [evseId: number]; unplugged: [evseId: number] }>();
export const cardReader = new EventEmitter<{ card: [uid: string] }>();

export const display = {
  shown: [] as string[],
  show(evseId: number, text: string): void {
    this.shown.push(`${evseId}: ${text}`);
  },
};

export async function reboot(): Promise<void> {
  display.show(0, 'rebooting');
}
