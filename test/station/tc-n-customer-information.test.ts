// Part 6 TC_N_*_CS customer information cases (N09 Get, N10 Clear) against the built-in CSMS over real sockets, with
// a real SQLite file: the data comes from the station's authorization cache (C), local list (D), running
// transactions (E) and the integrator's `customerInformation` hook.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CustomerReference } from '../../runtime/station/N-diagnostics/customer-information.js';
import { localList } from '../support/tc-c.js';
import { states, TOKEN, withTxPair, type TxPair, type TxPairOptions } from '../support/tx-pair.js';

const OTHER = { idToken: 'NOBODY-42', type: 'ISO14443' as const };
const AUTH = {
  'AuthCacheCtrlr.Enabled': true,
  'LocalAuthListCtrlr.Enabled': true,
  'AuthCtrlr.LocalPreAuthorize': true,
};

let nextRequestId = 1;
/** CustomerInformation, and every NotifyCustomerInformation part when Accepted (requestId, seqNo from 0 checked). */
async function ask(p: TxPair, request: Record<string, unknown>) {
  const requestId = nextRequestId++;
  const response = await p.call('CustomerInformation', { requestId, report: true, clear: false, ...request });
  const parts: any[] = [];
  if (response.status === 'Accepted') {
    do {
      const seqNo = parts.length;
      parts.push(
        (
          await p.waitFor(
            'NotifyCustomerInformation',
            (m: any) => m.request.requestId === requestId && m.request.seqNo === seqNo,
          )
        ).request,
      );
    } while (parts.at(-1).tbc);
  }
  for (const part of parts) assert.ok(part.data.length <= 512 && Date.parse(part.generatedAt) > 0);
  return { response, parts, text: parts.map((x) => x.data).join('') };
}

/** Memory state IdTokenCached (the CSMS accepted the token, the cache kept it) and IdTokenLocalAuthList. */
async function known(p: TxPair) {
  await states.authorizeAndWait(p, undefined, TOKEN);
  await localList(p, [{ idToken: TOKEN, idTokenInfo: { status: 'Accepted' } }]);
}

const withStation = (options: TxPairOptions, body: (p: TxPair) => Promise<void>) =>
  withTxPair({ ...options, variables: { ...AUTH, ...options.variables } }, body);

test('TC_N_27_CS N09.FR.02 N09.FR.05 report by idToken: Accepted, then the data of the cache and the local list', () =>
  withStation({}, async (p) => {
    await known(p);
    const { response, parts, text } = await ask(p, { idToken: TOKEN });
    assert.equal(response, { status: 'Accepted' });
    assert.is(parts.at(-1).tbc, false);
    assert.match(text, `authorization cache: ISO14443 ${TOKEN.idToken}, status Accepted`);
    assert.match(text, `local authorization list: ISO14443 ${TOKEN.idToken}, status Accepted`);
  }));

test('TC_N_28_CS N09.FR.06 report for a customer the station knows nothing of: one message saying so', () =>
  withStation({}, async (p) => {
    await known(p);
    const { response, parts } = await ask(p, { idToken: OTHER });
    assert.equal(response.status, 'Accepted');
    assert.equal(
      parts.map((x) => [x.seqNo, x.tbc, x.data]),
      [[0, false, 'no customer data found']],
    );
  }));

test('TC_N_29_CS TC_N_33_CS N09.FR.09 no customer reference, or more than one: Invalid', () =>
  withStation({}, async (p) => {
    assert.is((await ask(p, {})).response.status, 'Invalid');
    assert.is((await ask(p, { idToken: TOKEN, customerIdentifier: 'C-1' })).response.status, 'Invalid');
    assert.equal(p.sent('NotifyCustomerInformation'), []);
  }));

test('N09.FR.07 N10.FR.07 neither report nor clear: Rejected', () =>
  withStation({}, async (p) => {
    assert.is((await ask(p, { idToken: TOKEN, report: false, clear: false })).response.status, 'Rejected');
  }));

test('TC_N_30_CS N10.FR.01 N10.FR.03 clear and report: the data is reported, the cache forgets the token, the local list keeps it', () =>
  withStation({}, async (p) => {
    await known(p);
    const cleared = await ask(p, { idToken: TOKEN, clear: true });
    assert.equal(cleared.response.status, 'Accepted');
    assert.match(cleared.text, 'authorization cache:');
    const after = await ask(p, { idToken: TOKEN });
    assert.not.match(after.text, 'authorization cache:');
    assert.match(after.text, 'local authorization list:', 'only the CSMS changes the local list');
  }));

test('TC_N_31_CS N10.FR.04 clear and report for an unknown customer: one message saying no data was found', () =>
  withStation({}, async (p) => {
    const { response, parts } = await ask(p, { idToken: OTHER, clear: true });
    assert.equal(response.status, 'Accepted');
    assert.equal(
      parts.map((x) => [x.tbc, x.data]),
      [[false, 'no customer data found']],
    );
  }));

