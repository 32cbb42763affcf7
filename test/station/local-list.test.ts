// Block D Part 6 test cases against the built-in CSMS over real sockets, with a real SQLite file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import { token } from '../support/authorization-driver.js';
import { withAuthPair, type AuthPair } from '../support/authorization-pair.js';

const VALID = token('04A1B2C3D4');
const VALID2 = token('04A1B2C3D5');
const entry = (idToken: typeof VALID, status = 'Accepted') => ({ idToken, idTokenInfo: { status } });

const withStation = (
  fn: (a: AuthPair) => Promise<void>,
  variables: Record<string, string | number | boolean> = {
    'LocalAuthListCtrlr.Enabled': true,
    'AuthCtrlr.LocalPreAuthorize': true,
  },
  authorization?: ChargingStationOptions['authorization'],
) => withAuthPair({ station: { variables, ...(authorization ? { authorization } : {}) } }, fn);

test('TC_D_01_CS D01.FR.02 D01.FR.15 a Full list is Accepted and GetLocalListVersion reports its version', () =>
  withStation(async (a) => {
    assert.equal(
      await a.call('SendLocalList', { versionNumber: 3, updateType: 'Full', localAuthorizationList: [entry(VALID)] }),
      { status: 'Accepted' },
    );
    assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 3 });
  }));

test('TC_D_02_CS D01.FR.16 a Differential update adds a token and sets the version', () =>
  withStation(async (a) => {
    await a.call('SendLocalList', { versionNumber: 3, updateType: 'Full', localAuthorizationList: [entry(VALID)] });
    assert.equal(
      await a.call('SendLocalList', {
        versionNumber: 4,
        updateType: 'Differential',
        localAuthorizationList: [entry(VALID2)],
      }),
      { status: 'Accepted' },
    );
    assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 4 });
  }));

test('TC_D_03_CS D01.FR.17 a Differential update without idTokenInfo removes the token', () =>
  withStation(async (a) => {
    await a.call('SendLocalList', { versionNumber: 3, updateType: 'Full', localAuthorizationList: [entry(VALID)] });
    assert.is((await a.present(VALID, 1)).source, 'localList');
    assert.equal(
      await a.call('SendLocalList', {
        versionNumber: 4,
        updateType: 'Differential',
        localAuthorizationList: [{ idToken: VALID }],
      }),
      { status: 'Accepted' },
    );
    assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 4 });
    const mark = a.mark();
    await a.present(VALID, 1);
    assert.is(a.sentSince('Authorize', mark).length, 1, 'no longer on the list: asked');
  }));

test('TC_D_04_CS D01.FR.04 a Full update with an empty list empties it; the version is the one sent', () =>
  withStation(async (a) => {
    await a.call('SendLocalList', { versionNumber: 3, updateType: 'Full', localAuthorizationList: [entry(VALID)] });
    assert.is((await a.present(VALID, 1)).source, 'localList');
    // "<Empty>": the schema wants at least one entry when the list is present, so an empty list is an absent one.
    assert.equal(await a.call('SendLocalList', { versionNumber: 3, updateType: 'Full' }), { status: 'Accepted' });
    assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 3 });
    assert.is((await a.present(VALID, 1)).source, 'csms', 'the entry is gone');
  }));

test('TC_D_05_CS D01.FR.05 a Differential update with an empty list is Accepted; only the version changes', () =>
  withStation(
    async (a) => {
      await a.call('SendLocalList', {
        versionNumber: 3,
        updateType: 'Full',
        localAuthorizationList: [entry(VALID, 'Blocked')],
      });
      assert.equal(await a.call('SendLocalList', { versionNumber: 4, updateType: 'Differential' }), {
        status: 'Accepted',
      });
      assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 4 });
    },
    { 'LocalAuthListCtrlr.Enabled': true, 'LocalAuthListCtrlr.DisablePostAuthorize': true },
  ));

