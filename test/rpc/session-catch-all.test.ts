// A station session's catch-all handler and after-hook (handleOther, afterOther): one function each answers every
// action without its own, so that a station need not register a closure per action and connection (issue 18).
// Real sockets: our CsmsServer calls our StationClient.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CallErrorResponse, CsmsServer, StationClient } from '../../runtime/rpc/index.js';
import { protocol as v201 } from '../../generated/v201/index.js';
import { once, until } from '../support/rpc-harness.js';

test('handleOther answers every action by ctx.action; afterOther follows each CALLRESULT; own ones win', async () => {
  // Closed whatever the outcome, so that a failed assertion does not leave the process waiting on sockets.
  const server = new CsmsServer({ protocols: [v201], path: '/ocpp' });
  const { port } = await server.listen();
  const client = new StationClient({ url: `ws://127.0.0.1:${port}/ocpp`, identity: 'CATCH', protocols: [v201] });
  const session = client.session('ocpp2.0.1');
  const handled: string[] = [];
  const followed: string[] = [];
  session.handleOther((_request, ctx) => {
    handled.push(ctx.action);
    if (ctx.action === 'Reset') return { status: 'Scheduled' };
    if (ctx.action === 'ClearCache') return { status: 'Accepted' };
    throw new Error('not this one');
  });
  session.afterOther((_request, response, ctx) => {
    followed.push(`${ctx.action} ${JSON.stringify(response)}`);
  });
  session.handle('GetLocalListVersion', () => ({ versionNumber: 7 }));
  session.after('GetLocalListVersion', () => {
    followed.push('own GetLocalListVersion');
  });
  const station = once<[{ call(action: string, payload: unknown): Promise<Record<string, unknown>> }]>(
    server,
    'station',
  );
  await client.connect();
  const [csms] = await station;
  try {
    assert.is((await csms.call('Reset', { type: 'OnIdle' })).status, 'Scheduled');
    assert.is((await csms.call('ClearCache', {})).status, 'Accepted');
    assert.is((await csms.call('GetLocalListVersion', {})).versionNumber, 7);
    // A request of an action without a handler of its own that the catch-all refuses: a CALLERROR, no after-hook.
    const refused = await csms.call('GetTransactionStatus', {}).catch((e: unknown) => e);
    assert.instance(refused, CallErrorResponse);
    await until(() => followed.length === 3, 2000, 'the after-hooks');
    assert.equal(handled, ['Reset', 'ClearCache', 'GetTransactionStatus']);
    assert.equal(followed, [
      'Reset {"status":"Scheduled"}',
      'ClearCache {"status":"Accepted"}',
      'own GetLocalListVersion',
    ]);
  } finally {
    await client.close();
    await server.close();
  }
});

test.run();
