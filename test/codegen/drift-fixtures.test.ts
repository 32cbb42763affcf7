// @requires-spec
// `ocppkit-codegen diff` against the drift fixtures of OCPP_SPEC_DIR: it must report exactly the real differences
// the spec README lists ("Differences found between copies") — every one of them, and nothing else.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { diffDirs, runDiffCommand } from '../../codegen/drift/command.js';
import { digestSchemaDir } from '../../codegen/drift/schema-digest.js';

const root = resolve(import.meta.dirname, '../..');
const spec = resolve(root, process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');
const at = (p: string) => join(spec, p);

test('1.6 OCA 2019-12 → 2025-04: StopTransaction gains "Celsius" and its id changes; nothing else', () => {
  const r = diffDirs(at('drift/schemas-ocpp1.6-oca-2019-12'), at('schemas/ocpp1.6'));
  assert.equal(r.changes, [
    {
      kind: 'field-changed',
      action: 'StopTransaction',
      message: 'request',
      path: 'transactionData[].sampledValue[].unit',
      keyword: 'enum',
      added: ['Celsius'],
      removed: [],
    },
    {
      kind: 'meta-changed',
      action: 'StopTransaction',
      message: 'request',
      file: 'StopTransaction.json',
      key: 'id',
      from: 'urn:OCPP:1.6:2019:12:StopTransactionRequest',
      to: 'urn:OCPP:1.6:2025:04:StopTransactionRequest',
    },
  ]);
});

test('1.6 canonical → modified copy: MeterValues "Hertz" and minItems 1 twice, and the id of every core file removed', () => {
  const r = diffDirs(at('schemas/ocpp1.6'), at('drift/schemas-ocpp1.6-modified-copy'));
  const content = r.changes.filter((c) => c.kind !== 'meta-changed');
  assert.equal(content, [
    {
      kind: 'field-changed',
      action: 'MeterValues',
      message: 'request',
      path: 'meterValue',
      keyword: 'minItems',
      to: 1,
    },
    {
      kind: 'field-changed',
      action: 'MeterValues',
      message: 'request',
      path: 'meterValue[].sampledValue',
      keyword: 'minItems',
      to: 1,
    },
    {
      kind: 'field-changed',
      action: 'MeterValues',
      message: 'request',
      path: 'meterValue[].sampledValue[].unit',
      keyword: 'enum',
      added: ['Hertz'],
      removed: [],
    },
  ]);
  // Exactly the 56 draft-04 core files carry an `id`; every one of them loses it, nothing else changes in identification.
  const canonical = digestSchemaDir(at('schemas/ocpp1.6'));
  const withId = Object.entries(canonical.actions).flatMap(([action, d]) =>
    (['request', 'response'] as const)
      .filter((m) => d[m]?.meta.id !== undefined)
      .map((message) => ({
        kind: 'meta-changed',
        action,
        message,
        file: d[message]!.file,
        key: 'id',
        from: d[message]!.meta.id,
      })),
  );
  assert.is(withId.length, 56);
  assert.equal(
    r.changes.filter((c) => c.kind === 'meta-changed'),
    withId,
  );
});

test('2.0.1 canonical → modified copy: exiResponse maxLength 5600 → 7500; re-indentation is no change; the 128 missing $id are identification changes', () => {
  const r = diffDirs(at('schemas/ocpp2.0.1'), at('drift/schemas-ocpp2.0.1-modified-copy'));
  assert.equal(
    r.changes.filter((c) => c.kind !== 'meta-changed'),
    [
      {
        kind: 'field-changed',
        action: 'Get15118EVCertificate',
        message: 'response',
        path: 'exiResponse',
        keyword: 'maxLength',
        from: 5600,
        to: 7500,
      },
    ],
  );
  const meta = r.changes.filter((c) => c.kind === 'meta-changed');
  assert.is(meta.length, 128);
  assert.ok(
    meta.every(
      (c) =>
        c.kind === 'meta-changed' &&
        c.key === '$id' &&
        c.to === undefined &&
        c.from === `urn:OCPP:Cp:2:2020:3:${c.action}${c.message === 'request' ? 'Request' : 'Response'}`,
    ),
  );
});

test('2.1 appendix v2.0 → v2.1: 3 components, 12 ConnectedEV renames, the TxCtlrl row, and the other real differences', () => {
  const r = diffDirs(at('drift/device-model-ocpp2.1-v2.0'), at('device-model/ocpp2.1'));
  const renamed = (from: string, to: string) => ({
    kind: 'variable-renamed',
    component: 'ConnectedEV',
    instance: '',
    from,
    to,
  });
  const described = (component: string, variable: string, instance = '') => ({
    kind: 'variable-description-changed',
    component,
    variable,
    instance,
  });
  assert.equal(r.changes, [
    { kind: 'component-added', component: 'PaymentCtrlr' },
    { kind: 'component-added', component: 'BatteryCartridge' },
    { kind: 'component-added', component: 'NetworkConfiguration' },
    renamed('ACCurrent.min/maxSet', 'ACCurrent(Min/MaxSet)'),
    renamed('DCCurrent.min/maxSet', 'DCCurrent(Min/MaxSet)'),
    renamed('DCCurrent.target', 'DCCurrent(Target)'),
    renamed('DCVoltage.min/maxSet', 'DCVoltage(Min/MaxSet)'),
    renamed('DCVoltage.target', 'DCVoltage(Target)'),
    renamed('Power.maxSet', 'Power(MaxSet)'),
    renamed('DischargePower.maxSet', 'DischargePower(MaxSet)'),
    renamed('EnergyImport.maxSet', 'EnergyImport(MaxSet)'),
    renamed('EnergyImport.minSet', 'EnergyImport(MinSet)'),
    renamed('EnergyImport.target', 'EnergyImport(Target)'),
    renamed('StateOfCharge.maxSet', 'StateOfCharge(MaxSet)'),
    renamed('StateOfCharge.actual', 'StateOfCharge'),
    {
      kind: 'variable-added',
      component: 'TxCtlrl',
      variable: 'EnergyTransferResumptionRandomRange',
      instance: '',
      required: 'no',
      dataType: 'integer',
      unit: 's',
      unlistedComponent: true,
    },
    // Real prose edits (curly quotes and apostrophes dropped, a stray 0x9D byte fixed). The README counts 7: the
    // seventh, SetpointPriority, only moved line breaks inside a quoted cell, which is no change.
    described('<generic>', 'ACCurrent'),
    described('<generic>', 'Force'),
    described('<generic>', 'Power'),
    described('ClockCtrlr', 'TimeOffset'),
    described('ISO15118Ctrlr', 'ProtocolSupported', '1, 2 .. 20'),
    described('NetworkConfiguration', 'BasicAuthPassword'),
    { kind: 'definition-removed', variable: 'VehicleId', dataType: 'string', unit: '', duplicate: true },
    { kind: 'value-added', file: 'connectorenumtype.csv', value: 'bBatterySlot' },
    { kind: 'value-added', file: 'connectorenumtype.csv', value: 'OppCharge' },
    { kind: 'value-description-changed', file: 'connectorenumtype.csv', value: 'cNACS-CCS1' },
    { kind: 'value-description-changed', file: 'connectorenumtype.csv', value: 'cCCS1-NACS' },
    { kind: 'value-description-changed', file: 'connectorenumtype.csv', value: 'Pan' },
    ...[
      'InvalidOperationMode',
      'PhaseConflict',
      'PriorityNetworkConf',
      'InvalidConfSlot',
      'InvalidNetworkConf',
      'NoSecurityDowngrade',
    ].map((value) => ({
      kind: 'value-added',
      file: 'reason_codes.csv',
      value,
    })),
  ]);
  assert.equal(r.warnings, [
    `${at('drift/device-model-ocpp2.1-v2.0')}/dm_components_vars.csv: not valid UTF-8; lines 121, 208, 390 decoded as Windows-1252 (0x9D on line 121 is undefined there and kept as U+009D)`,
  ]);
});

test('the text report names each difference and groups the identification changes', async () => {
  let out = '';
  const code = await runDiffCommand(
    [at('schemas/ocpp2.0.1'), at('drift/schemas-ocpp2.0.1-modified-copy')],
    (s) => (out += s),
  );
  assert.is(code, 1);
  const lines = out.split('\n');
  assert.is(
    lines[0],
    `schema sets differ (A: ${at('schemas/ocpp2.0.1')}, B: ${at('drift/schemas-ocpp2.0.1-modified-copy')}): 1 content change, 128 identification changes`,
  );
  assert.equal(lines.slice(1, 5), [
    'Get15118EVCertificate response',
    '  exiResponse: maxLength 5600 → 7500',
    'identification (id, $id, $schema, title; not content):',
    '  $id removed from 128 messages: AuthorizeRequest, AuthorizeResponse, BootNotificationRequest,',
  ]);
});

test('the command line: exit 1 with differences (JSON on --json), 0 without, 2 on usage errors', async () => {
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'codegen/cli.ts'), 'diff', ...args], {
      cwd: root,
    })
      .then((r) => ({ code: 0, out: r.stdout, err: r.stderr }))
      .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }));
  const [differs, same, usage, mixed] = await Promise.all([
    run([at('drift/schemas-ocpp1.6-oca-2019-12'), at('schemas/ocpp1.6'), '--json']),
    run([at('device-model/ocpp2.0.1'), at('device-model/ocpp2.0.1')]),
    run([at('schemas/ocpp1.6')]),
    run([at('schemas/ocpp1.6'), at('device-model/ocpp2.1')]),
  ]);
  assert.is(differs.code, 1);
  assert.equal(
    JSON.parse(differs.out),
    JSON.parse(JSON.stringify(diffDirs(at('drift/schemas-ocpp1.6-oca-2019-12'), at('schemas/ocpp1.6')))),
  );
  assert.is(same.code, 0);
  assert.match(same.out, 'device-model editions: no differences');
  assert.is(usage.code, 2);
  assert.match(usage.err, 'usage: ocppkit-codegen diff <dirA> <dirB> [--json]');
  assert.is(mixed.code, 2);
  assert.match(mixed.err, 'cannot compare schemas');
});

test.run();
