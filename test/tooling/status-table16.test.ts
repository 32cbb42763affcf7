// docs/status/ocpp-1.6.md is the claim of which OCTT 1.6 charge-point test cases have a test: it must be what
// scripts/requirements.ts makes of spec/requirements/ocpp1.6.json and the current test names (else `make status`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listTestNames, load16, renderStatus16 } from '../../scripts/requirements.js';

const root = resolve(import.meta.dirname, '../..');
const path = join(root, 'docs/status/ocpp-1.6.md');

test('the 1.6 test case list holds the charge-point cases of the OCTT document, each with its section', () => {
  const list = load16();
  const ids = list.testCases.map((t) => t.id);
  for (const id of ['TC_001_CS', 'TC_043_3_CS', 'TC_054_CS']) assert.ok(ids.includes(id), id);
  assert.ok(ids.every((id) => /^TC_\d{3}(_\d)?_CS$/.test(id)));
  assert.is(new Set(ids).size, ids.length);
  assert.is(list.testCases.find((t) => t.id === 'TC_047_CS')?.section, 'Reservation');
});

test('the 1.6 status table is up to date with the test names (run `make status`)', () => {
  const fresh = renderStatus16(load16(), listTestNames());
  assert.ok(
    existsSync(path) && readFileSync(path, 'utf8') === fresh,
    'docs/status/ocpp-1.6.md is stale: run `make status` and commit it',
  );
});

test('a test case counts as covered only by a test whose name contains its id', () => {
  const doc = renderStatus16(
    {
      version: 'ocpp1.6',
      source: { octt: 'x/doc.txt', octtSha256: '' },
      testCases: [
        { id: 'TC_001_CS', name: 'Boot', section: 'S' },
        { id: 'TC_002_CS', name: 'Pending', section: 'S' },
      ],
    },
    [
      { file: 'test/a.test.ts', name: 'TC_001_CS boots' },
      { file: 'test/b.test.ts', name: 'TC_001_CSX is another' },
    ],
  );
  assert.match(doc, /\| TC_001_CS \| Boot \| `test\/a\.test\.ts` › TC_001_CS boots \|/);
  assert.match(doc, /\| TC_002_CS \| Pending \|  \|/);
  assert.match(doc, /\| with a test named after them \| 1 \|/);
});

test.run();
