// The table-driven corpus of compositeSchedule (issue 11): each case's expected schedule was worked out from the
// spec rule its name cites (corpus-201.ts: 2.0.1 rules, which hold for 2.1 too; corpus-21.ts: what 2.1 adds).
// Every 2.0.1 case that names no version is also run as 2.1 (same fields, same answer), and every answer is checked against the
// generated response validator of its version, so that the station could send it as it is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateResponse as validate201 } from '../../generated/v201/index.js';
import { validateResponse as validate21 } from '../../generated/v21/index.js';
import { compositeSchedule } from '../../runtime/smart-charging/index.js';
import { NOW, buildInput, expectedPeriods, type Case } from './builders.js';
import { corpus201 } from './corpus-201.js';
import { corpus21 } from './corpus-21.js';

function check(c: Case, version: 'ocpp2.0.1' | 'ocpp2.1') {
  const input = buildInput({ ...c, version });
  const response = compositeSchedule(input);
  const valid = version === 'ocpp2.1' ? validate21('GetCompositeSchedule', response) : validate201('GetCompositeSchedule', response);
  assert.ok(valid.ok, `the response is a valid ${version} GetCompositeScheduleResponse: ${JSON.stringify(valid)}`);
  if ('rejected' in c.expect) {
    assert.equal(response, { status: 'Rejected', statusInfo: { reasonCode: c.expect.rejected } });
    return;
  }
  assert.equal(response, {
    status: 'Accepted',
    schedule: {
      evseId: input.request.evseId,
      duration: input.request.duration,
      scheduleStart: c.scheduleStart ?? c.now ?? NOW,
      chargingRateUnit: c.unit ?? 'A',
      chargingSchedulePeriod: expectedPeriods(c.expect),
    },
  });
}

for (const c of corpus201) {
  // A case that names its version is about what differs between them.
  if (c.version !== 'ocpp2.1') test(`${c.name} [2.0.1]`, () => check(c, 'ocpp2.0.1'));
  if (c.version !== 'ocpp2.0.1') test(`${c.name} [2.1]`, () => check(c, 'ocpp2.1'));
}
for (const c of corpus21) test(`${c.name} [2.1]`, () => check(c, 'ocpp2.1'));

test('the corpus holds at least 60 cases', () => {
  assert.ok(corpus201.length + corpus21.length >= 60, `${corpus201.length + corpus21.length} cases`);
});

test.run();
