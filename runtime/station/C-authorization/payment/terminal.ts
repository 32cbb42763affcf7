// 2.1 C18–C22: ad hoc payment with a payment terminal connected to the station (the integrator's hardware, reached
// through the operations declared below). A card presented has the terminal reserve PaymentCtrlr.AuthorizationAmount
// with the PSP (C18.FR.01/02); the PSP's reference (pspRef) becomes a DirectPayment idToken with the card details
// PaymentCtrlr.PaymentDetails asks for, accepted locally or by an Authorize to the CSMS (AuthorizeDirectPayment,
// C18.FR.03–05); block E authorizes with it, with the reserved amount as the transaction's maxCost (C18.FR.06, E16).
// Canceled before the transaction or after a free one, the reservation is released (C18.FR.07, C19, C20);
// otherwise the total cost is settled through the terminal and NotifySettlement reports how it went (C21, C22).
// Where the terminal can increase a reservation (PaymentCtrlr.IncrementalAuthorizationAmount > 0), a cost nearing the
// reserved amount has it reserve more, and the transaction's maxCost rises by as much (C23).
import type { IdTokenType } from '../../../../generated/v21/types.js';
import { byEventType, type Effect, type StationView, type Step, type UseCase } from '../../core/types.js';
import { stationToken } from '../../core/tokens.js';
import type { ComponentConfig, VariableConfig } from '../../device-model/types.js';

/** What the payment terminal answers when the PSP authorized the card (C18 scenario step 4). */
export interface PaymentAuthorization {
  /** The PSP's reference of the payment: the idToken of type DirectPayment. */
  pspRef: string;
  /** Card details by PaymentCtrlr.PaymentDetails name (e.g. cardBin, cardLast4Digits): only those asked go out. */
  details?: Record<string, string>;
}

/** The settlement's outcome from the payment terminal (C21.FR.02, C22). */
export interface PaymentSettlement {
  status: 'Settled' | 'Rejected' | 'Failed';
  /** C21.FR.04: the terminal's receipt (sent when PaymentCtrlr.ReceiptByCSMS is false). */
  receiptUrl?: string;
  receiptId?: string;
}

declare module '../../core/registry.js' {
  interface OwnEvents {
    /** C18: a payment card was presented at the terminal (for the EVSE, if it belongs to one). */
    'payment.cardPresented': { evseId?: number };
    /** C19/C20: the driver canceled the payment session at the EVSE. */
    'payment.canceledByDriver': { evseId: number };
    /** C → E: the payment authorizes the EVSE, with the reserved amount as maxCost (C18.FR.03/05/06). */
    'payment.authorized': { evseId: number; idToken: IdTokenType; maxCost: number };
    /** C → E: end the authorization of the payment at the EVSE (C19, C20). */
    'payment.cancel': { evseId: number };
    /** C → E: the terminal reserved more for the transaction: its maxCost is now `maxCost` (C23.FR.02). */
    'payment.increased': { transactionId: string; maxCost: number };
  }
  interface HardwareOperations {
    /**
     * C18.FR.01/02: a card was presented: have the PSP authorize (reserve) `amount` on it. Resolve with the PSP's
     * reference and the card details; reject when the PSP refuses or the terminal fails (the driver is not authorized).
     */
    paymentAuthorize(evseId: number, amount: number): Promise<PaymentAuthorization>;
    /** C18.FR.07, C19.FR.01, C20.FR.04: release the amount reserved under `pspRef`, cancel the payment. */
    paymentCancel(pspRef: string): void | Promise<void>;
    /** C21.FR.01: settle `amount` of the payment `pspRef`. */
    paymentSettle(pspRef: string, amount: number): Promise<PaymentSettlement>;
    /**
     * C23.FR.01: the transaction's cost nears what is reserved under `pspRef`: have the PSP reserve `increment` more
     * (PaymentCtrlr.IncrementalAuthorizationAmount). Resolve true once it is reserved; false (or reject) when refused.
     * Only asked where the integrator declared incremental authorization (`paymentComponent`'s
     * `incrementalAuthorization`).
     */
    paymentIncrease(pspRef: string, increment: number): Promise<boolean>;
  }
}

