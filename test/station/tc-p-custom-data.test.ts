// Part 6 TC_P_03_CS and TC_P_04_CS over real sockets against the built-in CSMS: customData, the vendor extension
// every 2.x type may carry, is accepted wherever the CSMS puts it — on the request, on each of its entries, on a
// charging profile and its periods — and changes nothing the station answers or does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { txPair, withTxPair } from '../support/tx-pair.js';

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

/** `value` with customData added to every object in it, at any depth. */
function everywhere(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => everywhere(v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = everywhere(v, depth + 1);
  return { ...out, customData: custom(`depth ${depth}`) };
}
const withoutCustomData = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === 'customData' ? undefined : v)));

const TOKEN_AB = { idToken: 'AB12', type: 'ISO14443' };
const OFFLINE_THRESHOLD = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } };
const LATER = () => new Date(Date.now() + 3_600_000).toISOString();
/** CSMS requests across the blocks, in an order that makes each meaningful (a reservation before its cancel, …). */
const REQUESTS: Array<[string, () => object]> = [
  ['GetVariables', () => ({ getVariableData: [OFFLINE_THRESHOLD] })],
  ['SetVariables', () => ({ setVariableData: [{ ...OFFLINE_THRESHOLD, attributeValue: '300' }] })],
  ['GetBaseReport', () => ({ requestId: 1, reportBase: 'ConfigurationInventory' })],
  ['GetReport', () => ({ requestId: 2, componentVariable: [OFFLINE_THRESHOLD] })],
  [
    'SendLocalList',
    () => ({
      versionNumber: 3,
      updateType: 'Full',
      localAuthorizationList: [
        { idToken: TOKEN_AB, idTokenInfo: { status: 'Accepted', personalMessage: { format: 'UTF8', content: 'hi' } } },
      ],
    }),
  ],
  ['GetLocalListVersion', () => ({})],
  ['ReserveNow', () => ({ id: 5, expiryDateTime: LATER(), idToken: TOKEN_AB, evseId: 1 })],
  ['CancelReservation', () => ({ reservationId: 5 })],
  ['ChangeAvailability', () => ({ operationalStatus: 'Inoperative', evse: { id: 1 } })],
  ['ChangeAvailability', () => ({ operationalStatus: 'Operative', evse: { id: 1 } })],
  ['TriggerMessage', () => ({ requestedMessage: 'Heartbeat' })],
  [
    'SetVariableMonitoring',
    () => ({ setMonitoringData: [{ value: 5, type: 'Delta', severity: 5, ...OFFLINE_THRESHOLD }] }),
  ],
  [
    'SetNetworkProfile',
    () => ({
      configurationSlot: 2,
      connectionData: {
        ocppVersion: 'OCPP20',
        ocppTransport: 'JSON',
        ocppCsmsUrl: 'ws://127.0.0.1:1/x',
        messageTimeout: 30,
        securityProfile: 0,
        ocppInterface: 'Wired0',
      },
    }),
  ],
  ['ClearCache', () => ({})],
  [
    'SetChargingProfile',
    () => ({
      evseId: 1,
      chargingProfile: {
        id: 9,
        stackLevel: 1,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] }],
      },
    }),
  ],
  ['GetChargingProfiles', () => ({ requestId: 4, chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' } })],
  ['ClearChargingProfile', () => ({ chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile' } })],
  ['RequestStartTransaction', () => ({ idToken: TOKEN_AB, remoteStartId: 7, evseId: 1 })],
  ['CustomerInformation', () => ({ requestId: 8, report: true, clear: false, idToken: TOKEN_AB })],
  ['GetInstalledCertificateIds', () => ({})],
  ['DataTransfer', () => ({ vendorId: 'org.example' })],
];

test('TC_P_03_CS customData on every object of requests across the blocks: each station answers them exactly as it answers the same requests without', async () => {
  const plain = await txPair({});
  const extended = await txPair({});
  try {
    for (const [action, request] of REQUESTS) {
      const expected = await plain.call(action, request());
      const got = await extended.call(action, everywhere(request()));
      assert.equal(withoutCustomData(got), withoutCustomData(expected), action);
    }
  } finally {
    await plain.close();
    await extended.close();
  }
});

test.run();
