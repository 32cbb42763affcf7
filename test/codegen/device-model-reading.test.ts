// Reading appendix CSVs and building the catalogue, on small hand-made editions: encodings, quoting, instance
// lists, malformed rows (reported and kept), and the rename heuristic of the device-model drift report.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeLines, parseCsv } from '../../codegen/device-model/csv.js';
import { buildCatalogue, parseInstances } from '../../codegen/device-model/catalogue.js';
import { readDeviceModelEdition } from '../../codegen/device-model/edition.js';
import { digestDeviceModel } from '../../codegen/drift/dm-digest.js';
import { diffDeviceModels } from '../../codegen/drift/dm-diff.js';
import { findRenames, nameSimilarity } from '../../codegen/drift/renames.js';

const dirs: string[] = [];
test.after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function edition(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-dm-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const COMPONENTS =
  'Component ; Description\nTxCtrlr; Transactions.\nOCPPCommCtrlr;Communication.\nConnectedEV;The EV.\n';
const VARIABLES =
  'Name ; DataType ; Unit ; Description\nVehicleId;string;;Id of the EV.\nPower;decimal;W ; Power.\nTimeout;decimal;s;One.\nTimeout;integer;s;Two.\n';
const HEADER = 'Specific Component;Variable;Instance;Required?;DataType;Unit;Description\n';

test('a line that is not valid UTF-8 is decoded as Windows-1252, other lines stay UTF-8, and a warning names the lines', () => {
  const bytes = Buffer.concat([
    Buffer.from('a;caf\u00e9 \u2019ok\u2019\n', 'utf8'),
    Buffer.from([0x62, 0x3b, 0x93, 0x71, 0x94, 0x9d, 0x0a]),
  ]);
  const r = decodeLines(bytes, 'x.csv');
  assert.is(r.text, 'a;caf\u00e9 \u2019ok\u2019\nb;\u201cq\u201d\u009d\n');
  assert.is(r.encoding, 'utf-8+windows-1252');
  assert.equal(r.warnings, [
    'x.csv: not valid UTF-8; line 2 decoded as Windows-1252 (0x9D on line 2 is undefined there and kept as U+009D)',
  ]);
});

test('quoted cells may hold ";", doubled quotes and line breaks; headers and cells are trimmed; CRLF and blank lines are harmless', () => {
  const t = parseCsv(Buffer.from(' Name ; Text \r\nA ;"x; ""y""\r\nz" \r\n\r\nB;plain\r\n'), 't.csv');
  assert.equal(t.header, ['Name', 'Text']);
  assert.equal(t.records, [
    { line: 2, cells: ['A', 'x; "y"\nz'] },
    { line: 5, cells: ['B', 'plain'] },
  ]);
  assert.equal(t.warnings, []);
});

test('instances: a name, a placeholder standing for any name, and a list with a range', () => {
  assert.equal(parseInstances('GetReport'), [{ instance: 'GetReport' }]);
  assert.equal(parseInstances('<vendorId>'), [{ instance: '<vendorId>', anyInstance: true }]);
  assert.equal(
    parseInstances('1, 2 .. 4').valueOf(),
    ['1', '2', '3', '4'].map((instance) => ({ instance })),
  );
  assert.equal(parseInstances('5 .. 2'), { error: 'instance range "5 .. 2" is empty or too large' });
});

test('malformed rows are reported and kept under their literal names, marked with their issue', () => {
  const dir = edition({
    'components.csv': COMPONENTS,
    'variables.csv': VARIABLES,
    'dm_components_vars.csv':
      HEADER +
      '<generic>;Power;;no;decimal;W, kW;Power.\n' +
      '<generic>;VendorName;;no;string;;Vendor.\n' +
      'TxCtlrl;Resume;;no;integer;s;Misspelled component.\n' +
      'ConnectedEV;VehicleID;;V2X;string;;Case differs.\n' +
      'ConnectedEV;Departure;;no;DateTime;;Spelling.\n' +
      'OCPPCommCtrlr;Sign;;;;;Empty cells.\n' +
      'OCPPCommCtrlr;MessageTimeout;Default;yes;integer;s;Instance.\n' +
      'OCPPCommCtrlr;MessageTimeout;Default;yes;integer;s;Twice.\n' +
      'OCPPCommCtrlr;Power;;no;integer;%;Type and unit differ.\n',
    'units_of_measure.csv': 'Value;Description\nW;Watt\nkW;kW\ns;Seconds\n',
    'security_events.csv':
      'Security Event;Description;Critical\nFirmwareUpdated;Updated;Yes\nSettingSystemTime;Time;No\n',
    'reason_codes.csv':
      'Group;Reason code;Description;Typically used for\nFirst;;;\n;CodeA;A.;X\nSecond;;;\n;CodeB;B.;Y\n',
  });
  const cat = buildCatalogue(readDeviceModelEdition(dir, 'dm'));
  assert.equal(
    cat.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`),
    [
      'variables.csv:5: duplicate variable "Timeout" (first on line 4: decimal s; here: integer s)',
      'dm_components_vars.csv:3: <generic>/VendorName: generic variable "VendorName" is not in variables.csv',
      'dm_components_vars.csv:4: TxCtlrl/Resume: component "TxCtlrl" is not in components.csv (did you mean TxCtrlr?); kept under this name',
      'dm_components_vars.csv:5: ConnectedEV/VehicleID: variable "VehicleID" differs only in case from variables.csv "VehicleId"',
      'dm_components_vars.csv:6: ConnectedEV/Departure: DataType "DateTime" is not the spec spelling; read as "dateTime"',
      'dm_components_vars.csv:7: OCPPCommCtrlr/Sign: Required? is empty; read as "no"',
      'dm_components_vars.csv:7: OCPPCommCtrlr/Sign: DataType is empty',
      'dm_components_vars.csv:9: OCPPCommCtrlr/MessageTimeout[Default]: duplicate row (first on line 8)',
      'dm_components_vars.csv:10: OCPPCommCtrlr/Power: DataType "integer" differs from variables.csv ("decimal"); the component\'s row is used',
      'dm_components_vars.csv:10: OCPPCommCtrlr/Power: unit "%" is not in units_of_measure.csv (variables.csv has "W")',
    ],
  );
  assert.equal(cat.components.TxCtlrl, {
    listed: false,
    summary: '',
    issues: ['not in components.csv; did you mean TxCtrlr?'],
    variables: { Resume: { dataType: 'integer', units: ['s'], required: false, summary: 'Misspelled component.' } },
  });
  assert.equal(cat.components.ConnectedEV?.variables.VehicleID?.requiredWhen, 'V2X');
  assert.equal(cat.components.ConnectedEV?.variables.Departure?.dataType, 'dateTime');
  assert.equal(cat.genericVariables.Power?.units, ['W', 'kW']);
  assert.equal(cat.components.OCPPCommCtrlr?.variables.Sign?.issues, ['Required? empty', 'DataType empty']);
  assert.equal(cat.securityEvents, { FirmwareUpdated: { critical: true }, SettingSystemTime: { critical: false } });
  assert.equal(cat.reasonCodes, ['CodeA', 'CodeB']);
  assert.equal(cat.standardizedVariables.Timeout?.issues, ['duplicate in variables.csv (also integer s)']);
});

test('rename similarity: punctuation and case ignored, prefix, bigrams; unrelated names do not pair', () => {
  assert.is(nameSimilarity('ACCurrent.min/maxSet', 'ACCurrent(Min/MaxSet)'), 1);
  assert.is(nameSimilarity('StateOfCharge.actual', 'StateOfCharge'), 0.9);
  assert.ok(nameSimilarity('HeartbeatInterval', 'OfflineThreshold') < 0.75);
  // Same score: the closer row wins; each row pairs at most once; different groups never pair.
  const removed = [
    { group: 'g', name: 'StateOfCharge.maxSet', position: 10 },
    { group: 'g', name: 'StateOfCharge.actual', position: 11 },
    { group: 'h', name: 'Power.maxSet', position: 12 },
  ];
  const added = [
    { group: 'g', name: 'StateOfCharge(MaxSet)', position: 10 },
    { group: 'g', name: 'StateOfCharge', position: 11 },
    { group: 'g', name: 'Power(MaxSet)', position: 12 },
  ];
  assert.equal(findRenames(removed, added), [
    [0, 0],
    [1, 1],
  ]);
});

test('device-model diff: components, renamed and changed rows, duplicate definitions and value lists', () => {
  const a = edition({
    'components.csv': COMPONENTS,
    'variables.csv': VARIABLES,
    'dm_components_vars.csv':
      HEADER +
      'ConnectedEV;Power.maxSet;;no;decimal;W;Max.\nTxCtrlr;StopTx;;yes;boolean;;Stop.\nTxCtrlr;Gone;;no;string;;Gone.\n',
    'reason_codes.csv': 'Reason Code;Description\nOld;Old.\nKept;Kept.\n',
  });
  const b = edition({
    'components.csv': COMPONENTS + 'PaymentCtrlr;Payments.\n',
    'variables.csv': VARIABLES.replace('Timeout;integer;s;Two.\n', ''),
    'dm_components_vars.csv':
      HEADER +
      'ConnectedEV;Power(MaxSet);;no;decimal;W;Max.\nTxCtrlr;StopTx;;no;boolean;;Stop, reworded.\nTxCtlrl;New;;no;integer;s;New.\n',
    'reason_codes.csv': 'Reason Code;Description\nKept;Kept.\nNew;New.\n',
    'extra.csv': 'Value;Description\nx;y\n',
  });
  const changes = diffDeviceModels(
    digestDeviceModel(readDeviceModelEdition(a)),
    digestDeviceModel(readDeviceModelEdition(b)),
  );
  assert.equal(changes, [
    { kind: 'file-added', file: 'extra.csv' },
    { kind: 'component-added', component: 'PaymentCtrlr' },
    { kind: 'variable-renamed', component: 'ConnectedEV', instance: '', from: 'Power.maxSet', to: 'Power(MaxSet)' },
    {
      kind: 'variable-removed',
      component: 'TxCtrlr',
      variable: 'Gone',
      instance: '',
      required: 'no',
      dataType: 'string',
      unit: '',
    },
    {
      kind: 'variable-added',
      component: 'TxCtlrl',
      variable: 'New',
      instance: '',
      required: 'no',
      dataType: 'integer',
      unit: 's',
      unlistedComponent: true,
    },
    {
      kind: 'variable-changed',
      component: 'TxCtrlr',
      variable: 'StopTx',
      instance: '',
      property: 'required',
      from: 'yes',
      to: 'no',
    },
    { kind: 'variable-description-changed', component: 'TxCtrlr', variable: 'StopTx', instance: '' },
    { kind: 'definition-removed', variable: 'Timeout', dataType: 'integer', unit: 's', duplicate: true },
    { kind: 'value-removed', file: 'reason_codes.csv', value: 'Old' },
    { kind: 'value-added', file: 'reason_codes.csv', value: 'New' },
  ]);
});

test.run();
