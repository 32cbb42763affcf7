// A device-model edition reduced to comparable data: names, data types, units, required flags and instances as the
// CSVs give them, in file order (the rename heuristic uses positions), and prose only as a hash. Derived data:
// it may be stored in spec/digest/, the CSVs themselves may not.
import { sha256 } from '../emit.js';
import { splitUnits } from '../device-model/catalogue.js';
import type {
  ComponentRow,
  ComponentVariableRow,
  DeviceModelEdition,
  ListRow,
  VariableRow,
} from '../device-model/edition.js';

// The rows as edition.ts reads them, without line numbers; `description` holds proseHash() of the text.
export type DmComponentDigest = Omit<ComponentRow, 'line'>;
export type DmVariableDigest = Omit<VariableRow, 'line'>;
export type DmComponentVariableDigest = Omit<ComponentVariableRow, 'line'>;
export type DmListEntryDigest = Omit<ListRow, 'line'>;

export interface DeviceModelDigest {
  files: string[];
  components: DmComponentDigest[];
  variables: DmVariableDigest[];
  componentVariables: DmComponentVariableDigest[];
  lists: Record<string, DmListEntryDigest[]>;
}

/** Prose compared by hash; whitespace runs are not content. */
export function proseHash(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat === '' ? '' : sha256(flat).slice(0, 12);
}

/** `W,kW` and `W, kW` are the same unit list. */
const unitCell = (u: string) => splitUnits(u).join(', ');

export function digestDeviceModel(e: DeviceModelEdition): DeviceModelDigest {
  const lists: Record<string, DmListEntryDigest[]> = {};
  for (const file of Object.keys(e.lists).sort()) {
    lists[file] = e.lists[file]!.map((r) => ({
      key: r.key,
      ...(r.group !== undefined ? { group: r.group } : {}),
      props: r.props,
      description: proseHash(r.description),
    }));
  }
  return {
    files: e.files,
    components: e.components.map((c) => ({ name: c.name, description: proseHash(c.description) })),
    variables: e.variables.map((v) => ({
      name: v.name,
      dataType: v.dataType,
      unit: unitCell(v.unit),
      description: proseHash(v.description),
    })),
    componentVariables: e.componentVariables.map((r) => ({
      component: r.component,
      variable: r.variable,
      instance: r.instance,
      required: r.required,
      dataType: r.dataType,
      unit: unitCell(r.unit),
      description: proseHash(r.description),
    })),
    lists,
  };
}
