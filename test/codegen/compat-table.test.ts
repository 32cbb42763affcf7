// @requires-spec
// The 2.0.1 → 2.1 compatibility table: every 2.1 action once, the 27 additions, no removals, known changes listed,
// and the emitted data compiling with its types.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compatEmitter } from '../../codegen/compat/emitter.js';
import { compatTable } from '../../codegen/compat/table.js';
import { typecheck } from './typecheck.js';

const root = resolve(import.meta.dirname, '../..');
const spec = resolve(root, process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');
const { table } = compatTable(spec);
const directions = JSON.parse(readFileSync(join(spec, 'directions.json'), 'utf8')) as Record<
  string,
  Record<string, string>
>;

test('every 2.1 action appears once; the 27 actions 2.1 adds are "added"; no 2.0.1 action is removed', () => {
  assert.equal(Object.keys(table), Object.keys(directions['ocpp2.1']!).sort());
  const only21 = Object.keys(directions['ocpp2.1']!).filter((a) => !(a in directions['ocpp2.0.1']!));
  assert.is(only21.length, 27);
  assert.equal(
    Object.keys(table).filter((a) => table[a]!.status === 'added'),
    only21.sort(),
  );
  assert.equal(
    Object.values(table).filter((e) => e.status === 'removed'),
    [],
  );
  assert.ok(
    Object.keys(directions['ocpp2.0.1']!).every((a) => table[a]!.status === 'same' || table[a]!.status === 'changed'),
  );
});

test('TransactionEvent: known 2.1 changes are listed with their values', () => {
  const e = table.TransactionEvent!;
  assert.is(e.status, 'changed');
  const find = (message: string, path: string, change: string, keyword?: string) =>
    e.changes.find((c) => c.message === message && c.path === path && c.change === change && c.keyword === keyword);
  assert.equal(
    find('request', 'meterValue[].sampledValue[].signedMeterValue.signedMeterData', 'field-changed', 'maxLength')?.text,
    'meterValue[].sampledValue[].signedMeterValue.signedMeterData: maxLength 2500 → 32768',
  );
  assert.equal(
    find('request', 'meterValue[].sampledValue[].signedMeterValue.signingMethod', 'field-changed', 'required')?.to,
    false,
  );
  assert.equal(find('request', 'triggerReason', 'field-changed', 'enum')?.added, [
    'CostLimitReached',
    'LimitSet',
    'OperationModeChanged',
    'RunningCost',
    'SoCLimitReached',
    'TariffChanged',
    'TariffNotAccepted',
    'TxResumed',
  ]);
  assert.equal(find('request', 'transactionInfo.stoppedReason', 'field-changed', 'enum')?.added, [
    'ReqEnergyTransferRejected',
  ]);
  assert.equal(find('request', 'costDetails', 'field-added')?.required, false);
  assert.ok(find('request', 'transactionInfo.transactionLimit', 'field-added'));
  assert.ok(find('response', 'transactionLimit', 'field-added'));
  // 2.1 made IdTokenType.type an open string (its values moved to the appendix list idtokenenumtype.csv).
  assert.ok(find('request', 'idToken.type', 'field-changed', 'enum'));
  assert.equal(
    find('request', 'idToken.idToken', 'field-changed', 'maxLength')?.text,
    'idToken.idToken: maxLength 36 → 255',
  );
});

test('"same" means no content change: Heartbeat is the same; descriptions alone do not make an action "changed"', () => {
  assert.equal(table.Heartbeat, {
    status: 'same',
    changes: [],
    descriptionsChanged: table.Heartbeat!.descriptionsChanged,
  });
  assert.equal(
    Object.keys(table).filter((a) => table[a]!.status === 'same'),
    [
      'CostUpdated',
      'GetLocalListVersion',
      'GetTransactionStatus',
      'Heartbeat',
      'SecurityEventNotification',
      'UnpublishFirmware',
    ],
  );
  assert.ok(Object.values(table).every((e) => (e.status === 'changed') === e.changes.length > 0));
});

test('the emitted data compiles with its types and the markdown page lists every action', async () => {
  const files = await compatEmitter.emit({ specDir: spec });
  assert.equal(
    files.map((f) => [f.path, f.format, f.inputs.length]),
    [
      ['compat-v201-v21.ts', 'typescript', 309],
      ['compat-v201-v21.md', 'none', 309],
    ],
  );
  const md = files[1]!.content;
  assert.match(md, '6 same, 58 changed, 27 added, 0 removed.');
  for (const action of Object.keys(table))
    assert.ok(md.includes(`| ${action} |`) || md.includes(`| [${action}](#${action.toLowerCase()}) |`), action);
  assert.match(md, '- exiResponse: maxLength');

  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-compat-'));
  try {
    writeFileSync(join(dir, 'compat.ts'), files[0]!.content);
    writeFileSync(
      join(dir, 'use.ts'),
      `import { compatV201ToV21, type ActionsWithStatus, type CompatAction } from './compat.js';
const added: ActionsWithStatus<'added'> = 'NotifyPeriodicEventStream';
// @ts-expect-error Heartbeat did not change
const notChanged: ActionsWithStatus<'changed'> = 'Heartbeat';
// @ts-expect-error not an action
const nope: CompatAction = 'StartTransaction';
const status: 'changed' = compatV201ToV21.TransactionEvent.status;
export { added, notChanged, nope, status };
`,
    );
    assert.equal(typecheck([join(dir, 'use.ts')]), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
