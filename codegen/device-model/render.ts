// Renders a device-model catalogue as a TypeScript module of typed constants (generated/<v>/device-model.ts).
// Plain data, no helpers: the station runtime looks a variable up as
//   components[component]?.variables[variable] ?? genericVariables[variable]
// and gets its data type, units, required flag and instances.
import type { DeviceModelCatalogue, InstanceEntry, VariableEntry } from './catalogue.js';
import { DATA_TYPES, WIRE_DATA_TYPES } from './catalogue.js';

const ident = /^[A-Za-z_$][\w$]*$/;
const key = (k: string) => (ident.test(k) ? k : JSON.stringify(k));
const str = (s: string) => JSON.stringify(s);
const doc = (text: string, indent: string) => (text ? `${indent}/** ${text.replace(/\*\//g, '*\\/')} */\n` : '');
const union = (xs: readonly string[]) => xs.map(str).join(' | ');

/** Constant names of the value-list CSVs (2.1); an unknown file gets a camel-cased name of its own. */
const LIST_NAMES: Record<string, string> = {
  'connectorenumtype.csv': 'connectorTypes',
  'idtokenenumtype.csv': 'idTokenTypes',
  'paymentbrand.csv': 'paymentBrands',
  'paymentrecognition.csv': 'paymentRecognitions',
  'signingmethod.csv': 'signingMethods',
  'charginglimitsourceenumtype.csv': 'chargingLimitSources',
  'additional_info_types.csv': 'additionalInfoTypes',
  'additional_info_types_adhoc.csv': 'adhocAdditionalInfoTypes',
};
export function listConstName(file: string): string {
  return (
    LIST_NAMES[file] ?? file.replace(/\.csv$/i, '').replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase())
  );
}

function instance(i: InstanceEntry): string {
  const parts = [`instance: ${i.instance === null ? 'null' : str(i.instance)}`];
  if (i.anyInstance) parts.push('anyInstance: true');
  parts.push(`required: ${i.required}`);
  if (i.requiredWhen) parts.push(`requiredWhen: ${str(i.requiredWhen)}`);
  return `{ ${parts.join(', ')} }`;
}

function variable(name: string, v: VariableEntry, indent: string): string {
  const parts = [
    `dataType: ${v.dataType === null ? 'null' : str(v.dataType)}`,
    `units: [${v.units.map(str).join(', ')}]`,
    `required: ${v.required}`,
  ];
  if (v.requiredWhen) parts.push(`requiredWhen: ${str(v.requiredWhen)}`);
  if (v.instances) parts.push(`instances: [${v.instances.map(instance).join(', ')}]`);
  if (v.issues) parts.push(`issues: [${v.issues.map(str).join(', ')}]`);
  return `${doc(v.summary, indent)}${indent}${key(name)}: { ${parts.join(', ')} },\n`;
}

