// 2.1 C18–C22 ad hoc payment with a payment terminal connected to the station, over real sockets against the built-in
// CSMS (2.1). The terminal is hardware, so it is the one part mocked: `paymentAuthorize`, `paymentCancel` and
// `paymentSettle` record their calls and answer as each test says. (Part 6 of 2.1 is not among the spec inputs: the
// tests are named by requirement.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  paymentComponent,
  type PaymentAuthorization,
  type PaymentSettlement,
} from '../../runtime/station/C-authorization/payment/terminal.js';
import { states, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

const PSP_REF = 'PSP-0001';
const CARD = { cardBin: '492181', cardLast4Digits: '1234', cardExpiry: '12/29' };
const DIRECT = { idToken: PSP_REF, type: 'DirectPayment' };

interface Terminal {
  calls: Array<[string, ...unknown[]]>;
  settle: () => Promise<PaymentSettlement>;
  /** C23: whether the PSP reserves more. */
  increase: () => Promise<boolean>;
}
type P = TxPair & { terminal: Terminal };

function withTerminal(
  o: {
    authorizeDirect?: boolean;
    settlementByCsms?: boolean;
    receiptByCsms?: boolean;
    incremental?: { amount: number; threshold?: number };
    pair?: TxPairOptions;
  },
  body: (p: P) => Promise<void>,
) {
  const terminal: Terminal = {
    calls: [],
    settle: async () => ({ status: 'Settled', receiptUrl: 'https://psp.example/r/77', receiptId: 'R-77' }),
    increase: async () => true,
  };
  return withTxPair(
    {
      ...o.pair,
      csms: { versions: ['ocpp2.1'] },
      deviceModel: {
        components: [
          paymentComponent({
            authorizationAmount: 50,
            authorizeDirectPayment: o.authorizeDirect ?? false,
            paymentDetails: ['cardBin', 'cardLast4Digits', 'cardExpiry'],
            settlementByCsms: o.settlementByCsms ?? false,
            receiptByCsms: o.receiptByCsms ?? false,
            ...(o.incremental ? { incrementalAuthorization: o.incremental } : {}),
            merchant: { id: 'M-1', taxId: 'NL000099998B57', name: 'Example CPO', address: 'Main St 1', city: 'Arnhem' },
            terminal: {
              terminalId: 'T-1',
              paymentServiceProvider: 'Example PSP',
              vendorName: 'Example',
              model: 'PT-100',
              serialNumber: 'SN-1',
              firmwareVersion: '1.0',
            },
          }),
        ],
      },
      // The CSMS (its CSO) wants two of the details the terminal can give.
      variables: { 'PaymentCtrlr.PaymentDetails': 'cardBin,cardLast4Digits', ...o.pair?.variables },
      station: {
        versions: ['ocpp2.1'],
        hardware: {
          paymentAuthorize: async (evseId, amount): Promise<PaymentAuthorization> => {
            terminal.calls.push(['authorize', evseId, amount]);
            return { pspRef: PSP_REF, details: CARD };
          },
          paymentCancel: (pspRef) => void terminal.calls.push(['cancel', pspRef]),
          paymentSettle: async (pspRef, amount) => {
            terminal.calls.push(['settle', pspRef, amount]);
            return terminal.settle();
          },
          paymentIncrease: async (pspRef, increment) => {
            terminal.calls.push(['increase', pspRef, increment]);
            return terminal.increase();
          },
        },
      },
    },
    async (p) => {
      (p as P).terminal = terminal;
      await body(p as P);
    },
  );
}

/** The CSMS answers TransactionEvents: the Ended event with `endCost`. */
function endCost(p: TxPair, totalCost: number) {
  p.csms.respond('TransactionEvent', (req: any) => ({
    ...(req.idToken ? { idTokenInfo: { status: 'Accepted' } } : {}),
    ...(req.eventType === 'Ended' ? { totalCost } : {}),
  }));
}

async function until(what: string, ok: () => boolean) {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), `never: ${what}`);
}

const settlement = async (p: TxPair) => (await p.waitFor('NotifySettlement')).request as any;

