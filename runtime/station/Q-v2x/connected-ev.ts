// Q01.FR.36 and Q01.FR.02 (2.1): what the integrator's ISO 15118 stack learnt of the EV on an EVSE — its EVCCID
// (SessionSetupReq), the protocol agreed and those the EV offered (supportedAppProtocol), its certificate chain — as
// the ConnectedEV component of that EVSE, and the EVCCID for block E's Started event (the query `connectedEv`).
// ocppkit has no 15118 stack: the stack reports with `ChargingStation.iso15118Session(evseId, session)`; the EV
// leaving the EVSE (cable out, EV disconnected) clears it.
import type { StationView, UseCase, Effect } from '../core/types.js';
import type { ComponentConfig, DeviceModelVersion, EvseLayout } from '../device-model/types.js';

/** What the 15118 stack reports of the EV once the session is set up. */
export interface Iso15118Session {
  /** The EVCCID of SessionSetupReq (ConnectedEV.VehicleId); Q01.FR.02 puts it into the Started event. */
  evccid: string;
  /**
   * The protocol agreed in supportedAppProtocol as "namespace,major,minor", e.g.
   * `urn:iso:std:iso:15118:-20:AC,1,0` (ConnectedEV.ProtocolAgreed). A namespace with `:15118:-20:` is an
   * ISO 15118-20 session (Q01.FR.02).
   */
  protocolAgreed: string;
  /** The EV's protocols in supportedAppProtocolReq, highest priority first (ConnectedEV.ProtocolSupportedByEV[1…]). */
  protocolsSupportedByEV?: string[];
  /** The EV's certificate chain, PEM (ConnectedEV.VehicleCertificate[Leaf], [SubCA1], [SubCA2], [Root]). */
  vehicleCertificate?: Partial<Record<CertificateInstance, string>>;
}

const CERTIFICATES = ['Leaf', 'SubCA1', 'SubCA2', 'Root'] as const;
type CertificateInstance = (typeof CERTIFICATES)[number];

/** ProtocolSupportedByEV instances the station reports ("1" … "5"); further protocols of the EV are left out. */
export const MAX_PROTOCOLS = 5;

/** Whether the agreed protocol is ISO 15118-20 (its namespaces are `urn:iso:std:iso:15118:-20:<service>`). */
export const is15118_20 = (session: Iso15118Session): boolean => /:15118:-20:/.test(session.protocolAgreed);

/** The session as the integrator gave it, checked (a TypeError names the field). */
export function checkSession(method: string, s: Iso15118Session): Iso15118Session {
  const text = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;
  if (!s || typeof s !== 'object') throw new TypeError(`${method}: session must be { evccid, protocolAgreed, … }`);
  // EVCCID: a MAC address or (15118-20) up to 255 characters; it goes into additionalIdToken (at most 255).
  if (!text(s.evccid, 255) || s.evccid === '')
    throw new TypeError(`${method}: session.evccid must be a string of 1 to 255 characters`);
  if (!text(s.protocolAgreed, 1000)) throw new TypeError(`${method}: session.protocolAgreed must be a string`);
  if (
    s.protocolsSupportedByEV !== undefined &&
    !(Array.isArray(s.protocolsSupportedByEV) && s.protocolsSupportedByEV.every((p) => text(p, 1000)))
  )
    throw new TypeError(`${method}: session.protocolsSupportedByEV must be an array of strings`);
  for (const [k, v] of Object.entries(s.vehicleCertificate ?? {}))
    if (!(CERTIFICATES as readonly string[]).includes(k) || typeof v !== 'string')
      throw new TypeError(
        `${method}: session.vehicleCertificate.${k}: expected Leaf, SubCA1, SubCA2 or Root as PEM text`,
      );
  return structuredClone(s);
}

/**
 * Q01.FR.36: the ConnectedEV component of each EVSE with the variables the requirement names (read only; empty and
 * Available false while no EV is known). 2.1 only, and only on a station with an ISO 15118 stack.
 */
