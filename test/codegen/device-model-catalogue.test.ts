// @requires-spec
// The device-model catalogues of 2.0.1 and 2.1 built from the OCA appendix CSVs: what the station runtime looks up
// (data type, units, required, instances), the malformed OCA rows reported exactly, and the emitted module
// compiling under strict TypeScript with the unions a caller relies on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { header } from '../../codegen/emit.js';
import { deviceModelCatalogue, deviceModelEmitter } from '../../codegen/device-model/emitter.js';
import { readDeviceModelEdition } from '../../codegen/device-model/edition.js';
import { typecheck } from './typecheck.js';

const root = resolve(import.meta.dirname, '../..');
const spec = resolve(root, process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');
const warningsOf = (v: 'v201' | 'v21') =>
  deviceModelCatalogue(spec, v).catalogue.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`);

test('2.0.1 appendix v1.4: exactly these rows are reported', () => {
  assert.equal(warningsOf('v201'), [
    'variables.csv:11: ChargeProtocol: DataType is empty',
    'dm_components_vars.csv:67: <generic>/VendorName: generic variable "VendorName" is not in variables.csv',
    'dm_components_vars.csv:116: ConnectedEV/VehicleID: variable "VehicleID" differs only in case from variables.csv "VehicleId"',
    'dm_components_vars.csv:120: Connector/ConnectorType: DataType "string" differs from variables.csv ("OptionList"); the component\'s row is used',
    'dm_components_vars.csv:124: CustomizationCtrlr/CustomImplementationEnabled[<vendorId>]: component "CustomizationCtrlr" is not in components.csv; kept under this name',
  ]);
});

test('2.1 appendix v2.1: exactly these rows are reported, TxCtlrl (sic) among them', () => {
  const typeDiffers = (line: number, at: string, ours: string, theirs: string) =>
    `dm_components_vars.csv:${line}: ${at}: DataType "${ours}" differs from variables.csv ("${theirs}"); the component's row is used`;
  const spelling = (file: string, line: number, at: string) =>
    `${file}:${line}: ${at}: DataType "DateTime" is not the spec spelling; read as "dateTime"`;
  const unit = (line: number, at: string, u: string, theirs?: string) =>
    `dm_components_vars.csv:${line}: ${at}: unit "${u}" is not in units_of_measure.csv${theirs ? ` (variables.csv has "${theirs}")` : ''}`;
  const unlisted = (line: number, at: string, c: string, hint = '') =>
    `dm_components_vars.csv:${line}: ${at}: component "${c}" is not in components.csv${hint}; kept under this name`;
  assert.equal(warningsOf('v21'), [
    spelling('variables.csv', 71, 'ExternalConfigChangeDate'),
    spelling('variables.csv', 128, 'NextTimeOffsetTransitionDateTime'),
    'variables.csv:218: duplicate variable "Timeout" (first on line 217: decimal s; here: integer s)',
    typeDiffers(49, '<generic>/PhaseRotation', 'OptionList', 'string'),
    'dm_components_vars.csv:67: <generic>/VendorName: generic variable "VendorName" is not in variables.csv',
    'dm_components_vars.csv:126: ConnectedEV/VehicleID: variable "VehicleID" differs only in case from variables.csv "VehicleId"',
    spelling('dm_components_vars.csv', 142, 'ConnectedEV/DepartureTime'),
    typeDiffers(145, 'ConnectedEV/StateOfChargeBulk', 'integer', 'decimal'),
    unit(145, 'ConnectedEV/StateOfChargeBulk', '%', 'Percent'),
    unit(146, 'ConnectedEV/StateOfCharge(MaxSet)', '%'),
    typeDiffers(147, 'ConnectedEV/StateOfCharge', 'integer', 'decimal'),
    unit(147, 'ConnectedEV/StateOfCharge', '%', 'Percent'),
    typeDiffers(154, 'Connector/ConnectorType', 'string', 'OptionList'),
    typeDiffers(203, 'ISO15118Ctrlr/CertificateStatusSource', 'MemberList', 'string'),
    typeDiffers(230, 'OCPPCommCtrlr/ActiveNetworkProfile', 'string', 'boolean'),
    typeDiffers(236, 'OCPPCommCtrlr/NetworkConfigurationPriority', 'string', 'SequenceList'),
    typeDiffers(239, 'OCPPCommCtrlr/PublicKeyWithSignedMeterValue', 'OptionList', 'boolean'),
    spelling('dm_components_vars.csv', 248, 'OCPPCommCtrlr/ExternalConfigChangeDate'),
    'dm_components_vars.csv:255: SampledDataCtrlr/SignStartedReadings: Required? is empty; read as "no"',
    'dm_components_vars.csv:255: SampledDataCtrlr/SignStartedReadings: DataType is empty; taken from variables.csv ("boolean")',
    'dm_components_vars.csv:256: SampledDataCtrlr/SignUpdatedReadings: Required? is empty; read as "no"',
    'dm_components_vars.csv:256: SampledDataCtrlr/SignUpdatedReadings: DataType is empty; taken from variables.csv ("boolean")',
    typeDiffers(285, 'SmartChargingCtrlr/RateUnit', 'MemberList', 'string'),
    unlisted(324, 'TxCtlrl/EnergyTransferResumptionRandomRange', 'TxCtlrl', ' (did you mean TxCtrlr?)'),
    typeDiffers(330, 'V2XChargingCtrlr/LocalFrequencyUpdateThreshold', 'boolean', 'integer'),
    unlisted(340, 'FrequencySimulator/Enabled', 'FrequencySimulator'),
    spelling('dm_components_vars.csv', 341, 'FrequencySimulator/DateTime[Start]'),
    spelling('dm_components_vars.csv', 342, 'FrequencySimulator/DateTime[End]'),
    unlisted(344, 'DataCollector/Enabled', 'DataCollector'),
    spelling('dm_components_vars.csv', 345, 'DataCollector/DateTime[Start]'),
    spelling('dm_components_vars.csv', 346, 'DataCollector/DateTime[End]'),
    unit(356, 'DCDERCtrlr/MaxVar', 'Var'),
    unit(357, 'DCDERCtrlr/MaxVarNeg', 'Var'),
    'dm_components_vars.csv:373: BatterySwapCtrlr/TargetSoC: variable "TargetSoC" differs only in case from variables.csv "TargetSoc"',
    unit(373, 'BatterySwapCtrlr/TargetSoC', '%', 'Percent'),
    unit(374, 'BatterySwapCtrlr/MaxSoc', '%'),
    unit(378, 'BatteryCartridge/SoC', '%', 'Percent'),
    unit(379, 'BatteryCartridge/SoH', '%', 'Percent'),
    typeDiffers(438, 'WebPaymentsCtrlr/Length', 'integer', 'decimal'),
  ]);
});