/** EV connected, card presented, the transaction started with the DirectPayment idToken. */
async function paidTransaction(p: P): Promise<any> {
  await states.evConnected(p);
  p.station.paymentCardPresented(1);
  return p.waitTx((r) => r.eventType === 'Started');
}

test('C18.FR.01 C18.FR.02 C18.FR.03 C18.FR.06 the terminal reserves AuthorizationAmount; the transaction starts with the DirectPayment idToken, the chosen card details and maxCost', async () => {
  await withTerminal({}, async (p) => {
    const started = await paidTransaction(p);
    assert.equal(p.terminal.calls[0], ['authorize', 1, 50]);
    assert.equal(started.idToken, {
      ...DIRECT,
      additionalInfo: [
        { additionalIdToken: '492181', type: 'cardBin' },
        { additionalIdToken: '1234', type: 'cardLast4Digits' },
      ],
    });
    assert.equal(started.transactionInfo.transactionLimit, { maxCost: 50 });
    assert.equal(p.sent('Authorize'), []); // AuthorizeDirectPayment false: no CSMS authorization
    assert.equal(p.hw.at(-1), { op: 'startCharging', args: [1, 1] });
  });
});

test('C18.FR.04 C18.FR.05 with AuthorizeDirectPayment the CSMS accepts the DirectPayment idToken before the transaction', async () => {
  await withTerminal({ authorizeDirect: true }, async (p) => {
    const started = await paidTransaction(p);
    const [authorize] = p.sent('Authorize');
    assert.equal((authorize!.request as any).idToken.idToken, PSP_REF);
    assert.equal((authorize!.request as any).idToken.additionalInfo.length, 2);
    assert.is(started.idToken.type, 'DirectPayment');
  });
});

test('C18.FR.07 a DirectPayment the CSMS refuses: the reservation is released, no transaction', async () => {
  await withTerminal({ authorizeDirect: true, pair: { deny: [PSP_REF] } }, async (p) => {
    await states.evConnected(p);
    p.station.paymentCardPresented(1);
    await until('the release', () => p.terminal.calls.some((c) => c[0] === 'cancel'));
    assert.equal(p.terminal.calls, [
      ['authorize', 1, 50],
      ['cancel', PSP_REF],
    ]);
    assert.equal(p.tx(), []);
  });
});

test('C19.FR.01 C19.FR.02 the EV does not come within EVConnectionTimeOut: released, and NotifySettlement Canceled', async () => {
  await withTerminal({ authorizeDirect: true, pair: { manualClock: true } }, async (p) => {
    p.station.paymentCardPresented(1);
    await p.waitFor('Authorize');
    await p.advance(60_000);
    const n = await settlement(p);
    assert.equal([n.pspRef, n.status, n.settlementAmount, n.transactionId], [PSP_REF, 'Canceled', 0, undefined]);
    // Canceled when the timeout fired: now, on the station's clock.
    const at = Date.parse(n.settlementTime);
    assert.ok(Math.abs(at - p.clock!.now()) < 5_000, `${n.settlementTime} ${new Date(p.clock!.now()).toISOString()}`);
    assert.equal(p.terminal.calls.at(-1), ['cancel', PSP_REF]);
  });
});

test('C20.FR.04 C20.FR.05 the driver cancels after the start, nothing to pay: released, NotifySettlement Canceled for the transaction', async () => {
  await withTerminal({}, async (p) => {
    endCost(p, 0);
    const started = await paidTransaction(p);
    p.station.paymentCanceled(1);
    const ended = await p.waitTx((r) => r.eventType === 'Ended');
    assert.is(ended.triggerReason, 'StopAuthorized');
    const n = await settlement(p);
    assert.equal([n.pspRef, n.status, n.transactionId], [PSP_REF, 'Canceled', started.transactionInfo.transactionId]);
    assert.equal(p.terminal.calls.at(-1), ['cancel', PSP_REF]);
  });
});

