// docs/status/ocpp-2.x.md is the project's claim of which requirements it meets: it must name only tests that
// exist, and it must be what scripts/requirements.ts makes of the current test names (else `make status`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { actorOf, listTestNames, loadList16, loadLists, renderStatus } from '../../scripts/requirements.js';
import { extractOctt16, renderStatus16, testsNaming } from '../../scripts/octt16.js';

const root = resolve(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/status/ocpp-2.x.md'), 'utf8');
const doc16 = readFileSync(join(root, 'docs/status/ocpp-1.6.md'), 'utf8');
const specDir = resolve(root, process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');
const notesNow = () => JSON.parse(readFileSync(join(root, 'spec/requirements/notes.json'), 'utf8'));

test('every test the status tables (2.x and 1.6) name exists in that file', () => {
  const existing = new Set(listTestNames().map((t) => `${t.file} › ${t.name}`));
  const named = [...(doc + doc16).matchAll(/`(test\/[^`]+\.test\.ts)` › (.+?)(?=<br>| \|$)/gm)].map(
    (m) => `${m[1]} › ${m[2]!.replace(/\\\|/g, '|')}`,
  );
  const missing = named.filter((n) => !existing.has(n));
  assert.equal(missing, [], `the table names tests that do not exist:\n${missing.join('\n')}`);
});

test('the status table is up to date with the test names (run `make status`)', () => {
  const fresh = renderStatus(loadLists(), listTestNames(), notesNow());
  assert.ok(fresh === doc, 'docs/status/ocpp-2.x.md is stale: run `make status` and commit it');
});

test('the 1.6 status table is up to date with the test names (run `make status`)', () => {
  const fresh = renderStatus16(loadList16(), listTestNames(), notesNow());
  assert.ok(fresh === doc16, 'docs/status/ocpp-1.6.md is stale: run `make status` and commit it');
});

test('the 1.6 list holds the 102 charge-point cases of the OCTT document, by section', () => {
  const list = loadList16();
  assert.is(list.testCases.length, 102);
  assert.is(new Set(list.testCases.map((c) => c.id)).size, 102);
  assert.equal(list.testCases[0], {
    id: 'TC_001_CS',
    name: 'Cold Boot Charge Point',
    section: 'Cold Boot Charge Point',
  });
  const reservation = list.testCases.filter((c) => c.section === 'Reservation').map((c) => c.id);
  assert.ok(reservation.includes('TC_046_1_CS') && reservation.includes('TC_053_CS'));
  // A name that wraps onto a second line in the document is read whole.
  assert.match(list.testCases.find((c) => c.id === 'TC_005_1_CS')!.name, /UnlockConnectorOnEVSideDisconnect = true$/);
  if (existsSync(join(specDir, list.source.octt)))
    assert.equal(extractOctt16(specDir), list, 'spec/requirements/ocpp1.6.json differs from the document: run extract');
});

test('a 1.6 case is matched by its whole id only', () => {
  const tests = [
    { file: 'a.test.ts', name: 'TC_043_1_CS: NotSupported' },
    { file: 'a.test.ts', name: 'TC_043_CSMS: the central system case' },
    { file: 'a.test.ts', name: 'TC_043_CS / TC_044_1_CS: full list' },
  ];
  assert.equal(
    testsNaming('TC_043_CS', tests).map((t) => t.name),
    ['TC_043_CS / TC_044_1_CS: full list'],
  );
  assert.is(testsNaming('TC_043_1_CS', tests).length, 1);
});

test('a requirement is attributed to the side named before its first modal verb', () => {
  assert.is(actorOf('The Charging Station SHALL send a BootNotificationRequest'), 'CS');
  assert.is(actorOf('The CSMS SHALL respond with CALLERROR'), 'CSMS');
  assert.is(actorOf('The Charging Station and CSMS SHALL only use one profile'), 'both');
  assert.is(actorOf('The Unavailable status MUST be persistent across reboots.'), 'other');
});

test('the requirement lists hold both versions with their test cases', () => {
  const [v201, v21] = loadLists();
  assert.ok(v201!.requirements.some((r) => r.id === 'B01.FR.01'));
  assert.ok(
    v21!.requirements.some((r) => r.id.startsWith('Q')),
    '2.1 adds block Q',
  );
  assert.ok(!v201!.requirements.some((r) => r.id.startsWith('Q')));
  const tc = v201!.testCases.find((t) => t.id === 'TC_B_01_CS');
  assert.equal(tc?.requirements, ['B01.FR.01', 'B01.FR.05', 'B01.FR.09']);
  assert.ok(
    v201!.requirements.some((r) => r.id.startsWith('O01.')),
    'block O ids are restored from the OCR zero',
  );
});

test.run();
