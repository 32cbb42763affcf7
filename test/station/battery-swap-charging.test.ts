// S03.FR.02/04 and S04 over real sockets against the built-in CSMS speaking 2.1: the slots of a swap station are
// EVSEs with a `bBatterySlot` connector; a battery in a slot is reported by NotifyEvent (Connector.AvailabilityState)
// and charged as a transaction under BatterySwapCtrlr.IdToken.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BatteryDataType } from '../../generated/v21/types.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import { startPair, type Pair } from '../support/station-harness.js';

const DRIVER = { idToken: 'SWAP-7', type: 'ISO14443' } as const;
const OLD: BatteryDataType[] = [{ evseId: 1, serialNumber: 'OLD-1', soC: 10, soH: 90 }];
const NEW: BatteryDataType[] = [{ evseId: 2, serialNumber: 'NEW-2', soC: 98, soH: 96 }];
const SLOTS = [1, 2].map((id) => ({ id, connectors: [{ id: 1, type: 'bBatterySlot' as const }] }));

interface Swap {
  p: Pair;
  hardware: Array<[string, unknown[]]>;
  /** Resolves when the station opened the slots of an authorized swap. */
  slotsOpen: Promise<void>;
}

async function withSwapStation(
  variables: ChargingStationOptions['variables'],
  fn: (s: Swap) => Promise<void>,
  deviceModel?: ChargingStationOptions['deviceModel'],
) {
  const hardware: Array<[string, unknown[]]> = [];
  let open!: () => void;
  const slotsOpen = new Promise<void>((resolve) => (open = resolve));
  const p = await startPair({
    csms: { versions: ['ocpp2.1'] },
    station: {
      versions: ['ocpp2.1'],
      evses: SLOTS,
      ...(variables ? { variables } : {}),
      ...(deviceModel ? { deviceModel } : {}),
      hardware: {
        batterySwapAvailable: () => true,
        openBatterySlots: () => open(),
        startCharging: (...args) => void hardware.push(['startCharging', args]),
        stopCharging: (...args) => void hardware.push(['stopCharging', args]),
        batteryEligible: (...args) => void hardware.push(['batteryEligible', args]),
      },
    },
  });
  try {
    await p.waitFor('BootNotification');
    await p.waitFor('StatusNotification', (m: any) => m.request.evseId === 2);
    await fn({ p, hardware, slotsOpen });
  } finally {
    await p.close();
  }
}

const slotEvent = (evseId: number, value: string) => (m: any) =>
  m.request.eventData.some(
    (e: any) =>
      e.component.name === 'Connector' &&
      e.component.evse?.id === evseId &&
      e.component.evse?.connectorId === 1 &&
      e.variable.name === 'AvailabilityState' &&
      e.actualValue === value &&
      e.trigger === 'Delta',
  );
const txOn = (evseId: number, eventType: string) => (m: any) =>
  m.request.eventType === eventType && m.request.evse?.id === evseId;
const txEnded = (started: any) => (m: any) =>
  m.request.eventType === 'Ended' &&
  m.request.transactionInfo.transactionId === started.request.transactionInfo.transactionId;

test('S03.FR.02 S03.FR.04 S04.FR.01 S04.FR.02 S04.FR.07 a swap: BatteryIn with the slot Occupied and a Started transaction under BatterySwapCtrlr.IdToken, BatteryOut with the slot Available and the Ended transaction', () =>
  withSwapStation({ 'BatterySwapCtrlr.IdToken': 'BSS-001' }, async ({ p, hardware, slotsOpen }) => {
    // A charged battery was in slot 2 before the driver came (reported like a cable).
    p.station.cablePlugged(2, 1);
    const charged = await p.waitFor('TransactionEvent', txOn(2, 'Started'));
    p.station.batterySwapRequested(DRIVER);
    await slotsOpen; // authorized: the driver puts the old battery in and takes the new one
    p.station.batteriesInserted(OLD, NEW);
    const into = await p.waitFor('BatterySwap', (m: any) => m.request.eventType === 'BatteryIn');
    const occupied = await p.waitFor('NotifyEvent', slotEvent(1, 'Occupied'));
    const started = await p.waitFor('TransactionEvent', txOn(1, 'Started'));
    const req = started.request as any;
    assert.is(req.triggerReason, 'CablePluggedIn');
    assert.is(req.transactionInfo.chargingState, 'Charging');
    assert.equal(req.idToken, { idToken: 'BSS-001', type: 'Central' });
    assert.equal(req.evse, { id: 1, connectorId: 1 });
    assert.ok(occupied.at >= into.at, 'the slot is reported Occupied with the BatteryIn');
    assert.ok(
      hardware.some(([op, args]) => op === 'startCharging' && args[0] === 1),
      'S04.FR.01: the battery charges',
    );
    assert.is(
      p.sent('StatusNotification').filter((m: any) => m.request.evseId === 1).length,
      1,
      'only the boot status of slot 1 went as StatusNotification',
    );

    p.station.batteriesRemoved(NEW);
    await p.waitFor('BatterySwap', (m: any) => m.request.eventType === 'BatteryOut');
    await p.waitFor('NotifyEvent', slotEvent(2, 'Available'));
    const ended = (await p.waitFor('TransactionEvent', txEnded(charged))).request as any;
    assert.is(ended.triggerReason, 'EVCommunicationLost');
    assert.is(ended.transactionInfo.stoppedReason, 'EVDisconnected');
    assert.is(ended.transactionInfo.chargingState, 'Idle');
  }));