test('C21.FR.01 C21.FR.02 C21.FR.04 the total cost is settled through the terminal; NotifySettlement with the terminal receipt', async () => {
  await withTerminal({}, async (p) => {
    endCost(p, 12.34);
    const started = await paidTransaction(p);
    p.station.stopTransaction(1);
    const n = await settlement(p);
    assert.equal(p.terminal.calls.at(-1), ['settle', PSP_REF, 12.34]);
    assert.equal(
      [n.pspRef, n.status, n.settlementAmount, n.transactionId, n.receiptUrl, n.receiptId],
      [PSP_REF, 'Settled', 12.34, started.transactionInfo.transactionId, 'https://psp.example/r/77', 'R-77'],
    );
  });
});

test('C21.FR.02 with ReceiptByCSMS the station sends no receipt of its own', async () => {
  await withTerminal({ receiptByCsms: true }, async (p) => {
    endCost(p, 3);
    await paidTransaction(p);
    p.station.stopTransaction(1);
    const n = await settlement(p);
    assert.equal([n.status, n.receiptUrl, n.receiptId], ['Settled', undefined, undefined]);
  });
});

test('C21.FR.06 with SettlementByCSMS the terminal does not settle', async () => {
  await withTerminal({ settlementByCsms: true }, async (p) => {
    endCost(p, 8);
    await paidTransaction(p);
    p.station.stopTransaction(1);
    await p.waitTx((r) => r.eventType === 'Ended');
    states.evDisconnected(p);
    await p.waitFor('StatusNotification', (m: any) => m.request.connectorStatus === 'Available');
    assert.equal(p.terminal.calls, [['authorize', 1, 50]]);
    assert.equal(p.sent('NotifySettlement'), []);
  });
});

test('C22.FR.01 a settlement the PSP rejects: NotifySettlement Rejected, no receipt', async () => {
  await withTerminal({}, async (p) => {
    p.terminal.settle = async () => ({ status: 'Rejected', receiptUrl: 'https://psp.example/never' });
    endCost(p, 5);
    await paidTransaction(p);
    p.station.stopTransaction(1);
    const n = await settlement(p);
    assert.equal([n.status, n.settlementAmount, n.receiptUrl], ['Rejected', 5, undefined]);
  });
});

test('C22.FR.02 a settlement that fails (the terminal throws): NotifySettlement Failed', async () => {
  await withTerminal({}, async (p) => {
    p.terminal.settle = async () => {
      throw new Error('terminal offline');
    };
    endCost(p, 5);
    await paidTransaction(p);
    p.station.stopTransaction(1);
    const n = await settlement(p);
    assert.equal([n.status, n.settlementAmount, n.pspRef], ['Failed', 5, PSP_REF]);
  });
});

const variable = async (p: TxPair, name: string) =>
  (
    await p.call('GetVariables', {
      getVariableData: [{ component: { name: 'PaymentCtrlr' }, variable: { name } }],
    })
  ).getVariableResult[0];

/** The CSMS tells the running cost (CostUpdated, which E answers and counts against maxCost: E16.FR.15). */
const costUpdated = (p: TxPair, transactionId: string, totalCost: number) =>
  p.call('CostUpdated', { transactionId, totalCost });

test('C23.FR.01 C23.FR.02 the cost comes within IncrementalAuthorizationThreshold of the reserved amount: the terminal reserves IncrementalAuthorizationAmount more and maxCost rises by it in a LimitSet event', async () => {
  await withTerminal({ incremental: { amount: 25, threshold: 5 } }, async (p) => {
    assert.equal(
      [(await variable(p, 'IncrementalAuthorizationAmount')).attributeValue],
      ['25'],
      'reported where the terminal supports it',
    );
    const started = await paidTransaction(p);
    const txId = started.transactionInfo.transactionId;
    // 44 is more than 5 below the 50 reserved: nothing to do yet. The next cost (45) is within 5 of it.
    await costUpdated(p, txId, 44);
    await costUpdated(p, txId, 45);
    const raised = await p.waitTx((r) => r.triggerReason === 'LimitSet');
    assert.equal(raised.transactionInfo.transactionLimit, { maxCost: 75 });
    assert.equal(p.terminal.calls.slice(1), [['increase', PSP_REF, 25]], 'one increase, at 45 and not at 44');
    // The next increase is due within 5 of 75, before the cost reaches it: energy never stops.
    await costUpdated(p, txId, 71);
    const again = await p.waitTx((r) => r.triggerReason === 'LimitSet' && r.seqNo > raised.seqNo);
    assert.equal(again.transactionInfo.transactionLimit, { maxCost: 100 });
    assert.not.ok(p.tx().some((r) => r.triggerReason === 'CostLimitReached'));
    // Settled at the real cost, whatever was reserved.
    endCost(p, 72.5);
    p.station.stopTransaction(1);
    assert.is((await settlement(p)).settlementAmount, 72.5);
    assert.equal(p.terminal.calls.at(-1), ['settle', PSP_REF, 72.5]);
  });
});

