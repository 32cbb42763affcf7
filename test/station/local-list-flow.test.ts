// D01/D02 as flows: the rules of SendLocalList (full, differential, versions, limits) and GetLocalListVersion, with
// the list read back the way block C reads it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LIST_NAMESPACE, localListLookup } from '../../runtime/station/D-local-list/list-store.js';
import type { SendLocalListRequest } from '../../generated/v201/types.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import type { Store } from '../../runtime/store/types.js';
import { authDriver, token, type AuthDriver } from '../support/authorization-driver.js';

const A = token('AAAA');
const B = token('BBBB');
const C = token('CCCC');
let id = 0;

const send = (d: AuthDriver, req: SendLocalListRequest) => d.shell.answer('SendLocalList', req, `m${++id}`);
const version = (d: AuthDriver) =>
  (d.shell.answer('GetLocalListVersion', {}, `m${++id}`) as { versionNumber: number }).versionNumber;
const status = (d: AuthDriver, t: typeof A) => localListLookup(d.shell, t)?.info.status;
const full = (versionNumber: number, ...entries: Array<[typeof A, string]>): SendLocalListRequest => ({
  versionNumber,
  updateType: 'Full',
  localAuthorizationList: entries.map(([idToken, s]) => ({ idToken, idTokenInfo: { status: s as 'Accepted' } })),
});
const diff = (versionNumber: number, ...entries: Array<[typeof A, string | undefined]>): SendLocalListRequest => ({
  versionNumber,
  updateType: 'Differential',
  localAuthorizationList: entries.map(([idToken, s]) => ({
    idToken,
    ...(s ? { idTokenInfo: { status: s as 'Accepted' } } : {}),
  })),
});

test('D02.FR.02 D02.FR.01 before any list the version is 0; after one, the version it came with', () => {
  const d = authDriver();
  assert.is(version(d), 0);
  assert.equal(send(d, full(4, [A, 'Accepted'])), { status: 'Accepted' });
  assert.is(version(d), 4);
});

test('D01.FR.15 D01.FR.01 a Full update replaces the whole list and sets its version', () => {
  const d = authDriver();
  send(d, full(1, [A, 'Accepted'], [B, 'Blocked']));
  send(d, full(2, [C, 'Accepted'], [B, 'Accepted']));
  assert.equal([status(d, A), status(d, B), status(d, C), version(d)], [undefined, 'Accepted', 'Accepted', 2]);
});

test('D01.FR.04 a Full update without entries empties the list; the version is still updated', () => {
  const d = authDriver();
  send(d, full(1, [A, 'Accepted']));
  assert.equal(send(d, { versionNumber: 3, updateType: 'Full' }), { status: 'Accepted' });
  assert.equal([status(d, A), version(d), d.store.list(LIST_NAMESPACE).length], [undefined, 3, 0]);
});

test('D01.FR.16 D01.FR.17 a Differential update adds, replaces and (without idTokenInfo) removes entries', () => {
  const d = authDriver();
  send(d, full(1, [A, 'Accepted'], [B, 'Accepted']));
  assert.equal(send(d, diff(2, [B, 'Blocked'], [C, 'Accepted'], [A, undefined])), { status: 'Accepted' });
  assert.equal([status(d, A), status(d, B), status(d, C), version(d)], [undefined, 'Blocked', 'Accepted', 2]);
});

test('D01.FR.05 a Differential update without entries changes nothing but the version', () => {
  const d = authDriver();
  send(d, full(1, [A, 'Accepted']));
  assert.equal(send(d, { versionNumber: 2, updateType: 'Differential', localAuthorizationList: [] }), {
    status: 'Accepted',
  });
  assert.equal([status(d, A), version(d)], ['Accepted', 2]);
});

test("D01.FR.19 a Differential update whose version is not above the list's is VersionMismatch and changes nothing; a Full one may go back", () => {
  const d = authDriver();
  send(d, full(5, [A, 'Accepted']));
  assert.equal(send(d, diff(5, [B, 'Accepted'])), { status: 'VersionMismatch' });
  assert.equal(send(d, diff(4, [A, undefined])), { status: 'VersionMismatch' });
  assert.equal([status(d, A), status(d, B), version(d)], ['Accepted', undefined, 5]);
  assert.equal(send(d, full(2, [B, 'Accepted'])), { status: 'Accepted' });
  assert.is(version(d), 2);
});

test('D01.FR.18 versionNumber 0 (or less) is refused: Failed', () => {
  const d = authDriver();
  const r = send(d, full(0, [A, 'Accepted'])) as { status: string; statusInfo?: { reasonCode: string } };
  assert.equal([r.status, r.statusInfo?.reasonCode], ['Failed', 'InvalidValue']);
  assert.is(version(d), 0);
});

