// The table-driven corpus of compositeSchedule (issue 11): each case's expected schedule was worked out from the
// spec rule its name cites (corpus-201.ts: 2.0.1 rules, which hold for 2.1 too; corpus-21.ts: what 2.1 adds).
// Every 2.0.1 case that names no version is also run as 2.1 (same fields, same answer) and, where it uses no
// ChargingStationExternalConstraints, as 1.6 (connectors, ChargePointMaxProfile; 1.6 section 3.13 has the same rules), and every answer is checked against the
// generated response validator of its version, so that the station could send it as it is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateResponse as validate16 } from '../../generated/v16/index.js';
import { validateResponse as validate201 } from '../../generated/v201/index.js';
import { validateResponse as validate21 } from '../../generated/v21/index.js';
import {
  compositeSchedule,
  type CompositeScheduleInput16,
  type CompositeScheduleInput201,
} from '../../runtime/smart-charging/index.js';
import { NOW, buildInput, expectedPeriods, type Case } from './builders.js';
import { corpus201 } from './corpus-201.js';
import { corpus21 } from './corpus-21.js';

function check(c: Case, version: 'ocpp2.0.1' | 'ocpp2.1') {
  const input = buildInput({ ...c, version });
  const response = compositeSchedule(input);
  const valid =
    version === 'ocpp2.1'
      ? validate21('GetCompositeSchedule', response)
      : validate201('GetCompositeSchedule', response);
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

/** The same case in 1.6 terms: connectors, ChargePointMaxProfile, chargingProfileId, integer transaction ids. */
function toV16(input: CompositeScheduleInput201): CompositeScheduleInput16 {
  const txId = (id: string) => Number(id.replace(/\D/g, ''));
  const { evses, offlineSince: _offline, ...station } = input.station;
  return {
    version: 'ocpp1.6',
    now: input.now,
    station: {
      ...station,
      connectors: evses.map((e) =>
        e.transaction
          ? {
              id: e.id,
              transaction: { transactionId: txId(e.transaction.transactionId), startTime: e.transaction.startTime },
            }
          : { id: e.id },
      ),
    },
    profiles: input.profiles.map(
      ({ evseId, chargingProfile: { id, chargingProfilePurpose, transactionId, chargingSchedule, ...rest } }) => {
        const { id: _scheduleId, ...schedule } = chargingSchedule[0]!;
        return {
          connectorId: evseId,
          csChargingProfiles: {
            ...rest,
            chargingProfileId: id,
            chargingProfilePurpose:
              chargingProfilePurpose === 'ChargingStationMaxProfile'
                ? 'ChargePointMaxProfile'
                : (chargingProfilePurpose as 'TxProfile' | 'TxDefaultProfile'),
            ...(transactionId !== undefined ? { transactionId: txId(transactionId) } : {}),
            chargingSchedule: {
              ...schedule,
              chargingSchedulePeriod: schedule.chargingSchedulePeriod.map(({ startPeriod, limit, numberPhases }) => ({
                startPeriod,
                limit,
                ...(numberPhases !== undefined ? { numberPhases } : {}),
              })),
            },
          },
        };
      },
    ),
    request: {
      connectorId: input.request.evseId,
      duration: input.request.duration,
      ...(input.request.chargingRateUnit ? { chargingRateUnit: input.request.chargingRateUnit } : {}),
    },
  };
}

/** 1.6 has the 2.0.1 stacking and merging rules (1.6 section 3.13) under other names, and no external constraints. */
function check16(c: Case) {
  const input = buildInput({ ...c, version: 'ocpp2.0.1' }) as CompositeScheduleInput201;
  const response = compositeSchedule(toV16(input));
  const valid = validate16('GetCompositeSchedule', response);
  assert.ok(valid.ok, `a valid 1.6 GetCompositeSchedule.conf: ${JSON.stringify(valid)}`);
  if ('rejected' in c.expect) return assert.equal(response, { status: 'Rejected' });
  const scheduleStart = c.scheduleStart ?? c.now ?? NOW;
  assert.equal(response, {
    status: 'Accepted',
    connectorId: input.request.evseId,
    scheduleStart,
    chargingSchedule: {
      duration: input.request.duration,
      startSchedule: scheduleStart,
      chargingRateUnit: c.unit ?? 'A',
      chargingSchedulePeriod: expectedPeriods(c.expect).map(({ phaseToUse: _none, ...p }) => p),
    },
  });
}

const in16 = (c: Case) =>
  c.version === undefined && !(c.profiles ?? []).some((p) => p.purpose === 'ChargingStationExternalConstraints');

for (const c of corpus201) {
  // A case that names its version is about what differs between them.
  if (c.version !== 'ocpp2.1') test(`${c.name} [2.0.1]`, () => check(c, 'ocpp2.0.1'));
  if (c.version !== 'ocpp2.0.1') test(`${c.name} [2.1]`, () => check(c, 'ocpp2.1'));
  if (in16(c)) test(`${c.name} [1.6]`, () => check16(c));
}
for (const c of corpus21) test(`${c.name} [2.1]`, () => check(c, 'ocpp2.1'));

// The corpus cases' names are not literal test names; the status table reads this one for the rule they share.
test('K01.FR.91 (2.1) a useLocalTime schedule follows the local clock through both daylight saving changes: its period is skipped or repeated (the corpus cases)', () => {
  const cases = corpus21.filter((c) => c.name.startsWith('K01.FR.91'));
  assert.ok(cases.length >= 2, `${cases.length} K01.FR.91 cases`);
  for (const c of cases) check(c, 'ocpp2.1');
});

test('the corpus holds at least 60 cases', () => {
  assert.ok(corpus201.length + corpus21.length >= 60, `${corpus201.length + corpus21.length} cases`);
});

test.run();