test('S04.FR.03 without BatterySwapCtrlr.IdToken the Started event has an empty NoAuthorization idToken', () =>
  withSwapStation(undefined, async ({ p }) => {
    p.station.cablePlugged(1, 1);
    const started = (await p.waitFor('TransactionEvent', txOn(1, 'Started'))).request as any;
    assert.equal(
      [started.triggerReason, started.transactionInfo.chargingState, started.idToken],
      ['CablePluggedIn', 'Charging', { idToken: '', type: 'NoAuthorization' }],
    );
  }));

test('S04.FR.04 S04.FR.06 the SoC in periodic Updated events; at BatterySwapCtrlr.MaxSoc energy stops: EnergyLimitReached, SuspendedEVSE', () =>
  withSwapStation(
    { 'SampledDataCtrlr.TxUpdatedInterval': 1 },
    async ({ p, hardware }) => {
      p.station.meterValues(1, [{ measurand: 'SoC', value: 42, unit: 'Percent' }]);
      p.station.cablePlugged(1, 1);
      await p.waitFor('TransactionEvent', txOn(1, 'Started'));
      const periodic = (
        await p.waitFor('TransactionEvent', (m: any) => m.request.triggerReason === 'MeterValuePeriodic', 5000)
      ).request as any;
      const soc = periodic.meterValue[0].sampledValue.find((v: any) => v.measurand === 'SoC');
      assert.is(soc?.value, 42);
      assert.is(
        p.sent('TransactionEvent').some((m: any) => m.request.triggerReason === 'EnergyLimitReached'),
        false,
        'below MaxSoc it charges on',
      );
      p.station.meterValues(1, [{ measurand: 'SoC', value: 80, unit: 'Percent' }]);
      const full = (await p.waitFor('TransactionEvent', (m: any) => m.request.triggerReason === 'EnergyLimitReached'))
        .request as any;
      assert.equal([full.eventType, full.transactionInfo.chargingState], ['Updated', 'SuspendedEVSE']);
      assert.ok(hardware.some(([op, args]) => op === 'stopCharging' && args[0] === 1));
      // The transaction stays (S04.FR.06): no Ended event came with it.
      assert.is(p.sent('TransactionEvent').filter((m: any) => m.request.eventType === 'Ended').length, 0);
    },
    {
      components: [
        { name: 'BatterySwapCtrlr', variables: [{ name: 'MaxSoc', value: 80 }] },
        {
          name: 'SampledDataCtrlr',
          variables: [
            { name: 'TxUpdatedMeasurands', valuesList: ['Energy.Active.Import.Register', 'SoC'], value: 'SoC' },
          ],
        },
      ],
    },
  ));

test('S04.FR.05 at BatterySwapCtrlr.TargetSoC the battery in the slot is made eligible for swapping, once per battery', () =>
  withSwapStation(
    undefined,
    async ({ p, hardware }) => {
      const eligible = () => hardware.filter(([op]) => op === 'batteryEligible').map(([, args]) => args);
      p.station.cablePlugged(1, 1);
      await p.waitFor('TransactionEvent', txOn(1, 'Started'));
      p.station.meterValues(1, [{ measurand: 'SoC', value: 69, unit: 'Percent' }]);
      p.station.meterValues(1, [{ measurand: 'SoC', value: 70, unit: 'Percent' }]);
      p.station.meterValues(1, [{ measurand: 'SoC', value: 75, unit: 'Percent' }]);
      assert.equal(eligible(), [[1, 70]]);
      // Taken out and replaced by an empty one: judged anew.
      p.station.cableUnplugged(1, 1);
      p.station.cablePlugged(1, 1);
      p.station.meterValues(1, [{ measurand: 'SoC', value: 12, unit: 'Percent' }]);
      assert.equal(eligible(), [[1, 70]]);
      p.station.meterValues(1, [{ measurand: 'SoC', value: 71, unit: 'Percent' }]);
      assert.equal(eligible(), [
        [1, 70],
        [1, 71],
      ]);
    },
    {
      components: [
        {
          name: 'BatterySwapCtrlr',
          variables: [
            { name: 'TargetSoC', value: 70 },
            { name: 'MaxSoc', value: 90 },
          ],
        },
      ],
    },
  ));

test('S04.FR.11 after a reboot the battery in a slot gets a new transaction, even where transactions resume', () =>
  withSwapStation({ 'TxCtrlr.ResumptionTimeout': 600, 'BatterySwapCtrlr.IdToken': 'BSS-001' }, async ({ p }) => {
    p.station.cablePlugged(1, 1);
    const started = await p.waitFor('TransactionEvent', txOn(1, 'Started'));
    const first = started.request as any;
    await p.restart();
    p.station.cablePlugged(1, 1); // the firmware reports the battery still in its slot
    const ended = (await p.waitFor('TransactionEvent', txEnded(started))).request as any;
    assert.is(ended.triggerReason, 'AbnormalCondition', 'the old transaction ended');
    const second = (
      await p.waitFor(
        'TransactionEvent',
        (m: any) =>
          txOn(1, 'Started')(m) && m.request.transactionInfo.transactionId !== first.transactionInfo.transactionId,
      )
    ).request as any;
    assert.equal([second.triggerReason, second.idToken], ['CablePluggedIn', { idToken: 'BSS-001', type: 'Central' }]);
    assert.is(
      p.sent('TransactionEvent').some((m: any) => m.request.triggerReason === 'TxResumed'),
      false,
      'not resumed',
    );
  }));

test.run();