export function renderCatalogue(cat: DeviceModelCatalogue, about: { protocol: string; folder: string }): string {
  const out: string[] = [];
  out.push(`// Device model of ${about.protocol}: the standardized components and variables of the appendix CSVs in
// ${about.folder}, as typed constants. Summaries are the first sentence of the OCA description, shortened.
//
// What the CSVs do not give: a valuesList and a mutability. Both are characteristics the Charging Station declares
// itself (VariableCharacteristics.valuesList, mandatory for OptionList/MemberList/SequenceList; VariableAttribute.
// mutability), so the runtime takes them from the station's own configuration, not from this file.
//
// Rows the OCA files get wrong are kept under their literal names and carry \`issues\` (see \`sourceWarnings\`).

/** DataEnumType: what VariableCharacteristics.dataType carries on the wire. */
export type WireDataType = ${union(WIRE_DATA_TYPES)};
/** The appendix's data types: DataEnumType plus passwordString and identifierString, both sent as \`string\`. */
export type DataType = ${union(DATA_TYPES)};

export interface InstanceSpec {
  /** null: the variable without instance. */
  readonly instance: string | null;
  /** The CSV gives a placeholder such as \`<vendorId>\`: any instance name is standard. */
  readonly anyInstance?: true;
  readonly required: boolean;
  readonly requiredWhen?: string;
}

export interface VariableSpec {
  /** null only when neither CSV gives one (reported in sourceWarnings). */
  readonly dataType: DataType | null;
  /** Allowed units, e.g. ['W', 'kW']; empty when the variable has none. */
  readonly units: readonly string[];
  /** Required when the component is implemented (any instance required). */
  readonly required: boolean;
  /** The CSV states a condition instead of yes/no (2.1: \`V2X\`). */
  readonly requiredWhen?: string;
  /** Present when the CSV names instances. */
  readonly instances?: readonly InstanceSpec[];
  /** Problems of the OCA row this entry was made from. */
  readonly issues?: readonly string[];
}

export interface ComponentSpec {
  /** false: dm_components_vars.csv uses this name, components.csv does not list it. */
  readonly listed: boolean;
  readonly variables: { readonly [variable: string]: VariableSpec };
  readonly issues?: readonly string[];
}
`);

  out.push('\nexport const components = {\n');
  for (const [name, c] of Object.entries(cat.components)) {
    out.push(doc(c.summary, '  '));
    const vars = Object.entries(c.variables);
    const issues = c.issues ? ` issues: [${c.issues.map(str).join(', ')}],` : '';
    if (vars.length === 0) {
      out.push(`  ${key(name)}: { listed: ${c.listed},${issues} variables: {} },\n`);
      continue;
    }
    out.push(`  ${key(name)}: {\n    listed: ${c.listed},\n${issues ? `   ${issues}\n` : ''}    variables: {\n`);
    for (const [vn, v] of vars) out.push(variable(vn, v, '      '));
    out.push('    },\n  },\n');
  }
  out.push('} as const satisfies { readonly [component: string]: ComponentSpec };\n');
  out.push('export type ComponentName = keyof typeof components;\n');

  out.push(
    '\n/** Variables of the `<generic>` rows: they apply to any component. */\nexport const genericVariables = {\n',
  );
  for (const [vn, v] of Object.entries(cat.genericVariables)) out.push(variable(vn, v, '  '));
  out.push('} as const satisfies { readonly [variable: string]: VariableSpec };\n');
  out.push(
    "export type VariableName =\n  | { [C in ComponentName]: keyof (typeof components)[C]['variables'] }[ComponentName]\n  | keyof typeof genericVariables;\n",
  );

  out.push(
    '\n/** variables.csv: the standardized variables with their data type and units. */\nexport const standardizedVariables = {\n',
  );
  for (const [vn, v] of Object.entries(cat.standardizedVariables)) {
    const parts = [
      `dataType: ${v.dataType === null ? 'null' : str(v.dataType)}`,
      `units: [${v.units.map(str).join(', ')}]`,
    ];
    if (v.issues) parts.push(`issues: [${v.issues.map(str).join(', ')}]`);
    out.push(`  ${key(vn)}: { ${parts.join(', ')} },\n`);
  }
  out.push(
    "} as const satisfies { readonly [variable: string]: Pick<VariableSpec, 'dataType' | 'units' | 'issues'> };\n",
  );

  const list = (name: string, type: string, values: string[], what: string) =>
    out.push(
      `\n/** ${what} */\nexport const ${name} = [${values.map(str).join(', ')}] as const;\nexport type ${type} = (typeof ${name})[number];\n`,
    );
  list('reasonCodes', 'ReasonCode', cat.reasonCodes, 'reason_codes.csv: values for StatusInfoType.reasonCode.');
  out.push(
    '\n/** security_events.csv: SecurityEventNotification types. A `critical` event is sent to the CSMS (A04.FR.01), queued while offline (A04.FR.02); every event goes to the security log (A04.FR.04). */\n',
  );
  out.push(
    `export const securityEvents = {\n${Object.entries(cat.securityEvents)
      .map(([k, v]) => `  ${key(k)}: { critical: ${v.critical} },\n`)
      .join('')}} as const;\n`,
  );
  out.push('export type SecurityEventType = keyof typeof securityEvents;\n');
  list('unitsOfMeasure', 'UnitOfMeasure', cat.unitsOfMeasure, 'units_of_measure.csv: the units a variable may use.');
  for (const [file, values] of Object.entries(cat.valueLists)) {
    const name = listConstName(file);
    list(name, name[0]!.toUpperCase() + name.slice(1).replace(/s$/, ''), values, `${file}: known values.`);
  }

  out.push(
    '\n/** What the generator reported about the OCA rows (file:line: message). */\nexport const sourceWarnings: readonly string[] = [\n',
  );
  for (const w of cat.warnings) out.push(`  ${str(`${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`)},\n`);
  out.push('];\n');
  return out.join('');
}
