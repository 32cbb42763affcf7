// The shell after stop(): a going-online that fails because the station was stopped under it (the queue is closed)
// is the expected end of that call, not a fault to report — while the same failure on a running station is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../runtime/queue/clock.js';
import { Shell, type ShellPorts } from '../../runtime/station/core/shell.js';
import type { PublicEvent, UseCase } from '../../runtime/station/core/types.js';
import { openSqliteStore } from '../../runtime/store/sqlite.js';
import { testLayout } from '../support/station-harness.js';

/** A use case that goes online when connected, as boot does once accepted. */
const goOnline: UseCase<null> = {
  name: 'goOnline',
  init: () => null,
  on: (state, event) =>
    event.type === 'connected' ? { state, effects: [{ type: 'setOnline', online: true }] } : undefined,
};

function shellWithFailingSetOnline() {
  const emitted: PublicEvent[] = [];
  let fail!: (error: Error) => void;
  const store = openSqliteStore(':memory:');
  const ports: ShellPorts = {
    clock: new ManualClock(0),
    store,
    variables: { int: () => undefined, bool: () => undefined, string: () => undefined },
    send: async () => ({ status: 'notSent', reason: 'offline' }),
    sendDirect: async () => ({ status: 'notSent', reason: 'offline' }),
    setOnline: () => new Promise<void>((_, reject) => (fail = reject)),
    hardware: async () => undefined,
    setVariable: () => {},
    applyVariables: () => {},
    emit: (e) => emitted.push(e),
    restart: () => {},
  };
  const shell = new Shell('CS-STOP', testLayout([{ id: 1, connectors: [{ id: 1 }] }]), [goOnline], ports);
  shell.dispatch({ type: 'connected', version: 'ocpp2.0.1' });
  return { shell, emitted, fail: (e: Error) => fail(e), close: () => store.close() };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

test('a setOnline rejected after stop() is not reported; before stop() it is reported as an error', async () => {
  const stopped = shellWithFailingSetOnline();
  stopped.shell.stop();
  stopped.fail(new Error('the queue is closed'));
  await settle();
  assert.equal(stopped.emitted, []);
  stopped.close();

  const running = shellWithFailingSetOnline();
  running.fail(new Error('the queue is closed'));
  await settle();
  assert.equal(running.emitted, [{ type: 'log', level: 'error', message: 'going online failed: the queue is closed' }]);
  running.close();
});

test.run();
