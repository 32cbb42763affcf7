// Typed names of the device-model variables the runtime reads and writes, from the generated catalogues of both
// 2.x versions (the station runs either): `view.variables.int('OCPPCommCtrlr', 'HeartbeatInterval')` compiles,
// a misspelt component or variable does not. The DeviceModel itself still takes any name (an integrator's own
// components are strings it configures); these types are for ocppkit's code.
import * as v201 from '../../../generated/v201/device-model.js';
import * as v21 from '../../../generated/v21/device-model.js';

/**
 * Variables ocppkit reads or writes that neither catalogue lists for that component, `{ Component: ['Variable'] }`,
 * each with a comment saying why. The only place such a name may come from: a name the runtime uses is either
 * standardized or here.
 */
export const VENDOR_VARIABLES = {
  // E17.FR.18: the 2.1 appendix (v2.1, dm_components_vars.csv) lists it under a misspelt "TxCtlrl"; Part 2 means
  // TxCtrlr, where a CSMS looks for it. ocppkit reads it under both names.
  TxCtrlr: ['EnergyTransferResumptionRandomRange'],
  // C25.FR.53: Part 2 names WebPaymentsCtrlr.RoamingEvseId (per EVSE) for the {roamingevseid} placeholder; the 2.1
  // appendix does not list it. The integrator declares it (roamingEvseIdComponents).
  WebPaymentsCtrlr: ['RoamingEvseId'],
  // The California pricing note for 2.0.1 (as libocpp reads it; I-tariff/california.ts): the decimals of the cost
  // shown, and the kWh / hour prices (instances kWhPrice, hourPrice) of a transaction started while offline; neither
  // catalogue lists them.
  TariffCostCtrlr: ['NumberOfDecimalsForCostValues', 'OfflineChargingPrice'],
  // The same note: whether the display can show qrCodeText as a QR code.
  DisplayMessageCtrlr: ['QRCodeDisplayCapable'],
} as const satisfies { readonly [component: string]: readonly string[] };
type VendorVariables = { readonly [C in keyof typeof VENDOR_VARIABLES]: (typeof VENDOR_VARIABLES)[C][number] & string };

/** A component a runtime read or write may name: standardized in 2.0.1 or 2.1, or carrying a vendor variable. */
export type DmComponent = v201.ComponentName | v21.ComponentName | keyof VendorVariables;

type OwnVariables<M extends { components: object }, C> = C extends keyof M['components']
  ? M['components'][C] extends { variables: infer V }
    ? keyof V & string
    : never
  : never;

/** Variables of the `<generic>` rows: they apply to any component. */
export type GenericVariable = (keyof typeof v201.genericVariables | keyof typeof v21.genericVariables) & string;

/** The variables of component `C`: its own in either catalogue, the generic ones, and ocppkit's vendor variables. */
export type VariableOf<C extends DmComponent> =
  | OwnVariables<typeof v201, C>
  | OwnVariables<typeof v21, C>
  | GenericVariable
  | (C extends keyof VendorVariables ? VendorVariables[C] : never);

/** `Component.Variable`, as a use case's `validates` names a variable (the form of the shorthand `variables` option). */
export type DmKey = { [C in DmComponent]: `${C}.${VariableOf<C>}` }[DmComponent];

/** A component and one of its variables, correlated: `{ component: 'TxCtrlr', variable: 'TxStartPoint' }`. */
export type DmAddress = { [C in DmComponent]: { component: C; variable: VariableOf<C> } }[DmComponent];

const CATALOGUES: ReadonlyArray<{
  components: { readonly [component: string]: { readonly variables: object } };
  genericVariables: object;
}> = [v201, v21];
const VENDOR: { readonly [component: string]: readonly string[] } = VENDOR_VARIABLES;

/**
 * Whether a component/variable pair is one these types name (VariableOf): a standardized or vendor component with
 * one of its own variables, a generic one or a vendor one. Exactly as spelt in the catalogues — the device model
 * reports standardized names in the catalogue's spelling.
 */
export function isDmAddress(address: { component: string; variable: string }): address is DmAddress {
  const { component, variable } = address;
  const known = CATALOGUES.some((m) => Object.hasOwn(m.components, component)) || Object.hasOwn(VENDOR, component);
  if (!known) return false;
  if (VENDOR[component]?.includes(variable)) return true;
  return CATALOGUES.some(
    (m) =>
      Object.hasOwn(m.genericVariables, variable) ||
      (Object.hasOwn(m.components, component) && Object.hasOwn(m.components[component]!.variables, variable)),
  );
}
