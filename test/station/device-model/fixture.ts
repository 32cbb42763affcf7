// Shared setup for the device-model tests: a station with two EVSEs (one AC connector; one DC EVSE with two
// connectors), the integrator values the start-up check requires, a real SQLite store, a fixed clock, and schema
// validation of every message the model produces with the generated validators of the version.
import * as assert from 'uvu/assert';
import * as v201 from '../../../generated/v201/index.js';
import * as v21 from '../../../generated/v21/index.js';
import { DeviceModel, type DeviceModelOptions } from '../../../runtime/station/device-model/index.js';
import type {
  ComponentConfig,
  DeviceModelConfig,
  DeviceModelVersion,
  StationLayout,
} from '../../../runtime/station/device-model/index.js';
import { openSqliteStore, type Store } from '../../../runtime/store/index.js';

export const VERSIONS: readonly DeviceModelVersion[] = ['ocpp2.0.1', 'ocpp2.1'];

export const LAYOUT: StationLayout = {
  supplyPhases: 3,
  evses: [
    { id: 1, maxPower: 22000, connectors: [{ id: 1, type: 'cType2' }] },
    {
      id: 2,
      maxPower: 50000,
      supplyPhases: 0,
      connectors: [
        { id: 1, type: 'cCCS2' },
        { id: 2, type: 'cG105' },
      ],
    },
  ],
};

/** What ocppkit cannot default: the CSO's organization and the security profile the station connects with. */
export const SECURITY: ComponentConfig = {
  name: 'SecurityCtrlr',
  variables: [
    { name: 'OrganizationName', value: 'ACME Charging' },
    { name: 'SecurityProfile', value: 1 },
  ],
};

export const NOW = new Date('2025-03-01T12:00:00.000Z');

/** The configuration with SECURITY's variables added (into the configuration's own SecurityCtrlr entry, if any). */
export function withSecurity(config: DeviceModelConfig = {}): DeviceModelConfig {
  const components = config.components ?? [];
  const own = components.find((c) => c.name === 'SecurityCtrlr' && !c.instance && !c.evse);
  if (!own) return { ...config, components: [SECURITY, ...components] };
  const names = new Set((own.variables ?? []).map((v) => v.name));
  const merged = {
    ...own,
    variables: [...(SECURITY.variables ?? []).filter((v) => !names.has(v.name)), ...(own.variables ?? [])],
  };
  return { ...config, components: components.map((c) => (c === own ? merged : c)) };
}

export interface Fixture {
  model: DeviceModel;
  store: Store;
}

/** A model on an in-memory SQLite store (tests of persistence open a file themselves). */
export function makeModel(over: Partial<DeviceModelOptions> & { components?: ComponentConfig[] } = {}): Fixture {
  const store = (over.store as Store | undefined) ?? openSqliteStore(':memory:');
  const { components, ...rest } = over;
  const model = new DeviceModel({
    version: 'ocpp2.0.1',
    layout: LAYOUT,
    clock: () => NOW,
    ...rest,
    store,
    config: withSecurity({
      ...(over.config ?? {}),
      components: [...(over.config?.components ?? []), ...(components ?? [])],
    }),
  });
  return { model, store };
}

/** A GetVariableData / SetVariableData item. */
export function item<E extends { attributeType?: 'Actual' | 'Target' | 'MinSet' | 'MaxSet'; attributeValue?: string }>(
  component: string | { name: string; instance?: string; evse?: { id: number; connectorId?: number } },
  variable: string | { name: string; instance?: string },
  extra?: E,
) {
  return {
    component: typeof component === 'string' ? { name: component } : component,
    variable: typeof variable === 'string' ? { name: variable } : variable,
    ...(extra ?? ({} as E)),
  };
}

type AnyAction = Parameters<typeof v201.validateRequest>[0] & Parameters<typeof v21.validateRequest>[0];

/** Asserts that `payload` is a valid request of `action` in `version` (what the schemas would let the peer accept). */
export function assertValidRequest(version: DeviceModelVersion, action: AnyAction, payload: unknown): void {
  const r = version === 'ocpp2.0.1' ? v201.validateRequest(action, payload) : v21.validateRequest(action, payload);
  if (!r.ok) assert.unreachable(`${version} ${action}Request invalid: ${r.error.path} ${r.error.message}`);
}

/** Asserts that `payload` is a valid response to `action` in `version`. */
export function assertValidResponse(
  version: DeviceModelVersion,
  action: 'GetVariables' | 'SetVariables' | 'GetBaseReport' | 'GetReport',
  payload: unknown,
): void {
  const r = version === 'ocpp2.0.1' ? v201.validateResponse(action, payload) : v21.validateResponse(action, payload);
  if (!r.ok) assert.unreachable(`${version} ${action}Response invalid: ${r.error.path} ${r.error.message}`);
}

/** Unwraps a RequestOutcome that must be a response. */
export function ok<R>(
  outcome: { ok: true; response: R } | { ok: false; callError: { code: string; description: string } },
): R {
  if (!outcome.ok)
    throw new Error(`expected a response, got CALLERROR ${outcome.callError.code}: ${outcome.callError.description}`);
  return outcome.response;
}