export function connectedEvComponents(evses: readonly EvseLayout[], version: DeviceModelVersion): ComponentConfig[] {
  if (version !== 'ocpp2.1') return [];
  const text = (name: string, instance?: string) => ({
    name,
    ...(instance ? { instance } : {}),
    value: '',
    mutability: 'ReadOnly' as const,
  });
  return evses.map((e) => ({
    name: 'ConnectedEV',
    evse: { id: e.id },
    variables: [
      { name: 'Available', value: false, mutability: 'ReadOnly' as const },
      text('VehicleID'),
      text('ProtocolAgreed'),
      ...Array.from({ length: MAX_PROTOCOLS }, (_, i) => text('ProtocolSupportedByEV', String(i + 1))),
      ...CERTIFICATES.map((c) => text('VehicleCertificate', c)),
    ],
  }));
}

declare module '../core/registry.js' {
  interface OwnEvents {
    /** The integrator's 15118 stack set up a session with the EV on the EVSE. */
    'ev.iso15118Session': { evseId: number; session: Iso15118Session };
  }
  interface StationQueries {
    /** Q (2.1): the 15118 session of the EV connected to the EVSE, if the stack reported one. */
    connectedEv(evseId: number): Iso15118Session | undefined;
  }
}

export interface ConnectedEvState {
  sessions: Record<number, Iso15118Session>;
  /** The ConnectedEV values kept from before this start were cleared (at the first event). */
  cleared?: boolean;
}

/** The setVariable effects that show the EVSE's session in its ConnectedEV component (none: cleared). */
function shown(evseId: number, s: Iso15118Session | undefined): Effect[] {
  const set = (
    variable: 'Available' | 'VehicleID' | 'ProtocolAgreed' | 'ProtocolSupportedByEV' | 'VehicleCertificate',
    value: string,
    instance?: string,
  ): Effect => ({
    type: 'setVariable',
    component: 'ConnectedEV',
    variable,
    value,
    evseId,
    ...(instance ? { instance } : {}),
  });
  return [
    set('Available', String(s !== undefined)),
    set('VehicleID', s?.evccid ?? ''),
    set('ProtocolAgreed', s?.protocolAgreed ?? ''),
    ...Array.from({ length: MAX_PROTOCOLS }, (_, i) =>
      set('ProtocolSupportedByEV', s?.protocolsSupportedByEV?.[i] ?? '', String(i + 1)),
    ),
    ...CERTIFICATES.map((c) => set('VehicleCertificate', s?.vehicleCertificate?.[c] ?? '', c)),
  ];
}

/** Every EVSE's ConnectedEV emptied: values kept from an earlier start describe an EV that may have gone. */
const clearAll = (view: StationView): Effect[] => view.evses.flatMap((e) => shown(e.id, undefined));

export const connectedEvUseCase: UseCase<ConnectedEvState> = {
  name: 'connectedEv',
  versions: ['ocpp2.1'],
  init: () => ({ sessions: {} }),
  queries: {
    connectedEv: (state, _view, evseId) => state.sessions[evseId],
  },

  on(state, event, view) {
    const first = state.cleared ? [] : clearAll(view);
    const base = { ...state, cleared: true };
    switch (event.type) {
      case 'ev.iso15118Session':
        return {
          state: { ...base, sessions: { ...state.sessions, [event.evseId]: event.session } },
          effects: [...first, ...shown(event.evseId, event.session)],
        };
      case 'cableUnplugged':
      case 'evDisconnected': {
        if (!state.sessions[event.evseId]) break;
        const { [event.evseId]: _gone, ...sessions } = state.sessions;
        return { state: { ...base, sessions }, effects: [...first, ...shown(event.evseId, undefined)] };
      }
    }
    return state.cleared ? undefined : { state: base, effects: first };
  },
};
