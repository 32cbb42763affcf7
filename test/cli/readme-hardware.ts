// Stand-ins for the firmware's drivers the README example talks to (relay, plug sensor, card reader, display):
// the example is about the ocppkit side, so these only record and emit what the test tells them to.
import { EventEmitter } from 'node:events';

export const relay = {
  enabled: new Map<number, boolean>(),
  enable(evseId: number, on: boolean): void {
    this.enabled.set(evseId, on);
  },
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
