// Part 6 TC_P_03_CS and TC_P_04_CS over real sockets against the built-in CSMS: customData, the vendor extension
// every 2.x type may carry, is accepted wherever the CSMS puts it — on the request, on each of its entries, on a
// charging profile and its periods — and changes nothing the station answers or does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withTxPair } from '../support/tx-pair.js';

const custom = (tag: string) => ({ vendorId: 'org.openchargealliance.octt', tag, nested: { list: [1, 'two'] } });

test('TC_P_03_CS SetVariables and GetVariables with customData on the request, the entries, the component and the variable: Accepted, and the value set is read back', async () => {
  await withTxPair({}, async (p) => {
    const address = {
      component: { name: 'OCPPCommCtrlr', customData: custom('component') },
      variable: { name: 'OfflineThreshold', customData: custom('variable') },
    };
    const set = await p.call('SetVariables', {
      customData: custom('request'),
      setVariableData: [{ ...address, attributeType: 'Actual', attributeValue: '200', customData: custom('entry') }],
    });
    assert.is(set.setVariableResult.length, 1);
    assert.is(set.setVariableResult[0].attributeStatus, 'Accepted');
    const get = await p.call('GetVariables', {
      customData: custom('request'),
      getVariableData: [{ ...address, attributeType: 'Actual', customData: custom('entry') }],
    });
    assert.is(get.getVariableResult.length, 1);
    const [result] = get.getVariableResult;
    assert.is(result.attributeStatus, 'Accepted');
    assert.ok(result.attributeType === undefined || result.attributeType === 'Actual');
    assert.is(result.attributeValue, '200');
    // The value is in force, not only stored: the report of the controller says the same.
    const again = await p.call('GetVariables', {
      getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } }],
    });
    assert.is(again.getVariableResult[0].attributeValue, '200');
  });
});

test('TC_P_04_CS a TxDefaultProfile with customData on the profile, its schedule and its period: Accepted and in force', async () => {
  await withTxPair({}, async (p) => {
    const r = await p.call('SetChargingProfile', {
      customData: custom('request'),
      evseId: 1,
      chargingProfile: {
        id: 401,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Relative',
        customData: custom('profile'),
        chargingSchedule: [
          {
            id: 1,
            duration: 3600,
            chargingRateUnit: 'A',
            customData: custom('schedule'),
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 6, numberPhases: 3, customData: custom('period') }],
          },
        ],
      },
    });
    assert.equal(r, { status: 'Accepted' });
    const composite = await p.call('GetCompositeSchedule', { evseId: 1, duration: 60, chargingRateUnit: 'A' });
    assert.is(composite.status, 'Accepted');
    assert.is(composite.schedule.chargingSchedulePeriod[0].limit, 6);
  });
});

test.run();
