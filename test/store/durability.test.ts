// A write that returned is committed: a process killed with SIGKILL right after loses none of them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openSqliteStore } from '../../runtime/store/index.js';
import { tempDir } from '../helpers/tmp.js';
import { startChild } from './child.js';

test('every put that returned before SIGKILL is in the file after restart', async () => {
  const t = tempDir();
  const child = startChild(['write', t.file('d.db'), '100000']);
  try {
    await child.waitFor(/^committed 300$/);
    child.proc.kill('SIGKILL');
    await child.exited;
    const reported = child.lines.filter((l) => l.startsWith('committed ')).map((l) => Number(l.slice(10)));
    const last = Math.max(...reported);
    assert.ok(last >= 300 && last < 99_999, `killed mid-run (last reported ${last})`);
    const s = openSqliteStore(t.file('d.db'));
    const stored = s.list<{ i: number }>('writes').map((e) => e.value.i);
    // Every reported commit is present, in order, without holes; at most the one in progress is extra.
    assert.ok(
      stored.length === last + 1 || stored.length === last + 2,
      `stored ${stored.length}, last reported ${last}`,
    );
    assert.equal(
      stored,
      stored.map((_, i) => i),
    );
    s.close();
  } finally {
    child.proc.kill('SIGKILL');
    t.remove();
  }
});

test.run();
