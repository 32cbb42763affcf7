// The document API and the outbox of the SQLite store: the Store contract (contract.ts), and reopening a file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openSqliteStore } from '../../runtime/store/index.js';
import { tempDir } from '../helpers/tmp.js';
import { code, rec, storeContract } from './contract.js';

storeContract(test, 'SQLite', () => openSqliteStore(':memory:'));

test('reopen after close keeps documents and the outbox, in order', () => {
  const t = tempDir();
  try {
    const a = openSqliteStore(t.file('s.db'));
    a.put('reservations', '7', { evseId: 1 });
    const ids = [1, 2, 3].map((n) => a.outbox.append(rec({ payload: { n } })));
    a.outbox.update(ids[0]!, { sends: 1, seqNo: 0 });
    a.close();
    assert.is(a.closed, true);
    assert.match(
      code(() => a.get('reservations', '7'))!,
      /^CLOSED/,
    );
    const b = openSqliteStore(t.file('s.db'));
    assert.equal(b.get('reservations', '7'), { evseId: 1 });
    assert.equal(
      b.outbox.list().map((m) => m.id),
      ids,
    );
    assert.equal(
      ids.map((id) => b.outbox.payload(id)),
      [{ n: 1 }, { n: 2 }, { n: 3 }],
    );
    assert.is(b.outbox.list()[0]!.seqNo, 0);
    b.close();
  } finally {
    t.remove();
  }
});

test.run();
