// The EV an ISO 15118 stack reports (ChargingStation.iso15118Session), over real sockets against the built-in CSMS
// speaking 2.1: the EVSE's ConnectedEV component (Q01.FR.36) and the EVCCID in the Started event (Q01.FR.02).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../support/rpc-harness.js';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

const EVCCID = '0A1B2C3D4E5F';
const SESSION_20 = {
  evccid: EVCCID,
  protocolAgreed: 'urn:iso:std:iso:15118:-20:AC,1,0',
  protocolsSupportedByEV: ['urn:iso:std:iso:15118:-20:AC,1,0', 'urn:iso:15118:2:2013:MsgDef,2,0'],
  vehicleCertificate: { Leaf: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
};

/** A 2.1 V2X station with an ISO 15118 stack (the tx pair's offerEvChargingSchedules). */
function v2xStation(v2xEnabled = true): TxPairOptions {
  return {
    csms: { versions: ['ocpp2.1'] },
    station: { versions: ['ocpp2.1'] },
    deviceModel: {
      components: [
        {
          name: 'ISO15118Ctrlr',
          variables: [
            { name: 'Enabled', value: true },
            { name: 'ContractValidationOffline', value: false },
          ],
        },
        {
          name: 'V2XChargingCtrlr',
          variables: [
            { name: 'Enabled', value: v2xEnabled },
            {
              name: 'SupportedEnergyTransferModes',
              valuesList: ['AC_three_phase', 'AC_BPT'],
              value: ['AC_three_phase', 'AC_BPT'],
              mutability: 'ReadOnly',
            },
            {
              name: 'SupportedOperationModes',
              valuesList: ['ChargingOnly'],
              value: ['ChargingOnly'],
              mutability: 'ReadOnly',
            },
          ],
        },
      ],
    },
  };
}

async function startedWith(p: TxPair, session: typeof SESSION_20) {
  await states.evConnected(p);
  p.station.iso15118Session(1, session);
  states.authorizeLocal(p, 1);
  return p.waitTx((r) => r.eventType === 'Started');
}

test('Q01.FR.02 the EVCCID of an ISO 15118-20 EV goes with the idToken of the Started event (additionalInfo type EVCCID)', () =>
  withTxPair(v2xStation(), async (p) => {
    const started = await startedWith(p, SESSION_20);
    assert.equal(started.idToken, {
      idToken: 'VALID-1',
      type: 'ISO14443',
      additionalInfo: [{ additionalIdToken: EVCCID, type: 'EVCCID' }],
    });
  }));

test('Q01.FR.02 not for an ISO 15118-2 EV, nor where V2XChargingCtrlr.Enabled is false (errata 2025-09)', async () => {
  await withTxPair(v2xStation(), async (p) => {
    const started = await startedWith(p, { ...SESSION_20, protocolAgreed: 'urn:iso:15118:2:2013:MsgDef,2,0' });
    assert.equal(started.idToken, { idToken: 'VALID-1', type: 'ISO14443' });
  });
  await withTxPair(v2xStation(false), async (p) => {
    const started = await startedWith(p, SESSION_20);
    assert.equal(started.idToken, { idToken: 'VALID-1', type: 'ISO14443' });
  });
});

const connectedEv = (variable: string, instance?: string) => ({
  component: { name: 'ConnectedEV', evse: { id: 1 } },
  variable: { name: variable, ...(instance ? { instance } : {}) },
});

async function readConnectedEv(p: TxPair): Promise<Array<[string, string | undefined]>> {
  const answer = await p.call('GetVariables', {
    getVariableData: [
      connectedEv('Available'),
      connectedEv('VehicleId'),
      connectedEv('ProtocolAgreed'),
      connectedEv('ProtocolSupportedByEV', '1'),
      connectedEv('ProtocolSupportedByEV', '2'),
      connectedEv('VehicleCertificate', 'Leaf'),
    ],
  });
  return answer.getVariableResult.map((r: any) => [r.attributeStatus, r.attributeValue]);
}

test('Q01.FR.36 ConnectedEV of the EVSE: Available, VehicleId, ProtocolAgreed, ProtocolSupportedByEV, VehicleCertificate from the 15118 stack; cleared when the EV leaves', () =>
  withTxPair(v2xStation(), async (p) => {
    await p.booted();
    assert.equal(await readConnectedEv(p), [
      ['Accepted', 'false'],
      ['Accepted', ''],
      ['Accepted', ''],
      ['Accepted', ''],
      ['Accepted', ''],
      ['Accepted', ''],
    ]);
    await states.evConnected(p);
    p.station.iso15118Session(1, SESSION_20);
    assert.equal(await readConnectedEv(p), [
      ['Accepted', 'true'],
      ['Accepted', EVCCID],
      ['Accepted', SESSION_20.protocolAgreed],
      ['Accepted', SESSION_20.protocolsSupportedByEV[0]],
      ['Accepted', SESSION_20.protocolsSupportedByEV[1]],
      ['Accepted', SESSION_20.vehicleCertificate.Leaf],
    ]);
    const available = () => p.sent('StatusNotification').filter((m: any) => m.request.connectorStatus === 'Available');
    const before = available().length;
    states.evDisconnected(p);
    await until(() => available().length > before); // the EV has left
    const after = await readConnectedEv(p);
    assert.equal(after.slice(0, 2), [
      ['Accepted', 'false'],
      ['Accepted', ''],
    ]);
    assert.throws(() => p.station.iso15118Session(1, { ...SESSION_20, evccid: '' }), /evccid/);
  }));

test.run();
