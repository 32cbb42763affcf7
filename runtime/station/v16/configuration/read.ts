// How the 1.6 blocks read configuration keys: through the configuration block's query, typed by key name.
import type { StationView, StationFamily } from '../../core/types.js';
import { csl, KEYS16, type Key16 } from './keys.js';

const raw = (view: StationView<StationFamily>, key: Key16): string | undefined =>
  view.query.config16?.(key) ?? (KEYS16[key] as { value?: string }).value;

export function int16(view: StationView<StationFamily>, key: Key16): number {
  const n = Number(raw(view, key));
  return Number.isFinite(n) ? n : 0;
}

export function bool16(view: StationView<StationFamily>, key: Key16): boolean {
  return raw(view, key)?.toLowerCase() === 'true';
}

export function list16(view: StationView<StationFamily>, key: Key16): string[] {
  return csl(raw(view, key));
}
