// @requires-spec
// Every CSMS→CS request the station has no use case for is answered with CALLERROR NotSupported (Part 4: "Requested
// Action is recognized but not supported"; OCTT TC_K_15_CS expects exactly that of a station without smart charging), never
// ignored — for every such action of 2.0.1 and of 2.1, each sent with a valid payload built from the OCA schema.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { protocol as v201 } from '../../generated/v201/index.js';
import { protocol as v21 } from '../../generated/v21/index.js';
import { CallErrorResponse } from '../../runtime/rpc/errors.js';
import { until } from '../support/rpc-harness.js';
import { SampleBuilder } from '../support/sample-builder.js';
import { startPair } from '../support/station-harness.js';

const specDir = resolve(process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');
/** What the station's use cases answer so far (each block that lands adds its actions here). */
const HANDLED = new Set([
  'ChangeAvailability',
  'Reset',
  'SetNetworkProfile',
  'TriggerMessage',
  'DataTransfer',
  'GetVariables',
  'SetVariables',
  'GetBaseReport',
  'GetReport',
  'ClearCache',
  'SendLocalList',
  'GetLocalListVersion',
  'ReserveNow',
  'CancelReservation',
  'RequestStartTransaction',
  'RequestStopTransaction',
  'UnlockConnector',
  'GetTransactionStatus',
  'SetChargingProfile',
  'ClearChargingProfile',
  'GetChargingProfiles',
  'GetCompositeSchedule',
  'SetVariableMonitoring',
  'ClearVariableMonitoring',
  'SetMonitoringBase',
  'SetMonitoringLevel',
  'GetMonitoringReport',
  'CustomerInformation',
  'UpdateFirmware',
  'GetLog',
  'CertificateSigned',
  'InstallCertificate',
  'DeleteCertificate',
  'GetInstalledCertificateIds',
  // Acknowledged by E without a display (I02.FR.02); in 2.1 its running cost counts against maxCost (E16.FR.15).
  'CostUpdated',
  // 2.1 only: blocks K, N (periodic event streams), R, S, Q.
  'UsePriorityCharging',
  'UpdateDynamicSchedule',
  'GetPeriodicEventStream',
  'AdjustPeriodicEventStream',
  'SetDERControl',
  'GetDERControl',
  'ClearDERControl',
  'RequestBatterySwap',
  'NotifyAllowedEnergyTransfer',
  'AFRRSignal',
]);

for (const [version, protocol] of [
  ['ocpp2.0.1', v201],
  ['ocpp2.1', v21],
] as const) {
  test(`TC_K_15_CS ${version}: every CSMS→CS action without a use case gets CALLERROR NotSupported`, async () => {
    const pair = await startPair({ csms: { versions: [version] }, station: { versions: [version] } });
    try {
      await until(() => pair.station.registration === 'Accepted', 3000, 'Accepted');
      const actions = Object.entries(protocol.actions as Record<string, { direction: string; send?: true }>)
        .filter(([name, d]) => d.direction !== 'CS->CSMS' && !d.send && !HANDLED.has(name))
        .map(([name]) => name);
      // 2.0.1: 39 CSMS→CS actions + DataTransfer; 2.1: 54 + DataTransfer (the spec README's counts), less the handled.
      const handledHere = [...HANDLED].filter((a) => Object.hasOwn(protocol.actions, a)).length;
      assert.is(actions.length, (version === 'ocpp2.1' ? 55 : 40) - handledHere);
      const answers: string[] = [];
      for (const action of actions) {
        const schema = JSON.parse(readFileSync(join(specDir, 'schemas', version, `${action}Request.json`), 'utf8'));
        const payload = new SampleBuilder(schema).minimal();
        const outcome = await pair.csms.call(pair.identity, action, payload).then(
          (r) => `${action}: answered ${JSON.stringify(r)}`,
          (e: unknown) => (e instanceof CallErrorResponse ? `${action}: ${e.code}` : `${action}: ${String(e)}`),
        );
        answers.push(outcome);
      }
      assert.equal(
        answers,
        actions.map((a) => `${a}: NotSupported`),
      );
    } finally {
      await pair.close();
    }
  });
}

test.run();
