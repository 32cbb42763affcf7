// docs/status/ocpp-2.x.md is the project's claim of which requirements it meets: it must name only tests that
// exist, and it must be what scripts/requirements.ts makes of the current test names (else `make status`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { actorOf, listTestNames, loadLists, renderStatus } from '../../scripts/requirements.js';

const root = resolve(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/status/ocpp-2.x.md'), 'utf8');

test('every test the status table names exists in that file', () => {
  const existing = new Set(listTestNames().map((t) => `${t.file} › ${t.name}`));
  const named = [...doc.matchAll(/`(test\/[^`]+\.test\.ts)` › (.+?)(?=<br>| \|$)/gm)].map(
    (m) => `${m[1]} › ${m[2]!.replace(/\\\|/g, '|')}`,
  );
  const missing = named.filter((n) => !existing.has(n));
  assert.equal(missing, [], `the table names tests that do not exist:\n${missing.join('\n')}`);
});

test('the status table is up to date with the test names (run `make status`)', () => {
  const notes = JSON.parse(readFileSync(join(root, 'spec/requirements/notes.json'), 'utf8'));
  const fresh = renderStatus(loadLists(), listTestNames(), notes);
  assert.ok(fresh === doc, 'docs/status/ocpp-2.x.md is stale: run `make status` and commit it');
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
