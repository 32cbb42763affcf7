// The in-memory store (runtime/store/memory.ts) passes the same Store contract as the SQLite store (issue 18).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryStore, openMemoryStore } from '../../runtime/store/index.js';
import { storeContract } from './contract.js';

storeContract(test, 'in memory', () => openMemoryStore());

test('in memory: two stores share nothing, and the location says where the data lives', () => {
  const a = openMemoryStore();
  const b = new MemoryStore();
  a.put('ns', 'k', 1);
  a.outbox.append({
    action: 'Heartbeat',
    lane: 'other',
    txKey: null,
    role: 'loose',
    eventTime: 0,
    createdAt: 0,
    sends: 0,
    failures: 0,
    notBefore: 0,
    seqNo: null,
    offline: false,
    payload: {},
  });
  assert.is(b.get('ns', 'k'), undefined);
  assert.is(b.outbox.count(), 0);
  assert.is(a.location, ':memory:');
});

test.run();