test('the catalogue holds every component and row of the CSVs (73 + 1 and 82 + 3 unlisted components), malformed ones under their literal names', () => {
  const v201 = deviceModelCatalogue(spec, 'v201').catalogue;
  const v21 = deviceModelCatalogue(spec, 'v21').catalogue;
  // No row is dropped: each row of dm_components_vars.csv is found in the catalogue, with its instance.
  for (const [v, cat] of [
    ['ocpp2.0.1', v201],
    ['ocpp2.1', v21],
  ] as const) {
    const rows = readDeviceModelEdition(join(spec, 'device-model', v)).componentVariables;
    assert.is(rows.length, v === 'ocpp2.0.1' ? 249 : 438);
    const missing = rows.filter((r) => {
      const entry =
        r.component === '<generic>'
          ? cat.genericVariables[r.variable]
          : cat.components[r.component]?.variables[r.variable];
      const first = r.instance.split(',')[0]!.trim();
      return !entry || (r.instance !== '' && !entry.instances?.some((i) => i.instance === first));
    });
    assert.equal(missing, [], v);
  }
  assert.is(Object.keys(v201.components).length, 74);
  assert.is(Object.keys(v21.components).length, 85);
  assert.equal(
    Object.entries(v21.components)
      .filter(([, c]) => !c.listed)
      .map(([n]) => n),
    ['TxCtlrl', 'FrequencySimulator', 'DataCollector'],
  );
  assert.equal(v21.components.TxCtlrl!.variables.EnergyTransferResumptionRandomRange, {
    dataType: 'integer',
    units: ['s'],
    required: false,
    summary: 'Maximum length of random time to delay resumption of energy transfer after…',
  });
});

test('what the runtime looks up: data type, units, required per instance, instance lists, placeholders, conditions', () => {
  const c = deviceModelCatalogue(spec, 'v21').catalogue;
  const tx = c.components.TxCtrlr!.variables;
  assert.equal([tx.TxStartPoint!.dataType, tx.TxStartPoint!.required], ['MemberList', true]);
  assert.equal(c.components.EVSE!.variables.Power!.units, ['W', 'kW']);
  assert.equal(c.components.MonitoringCtrlr!.variables.ItemsPerMessage!.instances, [
    { instance: 'ClearVariableMonitoring', required: false },
    { instance: 'SetVariableMonitoring', required: true },
  ]);
  assert.equal(
    c.components.ISO15118Ctrlr!.variables.ProtocolSupported!.instances!.map((i) => i.instance),
    Array.from({ length: 20 }, (_, i) => String(i + 1)),
  );
  assert.equal(c.components.CustomizationCtrlr!.variables.CustomImplementationEnabled!.instances, [
    { instance: '<vendorId>', anyInstance: true, required: false },
  ]);
  assert.equal(c.components.ConnectedEV!.variables.VehicleCertificate!.requiredWhen, 'V2X');
  assert.is(c.components.SecurityCtrlr!.variables.BasicAuthPassword!.dataType, 'passwordString');
  assert.is(c.genericVariables.ACCurrent!.dataType, 'decimal');
  // The critical flag decides which events are sent to the CSMS (A04.FR.01) and which are only logged (A04.FR.04).
  assert.equal(
    [c.securityEvents.FirmwareUpdated, c.securityEvents.FailedToAuthenticateAtCsms],
    [{ critical: true }, { critical: false }],
  );
  assert.is(Object.keys(c.securityEvents).length, 21);
  assert.is(c.reasonCodes.length, 62);
  assert.ok(c.unitsOfMeasure.includes('Percent') && c.unitsOfMeasure.length === 34);
  assert.equal(Object.keys(c.valueLists).length, 8);
  assert.ok(c.valueLists['connectorenumtype.csv']!.includes('cCCS2'));
});