test('D01.FR.11 an update above ItemsPerMessage or BytesPerMessage is Failed and changes nothing', () => {
  const d = authDriver({
    variables: { 'LocalAuthListCtrlr.ItemsPerMessage': 2, 'LocalAuthListCtrlr.BytesPerMessage': 400 },
  });
  send(d, full(1, [A, 'Accepted']));
  const many = send(d, full(2, [A, 'Accepted'], [B, 'Accepted'], [C, 'Accepted'])) as {
    status: string;
    statusInfo?: { reasonCode: string };
  };
  assert.equal([many.status, many.statusInfo?.reasonCode], ['Failed', 'TooManyElements']);
  const big = send(d, {
    versionNumber: 2,
    updateType: 'Full',
    localAuthorizationList: [
      {
        idToken: B,
        idTokenInfo: { status: 'Accepted', personalMessage: { format: 'UTF8', content: 'x'.repeat(400) } },
      },
    ],
  }) as { status: string; statusInfo?: { reasonCode: string } };
  assert.equal([big.status, big.statusInfo?.reasonCode], ['Failed', 'TooLargeElement']);
  assert.equal([status(d, A), status(d, B), version(d)], ['Accepted', undefined, 1]);
});

test('D01.FR.06 a token twice in one update (even in another case) is refused: the list stays as it was', () => {
  const d = authDriver();
  send(d, full(1, [A, 'Accepted']));
  const r = send(d, full(2, [B, 'Accepted'], [token('bbbb'), 'Blocked'])) as {
    status: string;
    statusInfo?: { reasonCode: string; additionalInfo?: string };
  };
  assert.equal([r.status, r.statusInfo?.reasonCode], ['Failed', 'InvalidValue']);
  assert.ok(r.statusInfo?.additionalInfo?.includes('localAuthorizationList[1]'));
  assert.not.ok(r.statusInfo?.additionalInfo?.includes('bbbb'), 'the token itself is not echoed');
  assert.equal([status(d, A), version(d)], ['Accepted', 1]);
});

test('D01.FR.15 a Full update needs idTokenInfo for every entry: Failed MissingParam otherwise', () => {
  const d = authDriver();
  const r = send(d, { versionNumber: 1, updateType: 'Full', localAuthorizationList: [{ idToken: A }] }) as {
    status: string;
    statusInfo?: { reasonCode: string };
  };
  assert.equal([r.status, r.statusInfo?.reasonCode], ['Failed', 'MissingParam']);
});

test('D01.FR.12 LocalAuthListCtrlr.Entries and Storage follow the list; beyond its capacity an update is Failed (OutOfStorage)', async () => {
  const d = authDriver({ localListMaxEntries: 2 });
  send(d, full(1, [A, 'Accepted'], [B, 'Accepted']));
  await d.settle();
  d.shell.answered(`m${id}`);
  assert.is(d.variables.int('LocalAuthListCtrlr', 'Entries'), 2);
  assert.ok(d.variables.int('LocalAuthListCtrlr', 'Storage')! > 0);
  const r = send(d, diff(2, [C, 'Accepted'])) as { status: string; statusInfo?: { reasonCode: string } };
  assert.equal([r.status, r.statusInfo?.reasonCode], ['Failed', 'OutOfStorage']);
  assert.equal(
    send(d, diff(2, [A, undefined], [C, 'Accepted'])),
    { status: 'Accepted' },
    'room made in the same update',
  );
});

test('D01.FR.13 D02.FR.03 with LocalAuthListCtrlr.Enabled false the list is not used, not changed, and its version reads 0', () => {
  const d = authDriver();
  send(d, full(3, [A, 'Accepted']));
  d.variables.set('LocalAuthListCtrlr', 'Enabled', 'false');
  assert.is(version(d), 0);
  assert.is(status(d, A), undefined);
  const r = send(d, full(4, [B, 'Accepted'])) as { status: string; statusInfo?: { reasonCode: string } };
  assert.equal([r.status, r.statusInfo?.reasonCode], ['Failed', 'NotEnabled']);
  d.variables.set('LocalAuthListCtrlr', 'Enabled', 'true');
  assert.equal([version(d), status(d, A)], [3, 'Accepted']);
});

test('D01.FR.10 the list and its version survive a restart on the same store', () => {
  const store = openSqliteStore(':memory:');
  const first = authDriver({ store });
  send(first, full(7, [A, 'Accepted']));
  first.shell.stop();
  const second = authDriver({ store });
  assert.equal([version(second), status(second, A)], [7, 'Accepted']);
});

test('an update that cannot be stored is answered Failed and the old list (and version) remain, whole', () => {
  const real = openSqliteStore(':memory:');
  let failing = false;
  const store: Store = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'put' && failing)
        return (ns: string, key: string, value: unknown) =>
          ns === 'auth.localList.meta'
            ? (() => {
                throw new Error('disk full');
              })()
            : target.put(ns, key, value);
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const d = authDriver({ store });
  send(d, full(1, [A, 'Accepted']));
  failing = true;
  const r = send(d, full(2, [B, 'Accepted'])) as { status: string; statusInfo?: { reasonCode: string } };
  assert.equal([r.status, r.statusInfo?.reasonCode], ['Failed', 'InternalError']);
  failing = false;
  assert.equal([version(d), status(d, A), status(d, B)], [1, 'Accepted', undefined]);
});

test.run();