interface Payment {
  pspRef: string;
  evseId: number;
  amount: number;
  /** Authorize asked of the CSMS (AuthorizeDirectPayment), not answered yet. */
  asking?: boolean;
  transactionId?: string;
  /** C23: the terminal is asked to reserve more (paymentIncrease), not answered yet. */
  increasing?: boolean;
  /** C23: the terminal refused an increase: it is not asked again for this payment (E16 stops at maxCost). */
  noIncrease?: boolean;
}

export interface PaymentState {
  /** Terminal authorizations under way: tag → EVSE and amount. */
  authorizing: Record<string, { evseId: number; amount: number }>;
  /** Payments authorized by the PSP and not yet settled or released, by pspRef. */
  payments: Record<string, Payment>;
  seq: number;
}

const AUTH_TAG = 'payment.authorize.';
const SETTLE_TAG = 'payment.settle.';
const INCREASE_TAG = 'payment.increase.';
const REF = 'payment.';

function ctrl(view: StationView) {
  const v = view.variables;
  return {
    enabled: v.bool('PaymentCtrlr', 'Enabled') === true,
    amount: Number(v.string('PaymentCtrlr', 'AuthorizationAmount') ?? NaN),
    authorizeDirect: v.bool('PaymentCtrlr', 'AuthorizeDirectPayment') === true,
    details: (v.string('PaymentCtrlr', 'PaymentDetails') ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    settlementByCsms: v.bool('PaymentCtrlr', 'SettlementByCSMS') === true,
    receiptByCsms: v.bool('PaymentCtrlr', 'ReceiptByCSMS') === true,
    ...incremental(view),
  };
}

/**
 * C23: the increment (absent or 0: no incremental authorization) and the threshold below the reserved amount at which
 * to ask for it. Without IncrementalAuthorizationThreshold the threshold is ocppkit's choice (the spec leaves it to the
 * implementation): a tenth of the increment, so that the increase is asked before the cost reaches maxCost.
 */
function incremental(view: StationView): { increment: number; threshold: number } {
  const increment = Number(view.variables.string('PaymentCtrlr', 'IncrementalAuthorizationAmount') ?? 0);
  if (!(increment > 0) || !Number.isFinite(increment)) return { increment: 0, threshold: 0 };
  const given = Number(view.variables.string('PaymentCtrlr', 'IncrementalAuthorizationThreshold') ?? NaN);
  return { increment, threshold: Number.isFinite(given) && given >= 0 ? given : increment / 10 };
}

const log = (message: string): Effect => ({ type: 'emit', event: { type: 'log', level: 'info', message } });

function without(payments: Record<string, Payment>, pspRef: string): Record<string, Payment> {
  const { [pspRef]: _, ...rest } = payments;
  return rest;
}

/** C18.FR.04/06: the DirectPayment idToken, with the card details PaymentCtrlr.PaymentDetails names. */
function directPaymentToken(auth: PaymentAuthorization, wanted: readonly string[]): IdTokenType {
  const additionalInfo = wanted.flatMap((type) => {
    const value = auth.details?.[type];
    return typeof value === 'string' ? [{ additionalIdToken: value, type }] : [];
  });
  return { idToken: auth.pspRef, type: 'DirectPayment', ...(additionalInfo.length ? { additionalInfo } : {}) };
}

/** C19.FR.01/02, C20.FR.04/05, C18.FR.07: release the reservation, and tell the CSMS where it knows the payment. */
function release(state: PaymentState, p: Payment, view: StationView, notify: boolean): Step<PaymentState> {
  const effects: Effect[] = [{ type: 'hardware', call: { op: 'paymentCancel', args: [p.pspRef] } }];
  if (notify)
    effects.push({
      type: 'send',
      action: 'NotifySettlement',
      payload: {
        pspRef: p.pspRef,
        status: 'Canceled',
        settlementAmount: 0,
        settlementTime: new Date(view.now()).toISOString(),
        ...(p.transactionId ? { transactionId: p.transactionId } : {}),
      },
    });
  return {
    state: { ...state, payments: without(state.payments, p.pspRef) },
    effects: [...effects, { type: 'persist' }],
  };
}

/** The payment whose DirectPayment idToken this is. */
const paymentOf = (state: PaymentState, idToken: { idToken: string; type: string } | undefined) =>
  idToken?.type === 'DirectPayment' ? state.payments[idToken.idToken] : undefined;

/** The total cost of an ended transaction: the station's own (costDetails, I12) or the CSMS's (totalCost). */
function totalCost(payload: object, response: { totalCost?: number }): number | undefined {
  const local = (payload as { costDetails?: { totalCost?: { total?: { inclTax?: number } } } }).costDetails?.totalCost
    ?.total?.inclTax;
  const cost = local ?? response.totalCost;
  return typeof cost === 'number' && Number.isFinite(cost) ? cost : undefined;
}

export const paymentTerminalUseCase: UseCase<PaymentState> = {
  name: 'paymentTerminal',
  versions: ['ocpp2.1'],
  init: (_view, saved) => {
    const s = (saved ?? {}) as Partial<PaymentState>;
    // An increase under way did not survive the restart: it may be asked again.
    const payments = Object.fromEntries(
      Object.entries(s.payments ?? {}).map(([ref, p]) => [ref, { ...p, increasing: false }]),
    );
    return { authorizing: {}, payments, seq: s.seq ?? 0 };
  },
  // Settlement must survive a restart: the payments are kept; a terminal authorization under way is not.
  save: ({ payments, seq }) => ({ payments, seq }),
  on: byEventType<PaymentState>({
    'payment.cardPresented': (state, event, view) => {
      const c = ctrl(view);
      if (!c.enabled || !(c.amount > 0))
        return {
          state,
          effects: [log('payment card ignored: PaymentCtrlr is not enabled or has no AuthorizationAmount')],
        };
      const tag = `${AUTH_TAG}${state.seq + 1}`;
      const evseId = event.evseId ?? (view.evses.length === 1 ? view.evses[0]!.id : 0);
      return {
        state: {
          ...state,
          seq: state.seq + 1,
          authorizing: { ...state.authorizing, [tag]: { evseId, amount: c.amount } },
        },
        // C18.FR.01/02
        effects: [{ type: 'hardware', call: { op: 'paymentAuthorize', args: [evseId, c.amount] }, tag }],
      };
    },
    hardwareDone: (state, event, view) => {
      if (event.tag.startsWith(AUTH_TAG)) return authorized(state, event.tag, event.result, view);
      if (event.tag.startsWith(INCREASE_TAG))
        return increased(state, event.tag.slice(INCREASE_TAG.length), event.result === true, view);
      if (event.tag.startsWith(SETTLE_TAG))
        return settled(state, event.tag.slice(SETTLE_TAG.length), event.result, view);
      return undefined;
    },
    hardwareFailed: (state, event, view) => {
      if (event.tag.startsWith(AUTH_TAG)) {
        // C18 error handling: the PSP refused or the terminal failed: not authorized, no Authorize sent.
        const { [event.tag]: _, ...authorizing } = state.authorizing;
        return {
          state: { ...state, authorizing },
          effects: [log(`payment card not authorized: ${event.error.message}`)],
        };
      }
      if (event.tag.startsWith(SETTLE_TAG))
        return settled(state, event.tag.slice(SETTLE_TAG.length), { status: 'Failed' }, view);
      if (event.tag.startsWith(INCREASE_TAG))
        return increased(state, event.tag.slice(INCREASE_TAG.length), false, view);
      return undefined;
    },
    // C23.FR.01: the cost nears the reserved amount (within IncrementalAuthorizationThreshold): reserve more. At or
    // above it too, for a threshold of 0: E16 has then stopped energy at maxCost, and the increase resumes it.
    'tx.cost': (state, event, view) => {
      const p = Object.values(state.payments).find((x) => x.transactionId === event.transactionId);
      const { increment, threshold } = incremental(view);
      if (!p || p.increasing || p.noIncrease || !(increment > 0) || event.cost < p.amount - threshold) return undefined;
      return {
        state: { ...state, payments: { ...state.payments, [p.pspRef]: { ...p, increasing: true } } },
        effects: [
          {
            type: 'hardware',
            call: { op: 'paymentIncrease', args: [p.pspRef, increment] },
            tag: `${INCREASE_TAG}${p.pspRef}`,
          },
          { type: 'persist' },
        ],
      };
    },
    'authorize.result': (state, event, view) => {
      if (!event.ref.startsWith(REF)) return undefined;
      const p = state.payments[event.ref.slice(REF.length)];
      if (!p?.asking) return undefined;
      // C18.FR.05: accepted (C01.FR.21: for this EVSE, which C has checked); C18.FR.07: otherwise released.
      if (event.idTokenInfo.status !== 'Accepted') return release(state, p, view, false);
      return {
        state: { ...state, payments: { ...state.payments, [p.pspRef]: { ...p, asking: false } } },
        effects: [
          {
            type: 'dispatch',
            event: { type: 'payment.authorized', evseId: p.evseId, idToken: event.idToken, maxCost: p.amount },
          },
          { type: 'persist' },
        ],
      };
    },
    'transaction.started': (state, event) => {
      const p = paymentOf(state, event.idToken);
      if (!p) return undefined;
      return {
        state: {
          ...state,
          payments: {
            ...state.payments,
            [p.pspRef]: { ...p, evseId: event.evseId, transactionId: event.transactionId },
          },
        },
        effects: [{ type: 'persist' }],
      };
    },
    // C19.FR.01/02: the authorization ended before any transaction (canceled, EVConnectionTimeOut).
    'tx.authorizationEnded': (state, event, view) => {
      const p = paymentOf(state, event.idToken);
      return p && !p.transactionId ? release(state, p, view, ctrl(view).authorizeDirect) : undefined;
    },
    'payment.canceledByDriver': (state, event) => ({
      state,
      effects: [{ type: 'dispatch', event: { type: 'payment.cancel', evseId: event.evseId } }],
    }),
    queueSent: (state, event, view) => {
      if (event.action !== 'TransactionEvent' || event.payload.eventType !== 'Ended') return undefined;
      const p = Object.values(state.payments).find(
        (x) => x.transactionId === event.payload.transactionInfo.transactionId,
      );
      if (!p) return undefined;
      const cost = totalCost(event.payload, event.response);
      // C20.FR.03–05: nothing to pay: released, and the CSMS told it was canceled.
      if (cost === 0) return release(state, p, view, true);
      // C21.FR.05/06: the CSMS settles with the PSP.
      if (ctrl(view).settlementByCsms)
        return { state: { ...state, payments: without(state.payments, p.pspRef) }, effects: [{ type: 'persist' }] };
      if (cost === undefined) return settled(state, p.pspRef, { status: 'Failed' }, view, 0);
      // C21.FR.01
      return {
        state: { ...state, payments: { ...state.payments, [p.pspRef]: { ...p, amount: cost } } },
        effects: [
          { type: 'hardware', call: { op: 'paymentSettle', args: [p.pspRef, cost] }, tag: `${SETTLE_TAG}${p.pspRef}` },
          { type: 'persist' },
        ],
      };
    },
  }),
};

/** C23.FR.02: the terminal reserved the increment (maxCost rises by it), or refused it (asked no more). */
function increased(
  state: PaymentState,
  pspRef: string,
  ok: boolean,
  view: StationView,
): Step<PaymentState> | undefined {
  const p = state.payments[pspRef];
  if (!p?.increasing) return undefined;
  if (!ok)
    return {
      state: { ...state, payments: { ...state.payments, [pspRef]: { ...p, increasing: false, noIncrease: true } } },
      effects: [log(`payment ${pspRef}: the terminal did not increase the authorization`), { type: 'persist' }],
    };
  const amount = p.amount + incremental(view).increment;
  const effects: Effect[] = [{ type: 'persist' }];
  if (p.transactionId)
    effects.unshift({
      type: 'dispatch',
      event: { type: 'payment.increased', transactionId: p.transactionId, maxCost: amount },
    });
  return {
    state: { ...state, payments: { ...state.payments, [pspRef]: { ...p, amount, increasing: false } } },
    effects,
  };
}

/** The terminal authorized the card: ask the CSMS, or authorize at once (C18.FR.03/04). */
function authorized(
  state: PaymentState,
  tag: string,
  result: unknown,
  view: StationView,
): Step<PaymentState> | undefined {
  const pending = state.authorizing[tag];
  if (!pending) return undefined;
  const { [tag]: _, ...authorizing } = state.authorizing;
  const auth = result as PaymentAuthorization | undefined;
  if (!auth || typeof auth.pspRef !== 'string' || !auth.pspRef || auth.pspRef.length > 255)
    return {
      state: { ...state, authorizing },
      effects: [log('paymentAuthorize gave no pspRef: the card is not authorized')],
    };
  const c = ctrl(view);
  const idToken = directPaymentToken(auth, c.details);
  const payment: Payment = {
    pspRef: auth.pspRef,
    evseId: pending.evseId,
    amount: pending.amount,
    asking: c.authorizeDirect,
  };
  const next: PaymentState = { ...state, authorizing, payments: { ...state.payments, [auth.pspRef]: payment } };
  const event = c.authorizeDirect
    ? ({
        type: 'authorize.request',
        ref: `${REF}${auth.pspRef}`,
        idToken: stationToken(idToken),
        ...(pending.evseId ? { evseId: pending.evseId } : {}),
      } as const)
    : ({ type: 'payment.authorized', evseId: pending.evseId, idToken, maxCost: pending.amount } as const);
  return { state: next, effects: [{ type: 'dispatch', event }, { type: 'persist' }] };
}

/** C21.FR.02/04, C22.FR.01/02: the settlement's outcome reported to the CSMS. */
function settled(
  state: PaymentState,
  pspRef: string,
  result: unknown,
  view: StationView,
  amount?: number,
): Step<PaymentState> | undefined {
  const p = state.payments[pspRef];
  if (!p) return undefined;
  const r = result as PaymentSettlement | undefined;
  const status = r?.status === 'Settled' || r?.status === 'Rejected' ? r.status : 'Failed';
  // C21.FR.04: the terminal's receipt, where the CSMS does not give one; C22: never with a failed settlement.
  const receipt =
    status === 'Settled' && !ctrl(view).receiptByCsms
      ? {
          ...(typeof r?.receiptUrl === 'string' ? { receiptUrl: r.receiptUrl.slice(0, 2000) } : {}),
          ...(typeof r?.receiptId === 'string' ? { receiptId: r.receiptId.slice(0, 50) } : {}),
        }
      : {};
  return {
    state: { ...state, payments: without(state.payments, pspRef) },
    effects: [
      {
        type: 'send',
        action: 'NotifySettlement',
        payload: {
          pspRef,
          status,
          settlementAmount: amount ?? p.amount,
          settlementTime: new Date(view.now()).toISOString(),
          ...(p.transactionId ? { transactionId: p.transactionId } : {}),
          ...receipt,
        },
      },
      { type: 'persist' },
    ],
  };
}

/**
 * PaymentCtrlr for the integrator's device model (`deviceModel.components`), enabled: the amount the terminal reserves
 * (C18.FR.01), whether the CSMS must accept each payment (AuthorizeDirectPayment), the card details the terminal can
 * give (`paymentDetails`: PaymentDetails' valuesList; the CSMS chooses which go into the idToken), and who settles and
 * gives receipts; the merchant on the receipts and the terminal's own facts, which the appendix requires.
 * `Connected` (to the PSP) starts true: report changes with `station.deviceModel.set(…)`.
 */
export function paymentComponent(o: {
  authorizationAmount: number;
  authorizeDirectPayment?: boolean;
  paymentDetails?: readonly string[];
  settlementByCsms?: boolean;
  receiptByCsms?: boolean;
  receiptServerUrl?: string;
  /**
   * C23: the terminal can increase a reservation (`hardware.paymentIncrease`): by `amount` each time the cost comes
   * within `threshold` of what is reserved. Without it IncrementalAuthorizationAmount is absent (not supported).
   */
  incrementalAuthorization?: { amount: number; threshold?: number };
  merchant: { id: string; taxId: string; name: string; address: string; city: string };
  terminal: {
    terminalId: string;
    paymentServiceProvider: string;
    vendorName: string;
    model: string;
    serialNumber: string;
    firmwareVersion: string;
    imsi?: string;
    iccid?: string;
  };
}): ComponentConfig {
  const t = o.terminal;
  const fact = (name: string, value: string): VariableConfig => ({ name, value, mutability: 'ReadOnly' });
  const merchant = (instance: string, value: string): VariableConfig => ({
    name: 'Merchant',
    instance,
    value,
    mutability: 'ReadWrite',
  });
  const details = [...(o.paymentDetails ?? [])];
  const variables: VariableConfig[] = [
    { name: 'Enabled', value: true, mutability: 'ReadWrite' },
    { name: 'Problem', value: false, mutability: 'ReadOnly' },
    { name: 'AuthorizeDirectPayment', value: o.authorizeDirectPayment ?? false, mutability: 'ReadWrite' },
    { name: 'AuthorizationAmount', value: o.authorizationAmount, minLimit: 0, mutability: 'ReadWrite' },
    ...(o.incrementalAuthorization ? incrementalVariables(o.incrementalAuthorization) : []),
    ...(details.length
      ? [{ name: 'PaymentDetails', valuesList: details, value: details, mutability: 'ReadWrite' as const }]
      : []),
    { name: 'SettlementByCSMS', value: o.settlementByCsms ?? false, mutability: 'ReadWrite' },
    { name: 'ReceiptByCSMS', value: o.receiptByCsms ?? false, mutability: 'ReadWrite' },
    { name: 'ReceiptServerUrl', value: o.receiptServerUrl ?? '', mutability: 'ReadWrite' },
    merchant('Id', o.merchant.id),
    merchant('TaxId', o.merchant.taxId),
    merchant('Name', o.merchant.name),
    merchant('Address', o.merchant.address),
    merchant('City', o.merchant.city),
    fact('TerminalID', t.terminalId),
    fact('PaymentServiceProvider', t.paymentServiceProvider),
    fact('VendorName', t.vendorName),
    fact('Model', t.model),
    fact('SerialNumber', t.serialNumber),
    fact('FirmwareVersion', t.firmwareVersion),
    fact('IMSI', t.imsi ?? ''),
    fact('ICCID', t.iccid ?? ''),
    { name: 'Connected', value: true, mutability: 'ReadOnly' },
  ];
  return { name: 'PaymentCtrlr', variables };
}

/** C23: PaymentCtrlr's IncrementalAuthorizationAmount (0 turns it off) and, if given, its threshold. */
function incrementalVariables(o: { amount: number; threshold?: number }): VariableConfig[] {
  return [
    { name: 'IncrementalAuthorizationAmount', value: o.amount, minLimit: 0, mutability: 'ReadWrite' },
    ...(o.threshold !== undefined
      ? [
          {
            name: 'IncrementalAuthorizationThreshold',
            value: o.threshold,
            minLimit: 0,
            mutability: 'ReadWrite' as const,
          },
        ]
      : []),
  ];
}
