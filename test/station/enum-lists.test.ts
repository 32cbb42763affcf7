// The runtime's lists of allowed values come from the generated enums (generated/<v>/enums.ts): what each check
// accepts and refuses, by the version whose messages the station builds (2.0.1 SampledValues, also on 2.1).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isCritical } from '../../runtime/station/A-security/security-log.js';
import { isMeasurand } from '../../runtime/station/J-meter-values/measurands.js';
import { checkReadings } from '../../runtime/station/J-meter-values/readings.js';

test('meter readings: every 2.0.1 phase, location and measurand is accepted; 2.1-only values and typos are refused by name', () => {
  checkReadings('meterValues', [
    { value: 1, phase: 'L3-L1', location: 'Outlet', measurand: 'Energy.Reactive.Net' },
    { value: 2, phase: 'N', location: 'Body', measurand: 'SoC' },
  ]);
  assert.throws(
    () => checkReadings('meterValues', [{ value: 1, location: 'Upstream' }]),
    /readings\[0\]\.location must be one of Body, Cable, EV, Inlet, Outlet$/,
  );
  assert.throws(
    () => checkReadings('meterValues', [{ value: 1, phase: 'L4' }]),
    /phase must be one of L1, L2, L3, N, L1-N/,
  );
  assert.is(isMeasurand('Voltage'), true);
  assert.is(isMeasurand('Display.PresentSOC'), false, 'a 2.1-only measurand');
  assert.is(isMeasurand('voltage'), false);
});

test('security log: the critical events are the Critical column of both versions (2.1 adds DiscardedRenewedClientCertificate)', () => {
  assert.is(isCritical('StartupOfTheDevice'), true);
  assert.is(isCritical('DiscardedRenewedClientCertificate'), true);
  assert.is(isCritical('FailedToAuthenticateAtCsms'), false);
  assert.is(isCritical('InvalidMessages'), false);
});

test.run();
