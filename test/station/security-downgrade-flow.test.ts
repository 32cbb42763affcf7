// A05.FR.08–10 as a pure flow: what NetworkConfigurationPriority may name when it holds a profile with a lower
// security profile than the one the station connected with (SecurityCtrlr.SecurityProfile), with and without 2.1's
// SecurityCtrlr.AllowSecurityProfileDowngrade. The check is the one SetVariables asks before it stores the value
// (B05: Rejected with the check's reasonCode, the value unchanged).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  networkProfileUseCase,
  type ConnectionProfile,
  type NetworkProfileOptions,
} from '../../runtime/station/B-provisioning/network-profile.js';
import { drive } from '../support/shell-driver.js';

const tls = { ca: 'a root', cert: 'a certificate', key: 'its key' };
const profile = (slot: number, securityProfile: 0 | 1 | 2 | 3): ConnectionProfile => ({
  slot,
  url: `${securityProfile >= 2 ? 'wss' : 'ws'}://127.0.0.1:900${slot}`,
  securityProfile,
  ...(securityProfile >= 2 ? { tls } : {}),
  source: 'options',
});
/** Slot n holds a profile of security profile n; slot 4 one without an OCPP security profile (0). */
const options: NetworkProfileOptions = {
  slots: [1, 2, 3, 4],
  configured: [profile(1, 1), profile(2, 2), profile(3, 3), profile(4, 0)],
};

/** 2.1's device model has AllowSecurityProfileDowngrade; 2.0.1's has not (not implemented: A05.FR.10). */
function priorityCheck(
  variables: Record<string, string | number | boolean>,
  version: 'ocpp2.0.1' | 'ocpp2.1' = 'ocpp2.1',
) {
  const d = drive([networkProfileUseCase(options)], { variables, version });
  return (value: string) => d.shell.validateVariable('OCPPCommCtrlr', 'NetworkConfigurationPriority', value);
}

test('A05.FR.08: AllowSecurityProfileDowngrade true and connected with profile 3: entries of profile 2 are Accepted', () => {
  const check = priorityCheck({
    'SecurityCtrlr.SecurityProfile': 3,
    'SecurityCtrlr.AllowSecurityProfileDowngrade': true,
  });
  assert.is(check('3,2'), undefined);
  assert.is(check('2'), undefined);
  assert.is(check('2,3'), undefined);
});

test('A05.FR.09: AllowSecurityProfileDowngrade true: an entry of profile 1 (or none) is Rejected while the station runs above 1', () => {
  for (const current of [2, 3]) {
    const check = priorityCheck({
      'SecurityCtrlr.SecurityProfile': current,
      'SecurityCtrlr.AllowSecurityProfileDowngrade': true,
    });
    assert.is(check('3,1'), 'NoSecurityDowngrade', `from ${current}`);
    assert.is(check('1'), 'NoSecurityDowngrade', `from ${current}`);
    assert.is(check('4'), 'NoSecurityDowngrade', `from ${current}`);
  }
  // From 2, even with the downgrade allowed, only 3 → 2 is one.
  assert.is(
    priorityCheck({ 'SecurityCtrlr.SecurityProfile': 2, 'SecurityCtrlr.AllowSecurityProfileDowngrade': true })('2,1'),
    'NoSecurityDowngrade',
  );
});

test('A05.FR.10: AllowSecurityProfileDowngrade false or not implemented: any entry below the current security profile is Rejected, equal or higher ones are not', () => {
  for (const [variables, version] of [
    [{ 'SecurityCtrlr.SecurityProfile': 3, 'SecurityCtrlr.AllowSecurityProfileDowngrade': false }, 'ocpp2.1'],
    [{ 'SecurityCtrlr.SecurityProfile': 3 }, 'ocpp2.1'],
    [{ 'SecurityCtrlr.SecurityProfile': 3 }, 'ocpp2.0.1'],
  ] as const) {
    const check = priorityCheck(variables, version);
    assert.is(check('3,2'), 'NoSecurityDowngrade');
    assert.is(check('2'), 'NoSecurityDowngrade');
    assert.is(check('3'), undefined);
  }
  const fromTwo = priorityCheck({ 'SecurityCtrlr.SecurityProfile': 2 });
  assert.is(fromTwo('2,1'), 'NoSecurityDowngrade');
  assert.is(fromTwo('2,3'), undefined);
  const fromOne = priorityCheck({ 'SecurityCtrlr.SecurityProfile': 1 });
  assert.is(fromOne('1,4'), 'NoSecurityDowngrade');
  assert.is(fromOne('1,2'), undefined);
});

test.run();
