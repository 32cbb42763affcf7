// The message trace: every frame in and out with time, direction and station identity, written as JSON lines,
// with secrets (BasicAuthPassword, AuthorizationKey, network-profile passwords) masked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CsmsServer,
  jsonLinesTrace,
  redactSecrets,
  REDACTED,
  StationClient,
  type TraceEntry,
} from '../../runtime/rpc/index.js';
import { protocol as v16 } from '../../generated/v16/index.js';
import { once, rawClient } from '../support/rpc-harness.js';

test('SecurityCtrlr.BasicAuthPassword is masked in SetVariables, GetVariables results and NotifyReport', () => {
  const set = {
    setVariableData: [
      { attributeValue: 's3cret', component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } },
      { attributeValue: '30', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
    ],
  };
  assert.equal(redactSecrets(set), {
    setVariableData: [{ ...set.setVariableData[0], attributeValue: REDACTED }, set.setVariableData[1]],
  });
  const get = {
    getVariableResult: [
      {
        attributeStatus: 'Accepted',
        attributeValue: 's3cret',
        component: { name: 'SecurityCtrlr' },
        variable: { name: 'BasicAuthPassword' },
      },
    ],
  };
  assert.is((redactSecrets(get) as typeof get).getVariableResult[0]!.attributeValue, REDACTED);
  const report = {
    reportData: [
      {
        component: { name: 'SecurityCtrlr' },
        variable: { name: 'BasicAuthPassword' },
        variableAttribute: [{ type: 'Actual', value: 's3cret' }],
      },
    ],
  };
  assert.is((redactSecrets(report) as typeof report).reportData[0]!.variableAttribute[0]!.value, REDACTED);
  assert.is(report.reportData[0]!.variableAttribute[0]!.value, 's3cret', 'the original is not modified');
});

test('OCPP-J 1.6 §6.2.2, errata §3.12: AuthorizationKey is masked in ChangeConfiguration.req and GetConfiguration.conf', () => {
  assert.equal(redactSecrets([2, 'id', 'ChangeConfiguration', { key: 'AuthorizationKey', value: 'ABCDEF0123' }]), [
    2,
    'id',
    'ChangeConfiguration',
    { key: 'AuthorizationKey', value: REDACTED },
  ]);
  const conf = {
    configurationKey: [
      { key: 'AuthorizationKey', readonly: false, value: 'ABCDEF' },
      { key: 'HeartbeatInterval', readonly: false, value: '30' },
    ],
  };
  assert.equal(
    (redactSecrets(conf) as typeof conf).configurationKey.map((k) => k.value),
    [REDACTED, '30'],
  );
});

test('2.1 SetNetworkProfile: basicAuthPassword, apn.apnPassword, vpn.password and vpn.key are masked; frames without secrets are returned as they are', () => {
  const req = {
    configurationSlot: 1,
    connectionData: {
      basicAuthPassword: 'a',
      apn: { apn: 'x', apnPassword: 'b' },
      vpn: { server: 's', user: 'u', password: 'c', key: 'd', type: 'IPSec' },
    },
  };
  const out = redactSecrets(req) as typeof req;
  assert.equal(
    [
      out.connectionData.basicAuthPassword,
      out.connectionData.apn.apnPassword,
      out.connectionData.vpn.password,
      out.connectionData.vpn.key,
    ],
    [REDACTED, REDACTED, REDACTED, REDACTED],
  );
  assert.is(out.connectionData.vpn.user, 'u');
  const plain = [3, 'x', { status: 'Accepted', key: 'HeartbeatInterval' }];
  assert.is(redactSecrets(plain), plain);
});

test('jsonLinesTrace: frames in and out of both ends, with time, direction and station id, as JSON lines in a file; secrets masked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-trace-'));
  try {
    const file = join(dir, 'trace.jsonl');
    const csmsTrace = jsonLinesTrace(file);
    const server = new CsmsServer({ protocols: [v16], path: '/ocpp', trace: csmsTrace });
    server.handlers('ocpp1.6').handle('Heartbeat', () => ({ currentTime: '2025-01-01T00:00:00.000Z' }));
    const { port } = await server.listen();
    const stationEntries: TraceEntry[] = [];
    const client = new StationClient({
      url: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'TRACE1',
      protocols: [v16],
      trace: (e) => stationEntries.push(e),
    });
    client.session('ocpp1.6').handle('ChangeConfiguration', () => ({ status: 'Accepted' }));
    const stationP = once<[{ call: (a: 'ChangeConfiguration', p: unknown) => Promise<unknown> }]>(server, 'station');
    const session = await client.connect();
    const [onCsms] = await stationP;
    await session.call('Heartbeat', {});
    await onCsms.call('ChangeConfiguration', {
      key: 'AuthorizationKey',
      value: '00112233445566778899AABBCCDDEEFF00112233',
    });
    const raw = await rawClient(`ws://127.0.0.1:${port}/ocpp/TRACE2`, ['ocpp1.6']);
    raw.send('{"broken": ');
    await raw.next();
    await raw.close();
    await client.close();
    await server.close();
    await csmsTrace.close();

    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TraceEntry);
    assert.ok(lines.every((l) => !Number.isNaN(Date.parse(l.time)) && ['in', 'out', 'event'].includes(l.direction)));
    const frames = lines
      .filter((l) => l.station === 'TRACE1' && l.direction !== 'event')
      .map((l) => [l.direction, (l.frame as unknown[])[0], (l.frame as unknown[])[2]]);
    assert.equal(frames.slice(0, 2), [
      ['in', 2, 'Heartbeat'],
      ['out', 3, { currentTime: '2025-01-01T00:00:00.000Z' }],
    ]);
    assert.equal(frames[2], ['out', 2, 'ChangeConfiguration']);
    const change = lines.find((l) => l.direction === 'out' && (l.frame as unknown[])[2] === 'ChangeConfiguration')!;
    assert.equal((change.frame as unknown[])[3], { key: 'AuthorizationKey', value: REDACTED });
    assert.not.match(readFileSync(file, 'utf8'), /00112233445566778899/);
    assert.ok(lines.some((l) => l.station === 'TRACE2' && l.raw === '{"broken": '));
    assert.ok(
      lines.some(
        (l) => l.station === 'TRACE2' && l.direction === 'out' && (l.frame as unknown[])[2] === 'FormationViolation',
      ),
    );
    assert.ok(lines.some((l) => l.event === 'connected' && l.station === 'TRACE1'));
    // The station's own trace sees the mirror image.
    const st = stationEntries
      .filter((e) => e.direction !== 'event')
      .map((e) => [e.direction, (e.frame as unknown[])[0]]);
    assert.equal(st.slice(0, 4), [
      ['out', 2],
      ['in', 3],
      ['in', 2],
      ['out', 3],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
