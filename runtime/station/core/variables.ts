// Device-model values as the use cases read them, until the device-model engine (runtime/station/device-model)
// replaces this: the integrator's initial values, then what the runtime or the CSMS set, kept in the store.
import type { Store } from '../../store/types.js';
import type { VariableReader, VariableScope } from './types.js';

const NAMESPACE = 'station.variables';

const keyOf = (component: string, variable: string, scope: VariableScope = {}) =>
  [component, scope.evseId ?? '', scope.connectorId ?? '', variable, scope.instance ?? ''].join('|');

export class SimpleVariables implements VariableReader {
  readonly #store: Store;
  readonly #initial = new Map<string, string>();

  constructor(store: Store, initial: Record<string, string | number | boolean>) {
    this.#store = store;
    for (const [key, value] of Object.entries(initial)) {
      const dot = key.indexOf('.');
      this.#initial.set(keyOf(key.slice(0, dot), key.slice(dot + 1)), String(value));
    }
  }

  string(component: string, variable: string, scope?: VariableScope): string | undefined {
    const key = keyOf(component, variable, scope);
    return this.#store.get<string>(NAMESPACE, key) ?? this.#initial.get(key);
  }

  int(component: string, variable: string, scope?: VariableScope): number | undefined {
    const v = this.string(component, variable, scope);
    const n = v === undefined ? NaN : Number(v);
    return Number.isInteger(n) ? n : undefined;
  }

  bool(component: string, variable: string, scope?: VariableScope): boolean | undefined {
    const v = this.string(component, variable, scope)?.toLowerCase();
    return v === 'true' ? true : v === 'false' ? false : undefined;
  }

  set(component: string, variable: string, value: string, scope?: VariableScope): void {
    this.#store.put(NAMESPACE, keyOf(component, variable, scope), value);
  }
}
