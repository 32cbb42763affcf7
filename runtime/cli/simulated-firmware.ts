// The firmware side of the simulated station: what the ChargingStation's hardware callbacks do to the simulated
// hardware (the relay follows startCharging/stopCharging, the meter answers readMeter), and what the "firmware"
// reports back (the energy flow the simulated EV draws), as real firmware would.
import type { ChargingStation } from '../station/charging-station.js';
import type { EnergyFlow, MeterReading } from '../station/core/types.js';
import type { DeviceModelConfig } from '../station/device-model/types.js';
import type { HardwareCallbacks } from '../station/options.js';
import { LINE_VOLTAGE } from '../station/K-smart-charging/profiles.js';
import type { Log } from './output.js';
import { displayText } from './display-text.js';
import type { SimulatedHardware } from './simulator.js';

/** What the simulated meter measures, as the device model lists it: energy always, power in the periodic samples. */
const METER_MEASURANDS = ['Energy.Active.Import.Register', 'Power.Active.Import'];
const measurands = (name: string, value: string[]) => ({ name, valuesList: METER_MEASURANDS, value });
export const SIMULATED_METER: DeviceModelConfig = {
  components: [
    {
      name: 'SampledDataCtrlr',
      variables: [
        measurands('TxStartedMeasurands', ['Energy.Active.Import.Register']),
        measurands('TxUpdatedMeasurands', METER_MEASURANDS),
        measurands('TxEndedMeasurands', ['Energy.Active.Import.Register']),
      ],
    },
    {
      name: 'AlignedDataCtrlr',
      variables: [measurands('Measurands', ['Energy.Active.Import.Register']), measurands('TxEndedMeasurands', [])],
    },
  ],
};

export class SimulatedFirmware {
  readonly #hardware: SimulatedHardware;
  readonly #log: Log;
  /** The energy flow last reported per EVSE while its relay is closed. */
  readonly #flows = new Map<number, EnergyFlow>();
  #station: ChargingStation | undefined;
  #silent = false;
  /** The display's last line (an empty display is not printed until something was shown). */
  #shown = 'display: (nothing to show)';

  constructor(hardware: SimulatedHardware, log: Log) {
    this.#hardware = hardware;
    this.#log = log;
  }

  /** The station the reports go to (it is built with `callbacks`, so it comes second). */
  attach(station: ChargingStation): void {
    this.#station = station;
  }

  /** No more reports: the station is stopping. */
  silence(): void {
    this.#silent = true;
  }

  readonly callbacks: HardwareCallbacks = {
    reset: (kind) => this.#log.info(`reset ${kind} of the station: rebooting`),
    resetEvse: (evseId, kind) => this.#log.info(`reset ${kind} of EVSE ${evseId}`),
    setConnectorAvailability: (evseId, connectorId, operative) =>
      this.#log.info(`EVSE ${evseId} connector ${connectorId} made ${operative ? 'operative' : 'inoperative'}`),
    startCharging: (evseId) => this.#relay(evseId, true),
    stopCharging: (evseId) => this.#relay(evseId, false),
    unlockConnector: (evseId, connectorId) => {
      this.#log.info(`EVSE ${evseId} connector ${connectorId}: cable unlocked`);
      return true;
    },
    readMeter: (evseId) => this.readMeter(evseId),
    // O01–O06, I01–I06: what the display shows, when it changes.
    showDisplay: (screen) => {
      const text = displayText(screen);
      if (text === this.#shown) return;
      this.#shown = text;
      this.#log.info(text);
    },
    setChargingLimit: (evseId, { limit, unit, numberPhases }) => {
      // Amperes limit each phase (K01.FR.51) of the phases in use, 3 unless the schedule says (K01.FR.49). The
      // station gives the EVSE's maximum in amperes rounded down to 0.1 A: at or above that, nothing is limited.
      const perAmpere = LINE_VOLTAGE * (numberPhases ?? 3);
      const maxW = this.#hardware.state(evseId).maxPowerW;
      const watts = unit === 'W' ? limit : limit >= Math.floor((maxW / perAmpere) * 10) / 10 ? maxW : limit * perAmpere;
      if (this.#hardware.setLimit(evseId, watts))
        this.#log.info(
          `EVSE ${evseId}: charging limit ${limit} ${unit}${unit === 'A' ? ` (${Math.round(watts)} W)` : ''}`,
        );
    },
  };

  /** Tells the station what the energy flow does now, when the relay is closed and it changed (after a fault, …). */
  reportFlow(evseId: number): void {
    const hw = this.#hardware.state(evseId);
    if (!hw.relayClosed || !hw.plugged || this.#silent || !this.#station) return;
    // The simulated EV takes whatever is offered; a faulted connector delivers nothing.
    const flow: EnergyFlow = hw.faulted ? 'SuspendedEVSE' : 'Charging';
    if (this.#flows.get(evseId) === flow) return;
    this.#flows.set(evseId, flow);
    this.#station.chargingStateChanged(evseId, flow);
  }

  /** The simulated meters as the station reads them (evseId 0: the main meter, the sum of all EVSEs). */
  readMeter(evseId: number): MeterReading[] {
    const ids = evseId === 0 ? Array.from({ length: this.#hardware.evseCount }, (_, i) => i + 1) : [evseId];
    const total = ids
      .map((id) => this.#hardware.read(id))
      .reduce((a, r) => ({ energyWh: a.energyWh + r.energyWh, powerW: a.powerW + r.powerW }), {
        energyWh: 0,
        powerW: 0,
      });
    return [
      { measurand: 'Energy.Active.Import.Register', value: Math.round(total.energyWh * 10) / 10, unit: 'Wh' },
      { measurand: 'Power.Active.Import', value: Math.round(total.powerW), unit: 'W' },
    ];
  }

  /** The station opens or closes an EVSE's power path. */
  #relay(evseId: number, closed: boolean): void {
    if (!this.#hardware.setRelay(evseId, closed)) return;
    this.#log.info(`EVSE ${evseId}: relay ${closed ? 'closed: energy may flow' : 'opened'}`);
    if (!closed) this.#flows.delete(evseId);
    // After the callback returned: the station hears what the EV does as a separate report, as from real firmware.
    else setImmediate(() => this.reportFlow(evseId));
  }
}