test('C23.FR.01 C23.FR.02 an increase the PSP refuses: maxCost stays, energy stops when the cost reaches it (E16), no second request', async () => {
  await withTerminal({ incremental: { amount: 25 } }, async (p) => {
    p.terminal.increase = async () => false;
    const started = await paidTransaction(p);
    const txId = started.transactionInfo.transactionId;
    // No threshold configured: ocppkit asks a tenth of the increment (2.5) below the reserved amount.
    await costUpdated(p, txId, 47.5);
    await costUpdated(p, txId, 50);
    const reached = await p.waitTx((r) => r.triggerReason === 'CostLimitReached');
    assert.is(reached.transactionInfo.chargingState, 'SuspendedEVSE');
    assert.equal(p.terminal.calls.slice(1), [['increase', PSP_REF, 25]]);
    assert.not.ok(p.tx().some((r) => r.triggerReason === 'LimitSet'));
  });
});

test('C23.FR.01 without incremental authorization IncrementalAuthorizationAmount is absent and the terminal is never asked to increase', async () => {
  await withTerminal({}, async (p) => {
    assert.is((await variable(p, 'IncrementalAuthorizationAmount')).attributeStatus, 'UnknownVariable');
    const started = await paidTransaction(p);
    await costUpdated(p, started.transactionInfo.transactionId, 50);
    await p.waitTx((r) => r.triggerReason === 'CostLimitReached');
    assert.equal(p.terminal.calls, [['authorize', 1, 50]]);
  });
});

test('C18.FR.08 the driver VAT number validated by the CSMS before settlement: Accepted with the company, Rejected when invalid; the EVSE carried', async () => {
  await withTerminal({}, async (p) => {
    p.csms.respond('VatNumberValidation', (req: any) =>
      req.vatNumber === 'NL000099998B57'
        ? {
            vatNumber: req.vatNumber,
            status: 'Accepted',
            ...(req.evseId !== undefined ? { evseId: req.evseId } : {}),
            company: { name: 'Example BV', address1: 'Main St 1', city: 'Arnhem', country: 'NL' },
          }
        : { vatNumber: req.vatNumber, status: 'Rejected' },
    );
    await paidTransaction(p);
    const valid = await p.station.vatNumberValidation('NL000099998B57', 1);
    assert.equal(
      valid.status === 'sent' && [valid.response.status, valid.response.evseId, valid.response.company?.name],
      ['Accepted', 1, 'Example BV'],
    );
    const invalid = await p.station.vatNumberValidation('XX123');
    assert.equal(invalid.status === 'sent' && invalid.response.status, 'Rejected');
    assert.equal(
      p.sent('VatNumberValidation').map((m) => m.request),
      [{ vatNumber: 'NL000099998B57', evseId: 1 }, { vatNumber: 'XX123' }],
    );
    // Bad input is the caller's error, not a message.
    await p.station.vatNumberValidation('').then(
      () => assert.unreachable('an empty VAT number was sent'),
      (err: Error) => assert.instance(err, TypeError),
    );
    await p.station.vatNumberValidation('NL000099998B57', 9).then(
      () => assert.unreachable('an unknown EVSE was sent'),
      (err: Error) => assert.instance(err, Error),
    );
    assert.is(p.sent('VatNumberValidation').length, 2);
  });
});

test.run();
