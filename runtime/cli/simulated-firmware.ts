// The firmware side of the simulated station: what the ChargingStation's hardware callbacks do to the simulated
// hardware (the relay follows startCharging/stopCharging, the meter answers readMeter), and what the "firmware"
// reports back (the energy flow the simulated EV draws), as real firmware would.
import type { ChargingStation } from '../station/charging-station.js';
import type { EnergyFlow, MeterReading } from '../station/core/types.js';
import type { DeviceModelConfig } from '../station/device-model/types.js';
import type { HardwareCallbacks } from '../station/options.js';
import { LINE_VOLTAGE } from '../station/K-smart-charging/profiles.js';
import { DERControlEnumType } from '../../generated/v21/enums.js';
import { derCapability } from '../station/R-der/controls.js';
import { describeDerControl } from '../station/R-der/describe.js';
import type { Log } from './output.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BootInfo } from '../station/B-provisioning/boot.js';
import type { Store } from '../store/types.js';
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
    // OCPP 2.1 block R: the simulated inverter executes every DER control type (it prints them).
    derCapability(DERControlEnumType),
    // A temperature sensor the user sets with `temperature <celsius>`, for trying variable monitors (N04, N07).
    {
      name: 'TemperatureSensor',
      variables: [
        {
          name: 'Temperature',
          dataType: 'decimal',
          unit: 'Celsius',
          value: 25,
          mutability: 'ReadOnly',
          minLimit: -40,
          maxLimit: 150,
          supportsMonitoring: true,
        },
      ],
    },
  ],
};

/** Where the simulated station keeps the firmware version it installed, across restarts of the process. */
export const FIRMWARE_NS = 'simulator.firmware';

/**
 * The version a firmware file carries: a first line `ocppkit-firmware <version>` (how `ocppkit csms --files` users
 * can name one), else `sim-` and the start of the file's SHA-256.
 */
export function firmwareVersionOf(content: Buffer): string {
  const first = content.subarray(0, 200).toString('utf8').split('\n')[0] ?? '';
  const m = /^ocppkit-firmware\s+(\S{1,50})/.exec(first);
  return m ? m[1]! : `sim-${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
}

/** What the simulated firmware updates and reports on: the BootNotification info, the store, the recent log. */
export interface SimulatedSystem {
  /** The station's `info` object: an installed firmware changes its firmwareVersion (the next boot reports it). */
  info: BootInfo;
  store: Store;
  /** The latest lines the station printed (the diagnostics log GetLog uploads). */
  recentLog(): string[];
}

export class SimulatedFirmware {
  readonly #hardware: SimulatedHardware;
  readonly #log: Log;
  /** The energy flow last reported per EVSE while its relay is closed. */
  readonly #flows = new Map<number, EnergyFlow>();
  #station: ChargingStation | undefined;
  #silent = false;
  /** The display's last line (an empty display is not printed until something was shown). */
  #shown = 'display: (nothing to show)';

  readonly #system: SimulatedSystem | undefined;

  constructor(hardware: SimulatedHardware, log: Log, system?: SimulatedSystem) {
    this.#hardware = hardware;
    this.#log = log;
    this.#system = system;
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
    // 2.1 block R: the DER controls in force, printed as the settings of the simulated inverter.
    applyDERControls: (controls) => {
      if (controls.length === 0) return this.#log.info('inverter: no DER control in force');
      for (const c of controls) this.#log.info(`inverter: ${describeDerControl(c)}`);
    },
    // 2.1 block S: the simulated swap station always has a charged set; the driver swaps as soon as slots open.
    batterySwapAvailable: () => true,
    openBatterySlots: (requestId, idToken) => {
      this.#log.info(`battery swap ${requestId} for ${idToken.idToken}: empty slot opened`);
      setImmediate(() => this.#playSwap(requestId));
    },
    abortBatterySwap: (requestId, reason) => this.#log.info(`battery swap ${requestId} aborted: ${reason}`),
    // L01/L02: the downloaded, verified file is "installed": its version is what the station boots with next, after
    // the reboot ocppkit performs (RebootRequired); it is kept in the store so that a new process reports it too.
    installFirmware: (file) => {
      const system = this.#system;
      if (!system) return 'InstallationFailed';
      const version = firmwareVersionOf(readFileSync(file.path));
      this.#log.info(
        `installing firmware of request ${file.requestId} (${file.bytes} bytes${file.signed ? ', signature verified' : ''}): version ${version}, rebooting`,
      );
      system.store.put(FIRMWARE_NS, 'version', version);
      system.info.firmwareVersion = version;
      return 'RebootRequired';
    },
    // N01: the diagnostics log is what the station printed lately.
    diagnosticsLog: () => {
      const lines = this.#system?.recentLog() ?? [];
      return lines.length ? `${lines.join('\n')}\n` : undefined;
    },
    // O01–O06, I01–I06: what the display shows, when it changes.
    showDisplay: (screen) => {
      const text = displayText(screen);
      if (text === this.#shown) return;
      this.#shown = text;
      this.#log.info(text);
    },
    setChargingLimit: (evseId, { limit, unit, numberPhases, inverter }) => {
      // Amperes limit each phase (K01.FR.51) of the phases in use, 3 unless the schedule says (K01.FR.49). The
      // station gives the EVSE's maximum in amperes rounded down to 0.1 A: at or above that, nothing is limited.
      const perAmpere = LINE_VOLTAGE * (numberPhases ?? 3);
      const maxW = this.#hardware.state(evseId).maxPowerW;
      const watts = unit === 'W' ? limit : limit >= Math.floor((maxW / perAmpere) * 10) / 10 ? maxW : limit * perAmpere;
      const limited = this.#hardware.setLimit(evseId, watts);
      // 2.1 Q03/Q04: the EV follows the CSMS's setpoint (negative: it discharges); Q10: Idle transfers nothing.
      const setpoint =
        inverter?.mode === 'Idle'
          ? 0
          : (inverter?.mode === 'CentralSetpoint' || inverter?.mode === 'CentralFrequency') &&
              inverter.setpoint !== undefined
            ? unit === 'W'
              ? inverter.setpoint
              : inverter.setpoint * perAmpere
            : undefined;
      const followed = this.#hardware.setSetpoint(evseId, setpoint);
      if (limited)
        this.#log.info(
          `EVSE ${evseId}: charging limit ${limit} ${unit}${unit === 'A' ? ` (${Math.round(watts)} W)` : ''}`,
        );
      if (followed && inverter)
        this.#log.info(
          `EVSE ${evseId}: ${inverter.mode}${setpoint === undefined ? '' : `, setpoint ${Math.round(setpoint)} W${setpoint < 0 ? ' (discharging)' : ''}`}`,
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

  /** The simulated driver puts the old battery into slot 1 and takes the charged one from the last slot. */
  #playSwap(requestId: number): void {
    if (this.#silent || !this.#station) return;
    const last = this.#hardware.evseCount;
    const old = [{ evseId: 1, serialNumber: `SIM-OLD-${requestId}`, soC: 18, soH: 93 }];
    const charged = [{ evseId: last, serialNumber: `SIM-NEW-${requestId}`, soC: 96, soH: 97 }];
    this.#log.info(
      `battery swap ${requestId}: ${old[0]!.serialNumber} in slot 1, ${charged[0]!.serialNumber} offered in slot ${last}`,
    );
    this.#station.batteriesInserted(old, charged);
    this.#log.info(`battery swap ${requestId}: ${charged[0]!.serialNumber} taken`);
    this.#station.batteriesRemoved(charged);
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