test('TC_D_06_CS D01.FR.19 a Differential update with a lower version: VersionMismatch, the version stays', () =>
  withStation(async (a) => {
    await a.call('SendLocalList', { versionNumber: 5, updateType: 'Full', localAuthorizationList: [entry(VALID)] });
    assert.equal(
      await a.call('SendLocalList', {
        versionNumber: 4,
        updateType: 'Differential',
        localAuthorizationList: [entry(VALID2)],
      }),
      { status: 'VersionMismatch' },
    );
    assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 5 });
  }));

test('TC_D_07_CS D01.FR.10 the list and its version survive a reboot', () =>
  withStation(async (a) => {
    await a.call('SendLocalList', { versionNumber: 6, updateType: 'Full', localAuthorizationList: [entry(VALID)] });
    const reboot = a.mark();
    await a.pair.restart({
      useCases: [a.standIn.useCase],
      variables: { 'LocalAuthListCtrlr.Enabled': true, 'AuthCtrlr.LocalPreAuthorize': true },
    });
    await a.next('BootNotification', reboot);
    await a.statuses(reboot, { '1/1': 'Available' });
    assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 6 });
    const mark = a.mark();
    assert.is((await a.present(VALID, 1)).source, 'localList');
    assert.equal(a.sentSince('Authorize', mark), []);
  }));

test('TC_D_08_CS D02.FR.01 GetLocalListVersion reports the version of the installed list', () =>
  withStation(async (a) => {
    await a.call('SendLocalList', { versionNumber: 12, updateType: 'Full', localAuthorizationList: [entry(VALID)] });
    assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 12 });
  }));

test('TC_D_10_CS D02.FR.03 with LocalAuthListCtrlr.Enabled false GetLocalListVersion reports 0', () =>
  withStation(
    async (a) => {
      assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 0 });
    },
    { 'LocalAuthListCtrlr.Enabled': false },
  ));

test('D02.FR.02 a station that never received a list reports version 0', () =>
  withStation(async (a) => {
    assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 0 });
  }));

test('D01.FR.11 an update beyond ItemsPerMessage is Failed and changes nothing', () =>
  withStation(
    async (a) => {
      const response = await a.call('SendLocalList', {
        versionNumber: 1,
        updateType: 'Full',
        localAuthorizationList: [entry(VALID), entry(VALID2), entry(token('X'))],
      });
      assert.equal([response.status, response.statusInfo?.reasonCode], ['Failed', 'TooManyElements']);
      assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 0 });
    },
    { 'LocalAuthListCtrlr.Enabled': true, 'LocalAuthListCtrlr.ItemsPerMessage': 2 },
  ));

test('D01.FR.12 D01.FR.13 the CSMS reads LocalAuthListCtrlr.Entries (with its maxLimit) and switches the list off with SetVariables', () =>
  withStation(
    async (a) => {
      await a.call('SendLocalList', {
        versionNumber: 2,
        updateType: 'Full',
        localAuthorizationList: [entry(VALID), entry(VALID2)],
      });
      const get = await a.call('GetVariables', {
        getVariableData: [{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Entries' } }],
      });
      assert.equal(
        [get.getVariableResult[0].attributeStatus, get.getVariableResult[0].attributeValue],
        ['Accepted', '2'],
      );
      const report = await a.call('GetReport', {
        requestId: 5,
        componentVariable: [{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Entries' } }],
      });
      assert.is(report.status, 'Accepted');
      const notify = await a.next('NotifyReport', 0, (r) => r.requestId === 5);
      assert.is((notify.request as any).reportData[0].variableCharacteristics.maxLimit, 3);
      const set = await a.call('SetVariables', {
        setVariableData: [
          { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Enabled' }, attributeValue: 'false' },
        ],
      });
      assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
      assert.equal(await a.call('GetLocalListVersion', {}), { versionNumber: 0 });
    },
    { 'LocalAuthListCtrlr.Enabled': true },
    { localListMaxEntries: 3 },
  ));

test.run();
