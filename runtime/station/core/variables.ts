// Device-model values as the use cases read and write them: a thin view over the DeviceModel of the version in use
// (runtime/station/device-model). The shorthand `variables` option (`{ 'OCPPCommCtrlr.HeartbeatInterval': 60 }`)
// becomes device-model configuration here.
import {
  DeviceModelError,
  type ComponentConfig,
  type DeviceModel,
  type DeviceModelConfig,
} from '../device-model/index.js';
import { isDmAddress, type DmComponent, type VariableOf } from '../device-model/keys.js';
import type { VariableChange } from '../device-model/types.js';
import type { BlockEvent, VariableReader, VariableScope } from './types.js';
import { messageOf } from '../../error-text.js';

export class ModelVariables implements VariableReader {
  readonly #model: () => DeviceModel;
  readonly #onProblem: (message: string) => void;

  constructor(model: () => DeviceModel, onProblem: (message: string) => void = () => {}) {
    this.#model = model;
    this.#onProblem = onProblem;
  }

  int<C extends DmComponent>(component: C, variable: VariableOf<C>, scope?: VariableScope): number | undefined {
    return this.#read(
      () => this.#model().getDecimal(componentRef(component, scope), variableRef(variable, scope)),
      (n) => (Number.isInteger(n) ? n : undefined),
    );
  }

  bool<C extends DmComponent>(component: C, variable: VariableOf<C>, scope?: VariableScope): boolean | undefined {
    return this.#read(
      () => this.#model().getBool(componentRef(component, scope), variableRef(variable, scope)),
      (b) => b,
    );
  }

  string<C extends DmComponent>(component: C, variable: VariableOf<C>, scope?: VariableScope): string | undefined {
    return this.#read(
      () => this.#model().getString(componentRef(component, scope), variableRef(variable, scope)),
      (s) => s,
    );
  }

  /** The members of a list variable (TxStartPoint, SampledDataTxUpdatedMeasurands, …). */
  list<C extends DmComponent>(component: C, variable: VariableOf<C>, scope?: VariableScope): string[] | undefined {
    return this.#read(
      () => this.#model().getList(componentRef(component, scope), variableRef(variable, scope)),
      (l) => l,
    );
  }

  /** A value the runtime owns (AvailabilityState, HeartbeatInterval from BootNotificationResponse, …). */
  set<C extends DmComponent>(component: C, variable: VariableOf<C>, value: string, scope?: VariableScope): void {
    const model = this.#model();
    const c = componentRef(component, scope);
    const v = variableRef(variable, scope);
    // A variable the integrator's model does not have (e.g. no Connector.AvailabilityState) is simply not kept.
    if (!model.has(c, v)) return;
    try {
      model.set(c, v, value);
    } catch (err) {
      this.#onProblem(`setting ${component}.${variable} to ${JSON.stringify(value)} failed: ${messageOf(err)}`);
    }
  }

  #read<T, R>(get: () => T | undefined, convert: (t: T) => R | undefined): R | undefined {
    try {
      const v = get();
      return v === undefined ? undefined : convert(v);
    } catch (err) {
      // Unknown variable, or read as the wrong type: the use case falls back to its default.
      if (err instanceof DeviceModelError) return undefined;
      throw err;
    }
  }
}

function componentRef(name: string, scope: VariableScope = {}) {
  if (scope.evseId === undefined) return name;
  return {
    name,
    evse: { id: scope.evseId, ...(scope.connectorId !== undefined ? { connectorId: scope.connectorId } : {}) },
  };
}

function variableRef(name: string, scope: VariableScope = {}) {
  return scope.instance === undefined ? name : { name, instance: scope.instance };
}

/**
 * The `variables.changed` event of one device-model change: under `changes` when ocppkit knows the variable by name
 * (use cases compare typed names), else under `unlisted` (a variable only the integrator's configuration names).
 */
export function variablesChanged(change: VariableChange): Extract<BlockEvent, { type: 'variables.changed' }> {
  const { component, variable } = change;
  const scope: VariableScope = {
    ...(component.evse
      ? {
          evseId: component.evse.id,
          ...(component.evse.connectorId !== undefined ? { connectorId: component.evse.connectorId } : {}),
        }
      : {}),
    ...(variable.instance ? { instance: variable.instance } : {}),
  };
  const address = { component: component.name, variable: variable.name };
  return isDmAddress(address)
    ? { type: 'variables.changed', changes: [{ ...address, ...scope }] }
    : { type: 'variables.changed', changes: [], unlisted: [{ ...address, ...scope }] };
}

/** `{ 'Component.Variable': value }` → device-model configuration, merged into `config`'s components. */
export function withShorthand(
  config: DeviceModelConfig | undefined,
  shorthand: Record<string, string | number | boolean> | undefined,
): DeviceModelConfig {
  const components: ComponentConfig[] = [...(config?.components ?? [])];
  for (const [key, value] of Object.entries(shorthand ?? {})) {
    const dot = key.indexOf('.');
    const name = key.slice(0, dot);
    const variable = key.slice(dot + 1);
    const i = components.findIndex((c) => c.name === name && c.instance === undefined && c.evse === undefined);
    if (i < 0) {
      components.push({ name, variables: [{ name: variable, value }] });
      continue;
    }
    // The shorthand sets the value only: what the configuration says of the variable otherwise (its valuesList, …) stays.
    const variables = components[i]!.variables ?? [];
    const same = variables.find((v) => v.name === variable && v.instance === undefined);
    components[i] = {
      ...components[i]!,
      variables: [...variables.filter((v) => v !== same), { ...same, name: variable, value }],
    };
  }
  return { ...config, components };
}

/**
 * Components the runtime contributes (e.g. the network-profile variables, EVSE.AllowReset), merged under the
 * integrator's configuration: a variable the integrator configures keeps every field it sets.
 */
export function withRuntimeDefaults(
  config: DeviceModelConfig | undefined,
  defaults: readonly ComponentConfig[],
): DeviceModelConfig {
  const components: ComponentConfig[] = [...(config?.components ?? [])];
  const sameComponent = (a: ComponentConfig, b: ComponentConfig) =>
    a.name.toLowerCase() === b.name.toLowerCase() &&
    a.instance === b.instance &&
    a.evse?.id === b.evse?.id &&
    a.evse?.connectorId === b.evse?.connectorId;
  const sameVariable = (a: { name: string; instance?: string }, b: { name: string; instance?: string }) =>
    a.name.toLowerCase() === b.name.toLowerCase() && a.instance === b.instance;
  for (const d of defaults) {
    const i = components.findIndex((c) => sameComponent(c, d));
    if (i < 0) {
      components.push(d);
      continue;
    }
    const theirs = components[i]!.variables ?? [];
    const ours = d.variables ?? [];
    components[i] = {
      ...components[i]!,
      variables: [
        ...ours.map((v) => ({ ...v, ...theirs.find((t) => sameVariable(t, v)) })),
        ...theirs.filter((t) => !ours.some((v) => sameVariable(t, v))),
      ],
    };
  }
  return { ...config, components };
}
