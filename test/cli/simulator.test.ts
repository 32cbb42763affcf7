// The simulated hardware of `ocppkit station`: the meter advances with the power drawn — only while the relay is
// closed, the cable plugged and no fault — and its register survives a restart in the station's store file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimulatedFirmware } from '../../runtime/cli/simulated-firmware.js';
import { SimulatedHardware } from '../../runtime/cli/simulator.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import { tempDir } from '../helpers/tmp.js';

test('the meter advances with the charging power, only while energy can flow', () => {
  let now = 1_000_000;
  const hw = new SimulatedHardware({ evses: 2, powerW: 7200, now: () => now });
  hw.setRelay(1, true);
  now += 60_000;
  assert.equal(hw.read(1), { energyWh: 0, powerW: 0 }, 'relay closed but no EV plugged in: nothing flows');
  hw.plug(1);
  assert.is(hw.read(1).powerW, 7200);
  now += 30 * 60_000;
  assert.is(hw.read(1).energyWh, 3600, '7.2 kW for half an hour');
  hw.fault(1);
  now += 10 * 60_000;
  assert.equal(hw.read(1), { energyWh: 3600, powerW: 0 }, 'a faulted connector draws nothing');
  hw.clear(1);
  now += 5 * 60_000;
  assert.is(hw.read(1).energyWh, 4200);
  hw.setRelay(1, false);
  now += 60 * 60_000;
  assert.equal(hw.read(1), { energyWh: 4200, powerW: 0 });
  assert.equal(hw.read(2), { energyWh: 0, powerW: 0 }, 'EVSEs have their own meters');
});

test('plug, unplug, fault and clear report whether they changed anything; an unknown EVSE is named', () => {
  const hw = new SimulatedHardware({ evses: 1, powerW: 1000 });
  assert.is(hw.plug(1), true);
  assert.is(hw.plug(1), false);
  assert.is(hw.unplug(1), true);
  assert.is(hw.unplug(1), false);
  assert.is(hw.fault(1), true);
  assert.is(hw.fault(1), false);
  assert.is(hw.clear(1), true);
  assert.throws(() => hw.plug(2), /EVSE 2 does not exist \(EVSEs 1 to 1\)/);
  assert.throws(() => new SimulatedHardware({ evses: 0, powerW: 1 }), /evses must be a positive integer/);
});

test('the EV draws no more than the charging limit the station set (setChargingLimit, A per phase or W)', () => {
  let now = 0;
  const hw = new SimulatedHardware({ evses: 1, powerW: 11000, now: () => now });
  const fw = new SimulatedFirmware(hw, { info: () => {}, warn: () => {}, error: () => {} });
  hw.plug(1);
  hw.setRelay(1, true);
  assert.is(hw.read(1).powerW, 11000);
  void fw.callbacks.setChargingLimit!(1, { limit: 6, unit: 'A', numberPhases: 3 });
  assert.is(hw.read(1).powerW, 6 * 230 * 3, '6 A on 3 phases of 230 V');
  now += 3_600_000;
  assert.is(hw.read(1).energyWh, 4140);
  void fw.callbacks.setChargingLimit!(1, { limit: 20000, unit: 'W' });
  assert.is(hw.read(1).powerW, 11000, 'a limit above what the EV draws changes nothing');
  void fw.callbacks.setChargingLimit!(1, { limit: 0, unit: 'W' });
  assert.is(hw.read(1).powerW, 0);
  // 11 kW on 3 × 230 V is 15.94 A, which the station reports rounded down: that is no limit.
  void fw.callbacks.setChargingLimit!(1, { limit: 15.9, unit: 'A', numberPhases: 3 });
  assert.is(hw.read(1).powerW, 11000);
  void fw.callbacks.setChargingLimit!(1, { limit: 15.8, unit: 'A', numberPhases: 3 });
  assert.is(hw.read(1).powerW, 15.8 * 690);
});

test('the meter register is kept in the store file across a restart, as a real meter keeps its count', () => {
  const tmp = tempDir('ocppkit-sim-');
  try {
    let now = 0;
    const store = openSqliteStore(tmp.file('station.db'));
    const hw = new SimulatedHardware({ evses: 1, powerW: 3600, now: () => now, store });
    hw.plug(1);
    hw.setRelay(1, true);
    now += 3_600_000;
    hw.save();
    store.close();
    const again = openSqliteStore(tmp.file('station.db'));
    const after = new SimulatedHardware({ evses: 1, powerW: 3600, now: () => now, store: again });
    assert.equal(after.read(1), { energyWh: 3600, powerW: 0 });
    again.close();
  } finally {
    tmp.remove();
  }
});

test('issue 20 #7: after a kill (no save, no clean stop) the register is at least every value read from it, and save() writes only what advanced', () => {
  const tmp = tempDir('ocppkit-sim-');
  try {
    let now = 0;
    const store = openSqliteStore(tmp.file('station.db'));
    const hw = new SimulatedHardware({ evses: 2, powerW: 3600, now: () => now, store });
    hw.plug(1);
    hw.setRelay(1, true);
    const read: number[] = [];
    for (let i = 0; i < 5; i++) {
      now += 60_000;
      read.push(hw.read(1).energyWh); // what the station reports in a meter value
    }
    now += 10_000; // energy drawn after the last read and before the kill: what a kill may lose
    // SIGKILL: the process ends here, without save(). The store file is all that is left (closing it only
    // releases its lock: every committed write was already durable).
    store.close();
    const again = openSqliteStore(tmp.file('station.db'));
    const after = new SimulatedHardware({ evses: 2, powerW: 3600, now: () => now, store: again });
    assert.is(after.read(1).energyWh, read.at(-1)!, 'the register is where it was last read: it never goes back');
    assert.is(after.read(2).energyWh, 0);
    after.plug(1);
    after.setRelay(1, true);
    now += 1000;
    after.save(); // the periodic save (every second in ocppkit station)
    now += 1000; // and killed again before the next one
    again.close();
    const last = openSqliteStore(tmp.file('station.db'));
    const third = new SimulatedHardware({ evses: 2, powerW: 3600, now: () => now, store: last });
    assert.is(third.read(1).energyWh, read.at(-1)! + 1, 'one second at 3.6 kW was saved, the next one lost');
    last.close();
  } finally {
    tmp.remove();
  }
});

test('the station reads the meters through readMeter: each EVSE, and 0 as the main meter (the sum), in Wh and W', () => {
  let now = 0;
  const hw = new SimulatedHardware({ evses: 2, powerW: 3600, now: () => now });
  const firmware = new SimulatedFirmware(hw, { info: () => {}, warn: () => {}, error: () => {} });
  for (const id of [1, 2]) {
    hw.plug(id);
    firmware.callbacks.startCharging!(id, 1);
  }
  now += 1_800_000;
  firmware.callbacks.stopCharging!(2);
  now += 1_800_000;
  const reading = (evseId: number) => firmware.callbacks.readMeter!(evseId).map((r) => [r.measurand, r.value, r.unit]);
  assert.equal(reading(1), [
    ['Energy.Active.Import.Register', 3600, 'Wh'],
    ['Power.Active.Import', 3600, 'W'],
  ]);
  assert.equal(reading(2), [
    ['Energy.Active.Import.Register', 1800, 'Wh'],
    ['Power.Active.Import', 0, 'W'],
  ]);
  assert.equal(reading(0), [
    ['Energy.Active.Import.Register', 5400, 'Wh'],
    ['Power.Active.Import', 3600, 'W'],
  ]);
  assert.is(firmware.callbacks.unlockConnector!(1, 1), true);
});

test.run();
