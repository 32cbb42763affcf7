// TC_E_46_CS (E15 End of charging process 15118) against the built-in CSMS over real sockets: the integrator's
// ISO 15118 stack reports the EV's SessionStopReq(Terminate) with ChargingStation.iso15118SessionStopped; no real EV
// stack is needed for what OCPP sees. Run in 2.0.1 (the edition of the test case) and 2.1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { states, withTxPair, type TxPairOptions } from '../support/tx-pair.js';

const VERSIONS = ['ocpp2.0.1', 'ocpp2.1'] as const;
const station = (version: (typeof VERSIONS)[number], txStopPoint: string): TxPairOptions => ({
  csms: { versions: [version] },
  station: { versions: [version] },
  variables: { 'TxCtrlr.TxStopPoint': txStopPoint },
});

for (const version of VERSIONS) {
  test(`TC_E_46_CS E15.FR.04 E15.FR.01 (${version}) TxStopPoint with Authorized: SessionStopReq ends the transaction: Ended, StopAuthorized, StoppedByEV, EVConnected, with the TxEndedMeasurands`, () =>
    withTxPair(station(version, 'EVConnected,Authorized'), async (p) => {
      await states.energyTransferStarted(p);
      p.station.iso15118SessionStopped(1);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.equal(
        [ended.triggerReason, ended.transactionInfo.stoppedReason, ended.transactionInfo.chargingState],
        ['StopAuthorized', 'StoppedByEV', 'EVConnected'],
      );
      const end = ended.meterValue
        ?.flatMap((m: any) => m.sampledValue)
        .find((v: any) => v.context === 'Transaction.End');
      assert.is(end?.value, 1000, 'the configured TxEndedMeasurands at the end (E15.FR.01)');
      assert.ok(
        p.hw.some((h) => h.op === 'stopCharging' && h.args[0] === 1),
        'energy stopped',
      );
    }));

  test(`TC_E_46_CS E15.FR.05 (${version}) TxStopPoint without Authorized, PowerPathClosed, EnergyTransfer: an Updated event StopAuthorized, EVConnected; the transaction goes on, and a second SessionStopReq reports nothing`, () =>
    withTxPair(station(version, 'EVConnected'), async (p) => {
      const transactionId = await states.energyTransferStarted(p);
      p.station.iso15118SessionStopped(1);
      const updated = await p.waitTx((r) => r.triggerReason === 'StopAuthorized');
      assert.equal(
        [updated.eventType, updated.transactionInfo.chargingState, updated.transactionInfo.transactionId],
        ['Updated', 'EVConnected', transactionId],
      );
      assert.ok(p.hw.some((h) => h.op === 'stopCharging'));
      // Once only (E15.FR.05: "has not yet sent ... StopAuthorized"); the EV leaving then ends the transaction.
      p.station.iso15118SessionStopped(1);
      states.evDisconnected(p);
      const ended = await p.waitTx((r) => r.eventType === 'Ended');
      assert.is(ended.transactionInfo.stoppedReason, 'StoppedByEV');
      assert.is(p.tx().filter((r) => r.triggerReason === 'StopAuthorized').length, 1);
    }));
}

test.run();