test('issue 19: the OCA quirks are one line per version on stderr (each one with verbose), and listed in sourceWarnings', async () => {
  const captured = async (verbose: boolean) => {
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => (lines.push(...chunk.split('\n').filter(Boolean)), true)) as never;
    try {
      await deviceModelEmitter.emit({ specDir: spec, verbose });
    } finally {
      process.stderr.write = write;
    }
    return lines;
  };
  const n201 = warningsOf('v201').length;
  const n21 = warningsOf('v21').length;
  assert.ok(n201 + n21 > 2, `the OCA inputs have quirks (${n201} + ${n21})`);
  assert.equal(await captured(false), [
    `ocppkit-codegen: device-model ocpp2.0.1: ${n201} quirks in the OCA's CSV files, kept as written and listed in sourceWarnings of v201/device-model.ts (--verbose prints them)`,
    `ocppkit-codegen: device-model ocpp2.1: ${n21} quirks in the OCA's CSV files, kept as written and listed in sourceWarnings of v21/device-model.ts (--verbose prints them)`,
  ]);
  const verbose = await captured(true);
  assert.is(verbose.length, n201 + n21);
  assert.ok(verbose.every((l) => /^ocppkit-codegen: device-model ocpp2\.(0\.1|1): warning: \S+\.csv:\d+: /.test(l)));
});

test('the emitted modules compile under strict TypeScript, type the names, and hold the data; emitting twice gives the same bytes', async () => {
  const files = await deviceModelEmitter.emit({ specDir: spec });
  assert.equal(
    files.map((f) => [f.path, f.format, f.inputs.length]),
    [
      ['v201/device-model.ts', 'typescript', 6],
      ['v21/device-model.ts', 'typescript', 14],
    ],
  );
  assert.equal(
    (await deviceModelEmitter.emit({ specDir: spec })).map((f) => f.content),
    files.map((f) => f.content),
  );
  // Every input names an existing file (the header hashes them).
  for (const f of files)
    assert.match(
      header(spec, f.inputs),
      /^\/\/ Code generated by ocppkit-codegen from device-model\/ocpp2\.[0-9.]+\/ \(\d+ files\) \(sha256:[0-9a-f]{64}\)\. DO NOT EDIT\.$/,
    );

  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-dm-ts-'));
  try {
    writeFileSync(join(dir, 'v201.ts'), files[0]!.content);
    writeFileSync(join(dir, 'v21.ts'), files[1]!.content);
    writeFileSync(
      join(dir, 'use.ts'),
      `import { components, genericVariables, securityEvents, type ComponentName, type VariableName, type SecurityEventType, type ReasonCode } from './v21.js';
const c: ComponentName = 'TxCtrlr';
const v: VariableName = 'TxStartPoint';
const e: SecurityEventType = 'FirmwareUpdated';
const r: ReasonCode = 'InvalidProfile';
// @ts-expect-error not a component
const bad: ComponentName = 'NoSuchCtrlr';
// @ts-expect-error not a variable of any component
const badV: VariableName = 'NoSuchVariable';
const t: 'MemberList' = components.TxCtrlr.variables.TxStartPoint.dataType;
const critical: true = securityEvents.FirmwareUpdated.critical;
const lookup = (comp: string, variable: string) =>
  (components as Record<string, { variables: Record<string, { dataType: string | null }> }>)[comp]?.variables[variable] ?? (genericVariables as Record<string, { dataType: string | null }>)[variable];
export { c, v, e, r, bad, badV, t, critical, lookup };
`,
    );
    assert.equal(typecheck([join(dir, 'v201.ts'), join(dir, 'use.ts')]), []);
    // The data at run time, through tsx like any other module.
    const mod = (await import(pathToFileURL(join(dir, 'v21.ts')).href)) as {
      components: Record<string, { listed: boolean }>;
      sourceWarnings: string[];
    };
    assert.is(mod.components.TxCtlrl!.listed, false);
    assert.equal(mod.sourceWarnings, warningsOf('v21'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
