// @requires-spec
// The generator's gate on OCPP_SPEC_DIR: the canonical input matches spec/manifest.json; a copy with different
// files is refused with a report of what differs in content; `accept` records a new input on purpose.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkSpecInputs, digestPath } from '../../codegen/spec-inputs.js';

const root = resolve(import.meta.dirname, '../..');
const spec = resolve(root, process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');
const manifestPath = join(root, 'spec/manifest.json');
const temps: string[] = [];
test.after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

const FOLDERS = [
  'schemas/ocpp1.6',
  'schemas/ocpp2.0.1',
  'schemas/ocpp2.1',
  'device-model/ocpp2.0.1',
  'device-model/ocpp2.1',
];

/** A spec folder made of links to the canonical inputs, with some folders replaced by (copies of) other ones. */
function specWith(replace: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-spec-'));
  temps.push(dir);
  mkdirSync(join(dir, 'schemas'));
  mkdirSync(join(dir, 'device-model'));
  symlinkSync(join(spec, 'directions.json'), join(dir, 'directions.json'));
  for (const f of FOLDERS) {
    if (replace[f]) cpSync(join(spec, replace[f]), join(dir, f), { recursive: true });
    else symlinkSync(join(spec, f), join(dir, f));
  }
  return dir;
}

/** A private copy of spec/manifest.json and spec/digest/, for the accept path. */
function manifestCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-manifest-'));
  temps.push(dir);
  cpSync(join(root, 'spec'), dir, { recursive: true });
  return join(dir, 'manifest.json');
}

test('the canonical input matches the committed manifest', async () => {
  assert.equal(await checkSpecInputs(spec, { accept: false, manifestPath }), { ok: true, report: '' });
});

test("the manifest names each version's edition and hashes every input file, paths relative to OCPP_SPEC_DIR", () => {
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    versions: Record<string, { edition: Record<string, string>; files: Record<string, string> }>;
  };
  assert.equal(Object.keys(m.versions), ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']);
  assert.equal(m.versions['ocpp2.1']!.edition, {
    schemas: 'OCA 2.1 Edition 1 (Edition 2 did not change the schemas)',
    deviceModel: 'Appendix CSVs v2.1, 2.1 Edition 2, 2025-12-03',
  });
  const files = (v: string) => Object.keys(m.versions[v]!.files);
  assert.is(files('ocpp1.6').filter((p) => p.startsWith('schemas/ocpp1.6/')).length, 78);
  assert.is(files('ocpp2.0.1').filter((p) => p.startsWith('schemas/ocpp2.0.1/')).length, 128);
  assert.is(files('ocpp2.0.1').filter((p) => p.startsWith('device-model/ocpp2.0.1/')).length, 6);
  assert.is(files('ocpp2.1').filter((p) => p.startsWith('device-model/ocpp2.1/')).length, 14);
  assert.ok(['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'].every((v) => files(v).includes('directions.json')));
  assert.ok(Object.values(m.versions).every((v) => Object.values(v.files).every((h) => /^[0-9a-f]{64}$/.test(h))));
});

test('modified copies in place of the canonical folders are refused, and the report says what differs in content', async () => {
  const dir = specWith({
    'schemas/ocpp1.6': 'drift/schemas-ocpp1.6-oca-2019-12',
    'schemas/ocpp2.0.1': 'drift/schemas-ocpp2.0.1-modified-copy',
    'device-model/ocpp2.1': 'drift/device-model-ocpp2.1-v2.0',
  });
  const r = await checkSpecInputs(dir, { accept: false, manifestPath });
  assert.is(r.ok, false);
  const lines = r.report.split('\n');
  const expectLines = [
    `OCPP_SPEC_DIR ${dir} does not match ${manifestPath}:`,
    'ocpp1.6 (accepted: OCA 1.6 JSON schemas as of the 2025-04 errata)',
    '    1 changed: schemas/ocpp1.6/StopTransaction.json',
    '      StopTransaction request',
    '        transactionData[].sampledValue[].unit: enum -"Celsius"',
    '        StopTransaction: id "urn:OCPP:1.6:2025:04:StopTransactionRequest" → "urn:OCPP:1.6:2019:12:StopTransactionRequest"',
    '      Get15118EVCertificate response',
    '        exiResponse: maxLength 5600 → 7500',
    '      device model components.csv',
    '        - PaymentCtrlr',
    '        ~ ConnectedEV/StateOfCharge renamed to StateOfCharge.actual',
    '        - TxCtlrl/EnergyTransferResumptionRandomRange (required: no, integer, s; component "TxCtlrl" is not in components.csv)',
    `    warning: device-model/ocpp2.1/dm_components_vars.csv: not valid UTF-8; lines 121, 208, 390 decoded as Windows-1252 (0x9D on line 121 is undefined there and kept as U+009D)`,
    'If this input is intended, accept it with `ocppkit-codegen gen --accept` (updates the manifest and spec/digest/).',
  ];
  for (const l of expectLines) assert.ok(lines.includes(l), `report lacks the line\n${l}\n--- report:\n${r.report}`);
  assert.ok(
    lines.some((l) => l.startsWith('        $id removed from 128 messages: AuthorizeRequest, AuthorizeResponse, ')),
  );
  // 2.0.1's device model was not replaced: the report says nothing about it.
  assert.not.match(r.report, 'device-model/ocpp2.0.1');
});

