// The simulated hardware behind `ocppkit station`: per EVSE a connector (plugged or not, faulted or not), a relay
// the station opens and closes, and an energy meter whose register advances with the power drawn while the relay
// is closed and an EV is plugged in. The register is kept in the station's store, as a real meter keeps its count
// across reboots and power losses: it is written before any value read from it can be reported (read()), on every
// change of what flows, and every second while energy flows (StationRun), so that a kill -9 loses at most the last
// second of energy and a register never goes back below a value the station reported.
import type { DocumentStore } from '../store/types.js';

const NAMESPACE = 'simulator.meter';

export interface MeterReading {
  /** The import register, Wh (Energy.Active.Import.Register). */
  energyWh: number;
  /** The power drawn now, W (Power.Active.Import); negative while the EV discharges. */
  powerW: number;
}

export interface SimulatedEvseState {
  id: number;
  plugged: boolean;
  faulted: boolean;
  /** The relay: closed when the station lets energy flow. */
  relayClosed: boolean;
  /** What the EV draws where no limit stops it, W. */
  maxPowerW: number;
}

export interface SimulatorOptions {
  evses: number;
  /** What an EV draws while charging, W. */
  powerW: number;
  now?: () => number;
  /** Where the meter registers are kept (the station's store); omitted: they start at 0 every run. */
  store?: DocumentStore;
}

class SimulatedEvse implements SimulatedEvseState {
  plugged = false;
  faulted = false;
  relayClosed = false;
  /** The charging limit the station set (block K: setChargingLimit), W; undefined: none. */
  limitW: number | undefined;
  /**
   * 2.1: the power the station's setpoint asks for (Q03 CentralSetpoint, Q10 Idle), W; negative: the EV discharges
   * into the grid. Undefined: the EV charges as much as it may.
   */
  setpointW: number | undefined;
  #registerWh: number;
  #since: number;
  /** The register as last written to the store. */
  savedWh: number;

  constructor(
    readonly id: number,
    registerWh: number,
    now: number,
    readonly maxPowerW: number,
  ) {
    this.#registerWh = registerWh;
    this.#since = now;
    this.savedWh = registerWh;
  }

  get powerW(): number {
    if (!this.relayClosed || !this.plugged || this.faulted) return 0;
    // The simulated EV draws what it can, never more than the station's limit.
    const most = this.limitW === undefined ? this.maxPowerW : Math.min(this.maxPowerW, Math.max(0, this.limitW));
    // A bidirectional EV follows a setpoint, discharging at a negative one, as far as it can.
    return this.setpointW === undefined ? most : Math.max(-this.maxPowerW, Math.min(most, this.setpointW));
  }

  /** Adds the energy drawn since the last settlement at the power that applied meanwhile. */
  settle(now: number): number {
    const elapsedMs = Math.max(0, now - this.#since);
    // The import register counts energy drawn only: discharging does not turn it back.
    this.#registerWh += (Math.max(0, this.powerW) * elapsedMs) / 3_600_000;
    this.#since = now;
    return this.#registerWh;
  }
}

export class SimulatedHardware {
  readonly #evses: SimulatedEvse[];
  readonly #now: () => number;
  readonly #store: DocumentStore | undefined;

  constructor(options: SimulatorOptions) {
    if (!Number.isInteger(options.evses) || options.evses < 1)
      throw new RangeError(`evses must be a positive integer, got ${options.evses}`);
    if (!Number.isFinite(options.powerW) || options.powerW <= 0)
      throw new RangeError(`powerW must be a positive number, got ${options.powerW}`);
    this.#now = options.now ?? Date.now;
    this.#store = options.store;
    const now = this.#now();
    this.#evses = Array.from({ length: options.evses }, (_, i) => {
      const saved = this.#store?.get<number>(NAMESPACE, String(i + 1));
      return new SimulatedEvse(i + 1, typeof saved === 'number' && saved >= 0 ? saved : 0, now, options.powerW);
    });
  }

  get evseCount(): number {
    return this.#evses.length;
  }

  state(evseId: number): SimulatedEvseState {
    const e = this.#evse(evseId);
    return {
      id: e.id,
      plugged: e.plugged,
      faulted: e.faulted,
      relayClosed: e.relayClosed,
      maxPowerW: e.maxPowerW,
    };
  }

  /** Returns false when the cable was already plugged. */
  plug(evseId: number): boolean {
    return this.#change(evseId, (e) => (e.plugged ? false : ((e.plugged = true), true)));
  }

  unplug(evseId: number): boolean {
    return this.#change(evseId, (e) => (e.plugged ? ((e.plugged = false), true) : false));
  }

  fault(evseId: number): boolean {
    return this.#change(evseId, (e) => (e.faulted ? false : ((e.faulted = true), true)));
  }

  clear(evseId: number): boolean {
    return this.#change(evseId, (e) => (e.faulted ? ((e.faulted = false), true) : false));
  }

  /** Closes (energy may flow) or opens the relay of an EVSE. */
  setRelay(evseId: number, closed: boolean): boolean {
    return this.#change(evseId, (e) => (e.relayClosed === closed ? false : ((e.relayClosed = closed), true)));
  }

  /** The most the EVSE may draw from now on, W (the station's charging limit); returns false when unchanged. */
  setLimit(evseId: number, limitW: number): boolean {
    return this.#change(evseId, (e) => (e.limitW === limitW ? false : ((e.limitW = limitW), true)));
  }

  /** 2.1: the setpoint the EVSE follows from now on, W (negative: discharge), or none; false when unchanged. */
  setSetpoint(evseId: number, setpointW: number | undefined): boolean {
    return this.#change(evseId, (e) => (e.setpointW === setpointW ? false : ((e.setpointW = setpointW), true)));
  }

  /** The register now; written to the store first, so that no value read (and reported) is ever lost. */
  read(evseId: number): MeterReading {
    const e = this.#evse(evseId);
    const energyWh = e.settle(this.#now());
    this.#persist(e, energyWh);
    return { energyWh, powerW: e.powerW };
  }

  /** Writes every meter register that advanced to the store (also done on every read and change of what flows). */
  save(): void {
    const now = this.#now();
    for (const e of this.#evses) this.#persist(e, e.settle(now));
  }

  #change(evseId: number, apply: (e: SimulatedEvse) => boolean): boolean {
    const e = this.#evse(evseId);
    // The energy so far was drawn at the power before the change.
    const registerWh = e.settle(this.#now());
    const changed = apply(e);
    if (changed) this.#persist(e, registerWh);
    return changed;
  }

  #persist(e: SimulatedEvse, registerWh: number): void {
    if (!this.#store || registerWh === e.savedWh) return;
    this.#store.put(NAMESPACE, String(e.id), registerWh);
    e.savedWh = registerWh;
  }

  #evse(evseId: number): SimulatedEvse {
    const e = Number.isInteger(evseId) ? this.#evses[evseId - 1] : undefined;
    if (!e) throw new RangeError(`EVSE ${evseId} does not exist (EVSEs 1 to ${this.#evses.length})`);
    return e;
  }
}
