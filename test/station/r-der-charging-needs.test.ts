// R02.FR.01 / R03.FR.01 over real sockets against the built-in CSMS speaking 2.1: the DER capabilities of the EV's
// inverter, which the integrator's ISO 15118-20 stack learns in an AC_BPT_DER / AC_DER session, reach the CSMS in
// NotifyEVChargingNeeds (derChargingParameters) through ChargingStation.evChargingNeeds (block K).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChargingNeedsType } from '../../generated/v21/types.js';
import { states, withTxPair } from '../support/tx-pair.js';

const AC = { energyAmount: 20000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 };
const DER = {
  evSupportedDERControl: ['FreqWatt', 'VoltVar'],
  evOverExcitedMaxDischargePower: 7000,
  evOverExcitedPowerFactor: 0.9,
  maxChargeApparentPower: 11000,
  maxDischargeApparentPower: 11000,
  nominalVoltage: 230,
  evInverterManufacturer: 'Inverters Inc.',
  evInverterSerialNumber: 'INV-0042',
  evIslandingDetectionMethod: ['RoCoF'],
} satisfies ChargingNeedsType['derChargingParameters'];

const needs = (requestedEnergyTransfer: ChargingNeedsType['requestedEnergyTransfer']): ChargingNeedsType => ({
  requestedEnergyTransfer,
  availableEnergyTransfer: [requestedEnergyTransfer],
  acChargingParameters: AC,
  derChargingParameters: DER,
});

const v21 = { csms: { versions: ['ocpp2.1' as const] }, station: { versions: ['ocpp2.1' as const] } };

for (const mode of ['AC_BPT_DER', 'AC_DER'] as const)
  test(`${mode === 'AC_BPT_DER' ? 'R02.FR.01' : 'R03.FR.01'} the EV inverter's DER capabilities of an ${mode} session go to the CSMS in NotifyEVChargingNeeds derChargingParameters`, () =>
    withTxPair(v21, async (p) => {
      await states.energyTransferStarted(p);
      p.station.evChargingNeeds(1, needs(mode));
      const sent = (await p.waitFor('NotifyEVChargingNeeds')).request as any;
      assert.is(sent.evseId, 1);
      assert.equal(sent.chargingNeeds.derChargingParameters, DER);
      assert.is(sent.chargingNeeds.requestedEnergyTransfer, mode);
    }));

test('R02.FR.01 DER parameters outside a DER session, or with a negative value, are refused before anything is sent', () =>
  withTxPair(v21, async (p) => {
    await p.booted();
    assert.throws(() => p.station.evChargingNeeds(1, needs('AC_BPT')), /derChargingParameters.*AC_BPT_DER/);
    assert.throws(
      () =>
        p.station.evChargingNeeds(1, {
          ...needs('AC_BPT_DER'),
          derChargingParameters: { ...DER, maxChargeApparentPower: -1 },
        }),
      /maxChargeApparentPower must be a number of zero or more/,
    );
    // What the station sends after the refusals is the next valid needs, not the refused ones.
    p.station.evChargingNeeds(1, needs('AC_BPT_DER'));
    await p.waitFor('NotifyEVChargingNeeds');
    assert.is(p.sent('NotifyEVChargingNeeds').length, 1);
  }));

test.run();
