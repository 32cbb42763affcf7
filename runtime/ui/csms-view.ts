// What the CSMS knows of a station, as the web view shows it: built only from the messages the station sent
// (BootNotification, StatusNotification, TransactionEvent; 1.6 StartTransaction, StopTransaction, MeterValues), the
// way a CSMS operator sees a station. Payloads were checked against their schema by the RPC layer before they get
// here; every field is still read defensively, and the numbers of EVSEs and transactions kept are bounded.
import type { LoggedMessage } from '../csms/simple-csms.js';
import type { UiEvse, UiStation } from './types.js';

/** EVSEs shown per station: ids above this are not tracked (a station reports as many as it has; 1.6: connectors). */
export const MAX_EVSES = 64;

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_EVSES ? v : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, 100) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export class CsmsStationView {
  readonly identity: string;
  version: string | undefined;
  connected = false;
  registration: string | undefined;
  readonly #evses = new Map<number, UiEvse>();
  /** EVSE of each running transaction: later TransactionEvents need not name it (E02). */
  readonly #txEvse = new Map<string, number>();

  constructor(identity: string) {
    this.identity = identity;
  }

  view(): UiStation {
    return {
      identity: this.identity,
      ...(this.version !== undefined ? { version: this.version } : {}),
      connected: this.connected,
      ...(this.registration !== undefined ? { registration: this.registration } : {}),
      evses: [...this.#evses.values()]
        .sort((a, b) => a.id - b.id)
        .map((e) => ({ ...e, connectors: e.connectors.map((c) => ({ ...c })) })),
    };
  }

  /** Applies a message the station sent and the CSMS's answer; returns whether the view changed. */
  apply(m: LoggedMessage): boolean {
    if (m.direction !== 'in') return false;
    const req = obj(m.request);
    const res = obj(m.response);
    if (!req) return false;
    switch (m.action) {
      case 'BootNotification':
        this.registration = str(res?.status) ?? this.registration;
        return true;
      case 'StatusNotification': {
        // 2.x: evseId, connectorId, connectorStatus; 1.6: connectorId (n is EVSE n; 0 the station itself), status.
        const v16 = req.evseId === undefined;
        const evseId = int(v16 ? req.connectorId : req.evseId);
        const connectorId = v16 ? 1 : int(req.connectorId);
        const status = str(v16 ? req.status : req.connectorStatus);
        if (!evseId || connectorId === undefined || status === undefined) return false;
        const evse = this.#evse(evseId);
        const connector = evse.connectors.find((c) => c.id === connectorId);
        if (connector) connector.status = status;
        else if (evse.connectors.length < MAX_EVSES) {
          evse.connectors.push({ id: connectorId, status });
          evse.connectors.sort((a, b) => a.id - b.id);
        }
        return true;
      }
      case 'TransactionEvent':
        return this.#transactionEvent(req);
      case 'StartTransaction': {
        const evseId = int(req.connectorId);
        const id = res?.transactionId;
        if (!evseId || typeof id !== 'number') return false;
        this.#started(evseId, String(id));
        const meterStart = req.meterStart;
        if (typeof meterStart === 'number') this.#evse(evseId).energyWh = meterStart;
        return true;
      }
      case 'StopTransaction':
        this.#ended(String(req.transactionId));
        return true;
      case 'MeterValues': {
        const evseId = int(req.evseId ?? req.connectorId);
        if (!evseId) return false;
        this.#meter(this.#evse(evseId), req.meterValue);
        return true;
      }
      default:
        return false;
    }
  }

  #transactionEvent(req: Json): boolean {
    const id = str(obj(req.transactionInfo)?.transactionId);
    if (id === undefined) return false;
    const evseId = int(obj(req.evse)?.id) || this.#txEvse.get(id);
    if (req.eventType === 'Ended') {
      if (evseId) this.#meter(this.#evse(evseId), req.meterValue);
      this.#ended(id);
      return true;
    }
    if (!evseId) return false;
    this.#started(evseId, id);
    this.#meter(this.#evse(evseId), req.meterValue);
    return true;
  }

  #started(evseId: number, transactionId: string): void {
    const evse = this.#evse(evseId);
    if (evse.transactionId !== undefined && evse.transactionId !== transactionId)
      this.#txEvse.delete(evse.transactionId);
    evse.transactionId = transactionId;
    this.#txEvse.set(transactionId, evseId);
  }

  #ended(transactionId: string): void {
    const evseId = this.#txEvse.get(transactionId);
    this.#txEvse.delete(transactionId);
    for (const evse of this.#evses.values())
      if (evse.id === evseId || evse.transactionId === transactionId) {
        delete evse.transactionId;
        delete evse.powerW;
      }
  }

  /** The last import register (Wh) and power (W) among the sampled values; kWh and kW are converted. */
  #meter(evse: UiEvse, meterValue: unknown): void {
    for (const mv of list(meterValue))
      for (const sv of list(obj(mv)?.sampledValue)) {
        const s = obj(sv);
        if (!s || s.phase !== undefined) continue;
        const measurand = s.measurand ?? 'Energy.Active.Import.Register';
        // 2.x: value is a number and unitOfMeasure { unit, multiplier }; 1.6: value is a string and unit.
        const value = typeof s.value === 'number' ? s.value : typeof s.value === 'string' ? Number(s.value) : NaN;
        if (!Number.isFinite(value)) continue;
        const uom = obj(s.unitOfMeasure);
        const unit = str(uom?.unit) ?? str(s.unit);
        const scale =
          10 ** (typeof uom?.multiplier === 'number' ? uom.multiplier : 0) * (unit?.startsWith('k') ? 1000 : 1);
        if (measurand === 'Energy.Active.Import.Register') evse.energyWh = value * scale;
        else if (measurand === 'Power.Active.Import') evse.powerW = value * scale;
      }
  }

  #evse(id: number): UiEvse {
    let evse = this.#evses.get(id);
    if (!evse) this.#evses.set(id, (evse = { id, connectors: [] }));
    return evse;
  }
}