test('TC_N_32_CS N10.FR.06 clear without report: one message saying the data was cleared', () =>
  withStation({}, async (p) => {
    await states.authorizeAndWait(p, undefined, TOKEN);
    const { response, parts } = await ask(p, { idToken: TOKEN, clear: true, report: false });
    assert.equal(response.status, 'Accepted');
    assert.is(parts.length, 1);
    assert.match(parts[0].data, 'cleared');
    assert.equal(
      (await ask(p, { idToken: TOKEN })).parts.map((x) => x.data),
      ['no customer data found'],
    );
  }));

test('TC_N_62_CS N10 clear and report by customerIdentifier: the integrator hook is asked and clears its data', () => {
  const calls: Array<[CustomerReference, boolean]> = [];
  return withStation(
    {
      station: {
        hardware: {
          customerInformation: async (customer, clear) => {
            calls.push([customer, clear]);
            return ['receipt 2026-11-30 12.40 kWh'];
          },
        },
      },
    },
    async (p) => {
      const { response, text } = await ask(p, { customerIdentifier: 'CUSTOMER-7', clear: true });
      assert.equal(response.status, 'Accepted');
      assert.equal(text, 'receipt 2026-11-30 12.40 kWh');
      assert.equal(calls, [[{ customerIdentifier: 'CUSTOMER-7' }, true]]);
    },
  );
});

test('TC_N_63_CS N10 clear and report by customerCertificate: the integrator hook answers (ocppkit keeps no customer certificates)', () => {
  const certificate = { hashAlgorithm: 'SHA256', issuerNameHash: 'a1', issuerKeyHash: 'b2', serialNumber: '0C' };
  const calls: unknown[] = [];
  return withStation(
    { station: { hardware: { customerInformation: (customer) => (calls.push(customer), []) } } },
    async (p) => {
      const { response, text } = await ask(p, { customerCertificate: certificate, clear: true });
      assert.equal([response.status, text], ['Accepted', 'no customer data found']);
      assert.equal(calls, [{ customerCertificate: certificate }]);
    },
  );
});

test('N09.FR.05 a long report goes in parts of at most 512 characters: seqNo from 0, tbc on all but the last', () =>
  withStation(
    {
      station: {
        hardware: { customerInformation: () => Array.from({ length: 30 }, (_, i) => `session ${i} `.padEnd(60, '.')) },
      },
    },
    async (p) => {
      const { parts, text } = await ask(p, { customerIdentifier: 'C-LONG' });
      assert.ok(parts.length >= 4);
      assert.equal(
        parts.map((x) => x.tbc),
        parts.map((_, i) => i < parts.length - 1),
      );
      assert.match(text, 'session 29');
    },
  ));

test('N09.FR.03 N10.FR.05 a request while another is still being answered: Rejected', () => {
  let release: (lines: string[]) => void = () => {};
  return withStation(
    { station: { hardware: { customerInformation: () => new Promise<string[]>((r) => (release = r)) } } },
    async (p) => {
      const first = await p.call('CustomerInformation', {
        requestId: 900,
        report: true,
        clear: false,
        customerIdentifier: 'A',
      });
      assert.is(first.status, 'Accepted');
      const second = await p.call('CustomerInformation', {
        requestId: 901,
        report: true,
        clear: false,
        customerIdentifier: 'B',
      });
      assert.is(second.status, 'Rejected');
      release(['data of A']);
      const part = await p.waitFor('NotifyCustomerInformation', (m: any) => m.request.requestId === 900);
      assert.is((part.request as any).data, 'data of A');
    },
  );
});

test('N09.FR.05 a hook that never answers: after 60 s the report goes out with what the station has', () =>
  withStation(
    { manualClock: true, station: { hardware: { customerInformation: () => new Promise<string[]>(() => {}) } } },
    async (p) => {
      await states.authorizeAndWait(p, undefined, TOKEN);
      const response = await p.call('CustomerInformation', {
        requestId: 950,
        report: true,
        clear: false,
        idToken: TOKEN,
      });
      assert.is(response.status, 'Accepted');
      await p.advance(60_000);
      const part = (await p.waitFor('NotifyCustomerInformation', (m: any) => m.request.requestId === 950))
        .request as any;
      assert.match(part.data, 'authorization cache:');
      assert.match(part.data, 'no answer in time');
      assert.is(
        (await p.call('CustomerInformation', { requestId: 951, report: true, clear: false, idToken: OTHER })).status,
        'Accepted',
        'the next request is served',
      );
    },
  ));

test('N09.FR.05 a running transaction of the token is customer data too', () =>
  withStation({}, async (p) => {
    const transactionId = await states.energyTransferStarted(p);
    const { text } = await ask(p, { idToken: TOKEN });
    assert.match(text, `transaction ${transactionId} on EVSE 1`);
  }));

test.run();
