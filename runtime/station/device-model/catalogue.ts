// The standardized catalogue of each version (generated from the OCA's device-model CSVs), seen through one small
// interface: is a component standardized, what data type and units does a standardized variable have, which
// variables does the specification require when a component is present.
import * as v201 from '../../../generated/v201/device-model.js';
import * as v21 from '../../../generated/v21/device-model.js';
import type { DataType, DeviceModelVersion } from './types.js';

// The spec shapes are the same in both versions' generated modules.
type ComponentSpec = v21.ComponentSpec;
type VariableSpec = v21.VariableSpec;
interface CatalogueModule {
  readonly components: { readonly [component: string]: ComponentSpec };
  readonly genericVariables: { readonly [variable: string]: VariableSpec };
}

const MODULES: Record<DeviceModelVersion, CatalogueModule> = { 'ocpp2.0.1': v201, 'ocpp2.1': v21 };

/** A standardized variable as the catalogue knows it. */
export interface StandardVariable {
  /** The catalogue's spelling. */
  name: string;
  dataType: DataType | null;
  units: readonly string[];
}

/** A variable (with instance) the specification requires when its component is present. */
export interface RequiredVariable {
  name: string;
  instance?: string;
}

export class Catalogue {
  private readonly components = new Map<
    string,
    { name: string; spec: ComponentSpec; variables: Map<string, string> }
  >();
  private readonly generic = new Map<string, string>();
  private readonly module: CatalogueModule;

  constructor(readonly version: DeviceModelVersion) {
    this.module = MODULES[version];
    for (const [name, spec] of Object.entries(this.module.components)) {
      const variables = new Map(Object.keys(spec.variables).map((v) => [v.toLowerCase(), v]));
      this.components.set(name.toLowerCase(), { name, spec, variables });
    }
    for (const name of Object.keys(this.module.genericVariables)) this.generic.set(name.toLowerCase(), name);
  }

  /** The catalogue's spelling of a standardized component name, or undefined for a custom component. */
  componentName(name: string): string | undefined {
    return this.components.get(name.toLowerCase())?.name;
  }

  /**
   * A standardized variable of a component: one listed for the component, or a generic variable (the `<generic>`
   * rows apply to any component, standardized or not).
   */
  variable(component: string, name: string): StandardVariable | undefined {
    const c = this.components.get(component.toLowerCase());
    const own = c?.variables.get(name.toLowerCase());
    if (c && own) {
      const spec = c.spec.variables[own]!;
      return { name: own, dataType: spec.dataType, units: spec.units };
    }
    const generic = this.generic.get(name.toLowerCase());
    if (generic) {
      const spec = this.module.genericVariables[generic]!;
      return { name: generic, dataType: spec.dataType, units: spec.units };
    }
    return undefined;
  }

  /**
   * The variables the specification requires for a present component: `required` rows, per named instance when
   * the catalogue lists instances. Rows required only under a condition (2.1 `V2X`) and placeholder instances
   * (`<vendorId>`) are not required unconditionally.
   */
  requiredVariables(component: string): RequiredVariable[] {
    const c = this.components.get(component.toLowerCase());
    if (!c) return [];
    const out: RequiredVariable[] = [];
    for (const [name, spec] of Object.entries(c.spec.variables)) {
      if (spec.instances) {
        for (const i of spec.instances)
          if (i.required && !i.requiredWhen && !i.anyInstance && i.instance) out.push({ name, instance: i.instance });
      } else if (spec.required && !spec.requiredWhen) {
        out.push({ name });
      }
    }
    return out;
  }
}