test('a copy that differs only in formatting is still refused (its bytes are not the accepted ones), with "no change in content"', async () => {
  const dir = specWith({ 'schemas/ocpp1.6': 'schemas/ocpp1.6' });
  const file = join(dir, 'schemas/ocpp1.6/Heartbeat.json');
  writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), null, '\t').replace(/\n/g, '\r\n'));
  writeFileSync(join(dir, 'schemas/ocpp1.6/Notes.txt'), 'an added file');
  const r = await checkSpecInputs(dir, { accept: false, manifestPath });
  assert.is(r.ok, false);
  assert.match(
    r.report,
    '    1 changed: schemas/ocpp1.6/Heartbeat.json\n    1 added: schemas/ocpp1.6/Notes.txt\n    no change in content: formatting, line endings or key order only\n',
  );
});

test('accept records the input on purpose: manifest and digest rewritten, then that input passes and the old one is refused', async () => {
  const privateManifest = manifestCopy();
  const dir = specWith({ 'schemas/ocpp2.0.1': 'drift/schemas-ocpp2.0.1-modified-copy' });
  const accepted = await checkSpecInputs(dir, { accept: true, manifestPath: privateManifest });
  assert.is(accepted.ok, true);
  assert.match(accepted.report, 'exiResponse: maxLength 5600 → 7500');
  assert.equal(await checkSpecInputs(dir, { accept: false, manifestPath: privateManifest }), { ok: true, report: '' });
  const back = await checkSpecInputs(spec, { accept: false, manifestPath: privateManifest });
  assert.is(back.ok, false);
  assert.match(back.report, 'exiResponse: maxLength 7500 → 5600');
  // The edition text is kept (a person decides whether the edition changed), the digest follows the input.
  const m = JSON.parse(readFileSync(privateManifest, 'utf8')) as {
    versions: Record<string, { edition: { schemas: string } }>;
  };
  assert.is(m.versions['ocpp2.0.1']!.edition.schemas, 'OCA 2.0.1 Part 3, unchanged through Edition 3');
  const d = JSON.parse(readFileSync(digestPath(privateManifest, 'ocpp2.0.1'), 'utf8')) as {
    schemas: { actions: Record<string, { response: { meta: object } }> };
  };
  assert.equal(d.schemas.actions.Get15118EVCertificate!.response.meta, {
    $schema: 'http://json-schema.org/draft-06/schema#',
  });
});

test('without a manifest nothing is accepted implicitly; accept creates manifest and digests', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-nomanifest-'));
  temps.push(dir);
  const path = join(dir, 'manifest.json');
  const refused = await checkSpecInputs(spec, { accept: false, manifestPath: path });
  assert.is(refused.ok, false);
  assert.match(refused.report, `${path} is missing: no inputs have been accepted yet.`);
  assert.match(refused.report, 'ocpp2.1: not in the manifest (196 input files)');
  assert.is((await checkSpecInputs(spec, { accept: true, manifestPath: path })).ok, true);
  assert.ok(['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'].every((v) => existsSync(digestPath(path, v))));
  assert.equal(await checkSpecInputs(spec, { accept: false, manifestPath: path }), { ok: true, report: '' });
  // What accept writes for the canonical input is what is committed: the committed files are current.
  for (const f of ['manifest.json', 'digest/ocpp1.6.json', 'digest/ocpp2.0.1.json', 'digest/ocpp2.1.json']) {
    assert.is(readFileSync(join(dir, f), 'utf8'), readFileSync(join(root, 'spec', f), 'utf8'), f);
  }
});

test.run();
