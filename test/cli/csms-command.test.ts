// @serial
// `ocppkit csms` with `ocppkit station` connected to it, both real processes on 127.0.0.1: the CSMS logs every
// message, sends the CALLs typed at its prompt after checking them (an error names the field and nothing is sent),
// authorizes every idToken but the deny list; both --trace files are JSON lines with the secrets masked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { protocol as v201 } from '../../generated/v201/index.js';
import { StationClient } from '../../runtime/rpc/client.js';
import { REDACTED, type TraceEntry } from '../../runtime/rpc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { ocppkit } from './cli-process.js';

async function startCsms(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const csms = ocppkit(['csms', '--port', '0', ...args], { cwd, env });
  const line = await csms.waitFor(/CSMS listening on ws:\/\//);
  return { csms, url: /listening on (ws:\/\/\S+)/.exec(line)![1]! };
}

test('issue 19: bound to loopback (the default), ocppkit csms says that other hosts and containers are refused and how to accept them', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const { csms } = await startCsms([], tmp.dir);
  try {
    await csms.waitFor(/only this machine can connect \(loopback\).*--host 0\.0\.0\.0 accepts them/);
  } finally {
    csms.kill('SIGKILL');
    tmp.remove();
  }
});

test('CALLs typed at the prompt reach the station and its answers are logged; a bad payload, an unknown action and an unknown station are refused before sending', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const { csms, url } = await startCsms([], tmp.dir);
  const station = ocppkit(['station', '--csms', url, '--id', 'CS-A', '--db', tmp.file('a.db')], { cwd: tmp.dir });
  try {
    await station.waitFor(/boot accepted/);
    await csms.waitFor(/CS-A connected \(ocpp2\.0\.1\)/);
    await csms.waitFor(/CS-A → BootNotification \{"reason":"PowerUp"/);
    await csms.waitFor(/CS-A ← BootNotificationResponse \{.*"status":"Accepted"/);

    csms.send('CS-A Reset {"type":"Now"}');
    await csms.waitFor(/error: ResetRequest\.type: must be one of Immediate, OnIdle — nothing was sent/);
    csms.send('CS-A Rest {"type":"Immediate"}');
    await csms.waitFor(/error: ocpp2\.0\.1 has no action "Rest"/);
    csms.send('CS-A Heartbeat {}');
    await csms.waitFor(/error: Heartbeat is sent by a charging station, not by a CSMS — nothing was sent/);
    csms.send('CS-Z ClearCache');
    await csms.waitFor(/error: station "CS-Z" is not connected \(connected: CS-A\) — nothing was sent/);
    csms.send('CS-A Reset {"type": Immediate}');
    await csms.waitFor(/error: the payload of Reset is not JSON/);

    csms.send('CS-A TriggerMessage {"requestedMessage":"StatusNotification","evse":{"id":1,"connectorId":1}}');
    await csms.waitFor(/CS-A ← TriggerMessage \{"requestedMessage":"StatusNotification"/);
    await csms.waitFor(/CS-A → TriggerMessageResponse \{"status":"Accepted"\}/);
    await station.waitFor(/← TriggerMessage \{"requestedMessage":"StatusNotification"/);
    await station.waitFor(/→ TriggerMessageResponse \{"status":"Accepted"\}/);
    assert.not.match(station.output(), /Reset|Rest/, 'the refused CALLs never reached the station');

    csms.send('stations');
    await csms.waitFor(/^CS-A \(ocpp2\.0\.1\)$/);
    csms.send('quit');
    assert.is(await csms.exited(), 0, csms.output());
    await station.waitFor(/warning: disconnected \(1001 CSMS shutting down\); reconnecting/);
    station.send('quit');
    assert.is(await station.exited(), 0);
  } finally {
    csms.kill('SIGKILL');
    station.kill('SIGKILL');
    tmp.remove();
  }
});

test('--deny: Authorize of a denied idToken is answered Invalid, any other Accepted, and both exchanges are logged', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const { csms, url } = await startCsms(['--deny', 'STOLEN-1,STOLEN-2', '--ocpp', '2.0.1'], tmp.dir);
  // The station side here is the RPC layer itself: the deny list is the CSMS's behaviour, whatever sends Authorize.
  const client = new StationClient({ url, identity: 'CS-AUTH', protocols: [v201], reconnect: false });
  try {
    const session = await client.connect();
    const denied = await session.call('Authorize', { idToken: { idToken: 'STOLEN-2', type: 'ISO14443' } });
    const allowed = await session.call('Authorize', { idToken: { idToken: 'GOOD-1', type: 'ISO14443' } });
    assert.is(denied.idTokenInfo.status, 'Invalid');
    assert.is(allowed.idTokenInfo.status, 'Accepted');
    await csms.waitFor(/CS-AUTH → Authorize \{"idToken":\{"idToken":"STOLEN-2"/);
    await csms.waitFor(/CS-AUTH ← AuthorizeResponse \{"idTokenInfo":\{"status":"Invalid"\}\}/);
    await csms.waitFor(/CS-AUTH ← AuthorizeResponse \{"idTokenInfo":\{"status":"Accepted"\}\}/);
    assert.match(csms.output(), /idTokens answered Invalid: STOLEN-1, STOLEN-2/);
  } finally {
    await client.close();
    csms.kill('SIGKILL');
    tmp.remove();
  }
});

test('--trace on both ends: valid JSON lines of every frame; the Basic-auth password and a BasicAuthPassword sent by the CSMS appear nowhere', async () => {
  const tmp = tempDir('ocppkit-cli-');
  const password = 'Station-Pass-0123456789';
  const newPassword = 'Rotated-Pass-9876543210';
  const { csms: real, url: csmsUrl } = await startCsms(
    ['--security-profile', '1', '--trace', tmp.file('csms.jsonl')],
    tmp.dir,
    { OCPPKIT_CSMS_PASSWORD: password },
  );
  const station = ocppkit(
    [
      'station',
      '--csms',
      csmsUrl,
      '--id',
      'CS-T',
      '--security-profile',
      '1',
      '--trace',
      tmp.file('station.jsonl'),
      '--db',
      tmp.file('t.db'),
    ],
    {
      cwd: tmp.dir,
      env: { OCPPKIT_PASSWORD: password },
    },
  );
  try {
    await station.waitFor(/boot accepted/);
    real.send(
      `CS-T SetVariables {"setVariableData":[{"attributeValue":"${newPassword}","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}`,
    );
    await station.waitFor(/← SetVariables/);
    await real.waitFor(/CS-T → SetVariables(Response| CALLERROR)/);
    station.send('quit');
    assert.is(await station.exited(), 0);
    real.send('quit');
    assert.is(await real.exited(), 0);

    for (const [name, file] of [
      ['station', 'station.jsonl'],
      ['csms', 'csms.jsonl'],
    ] as const) {
      const text = readFileSync(tmp.file(file), 'utf8');
      const entries = text
        .trimEnd()
        .split('\n')
        .map((l, i): TraceEntry => {
          try {
            return JSON.parse(l) as TraceEntry;
          } catch {
            throw new Error(`${name} trace line ${i + 1} is not JSON: ${l}`);
          }
        });
      assert.ok(
        entries.every(
          (e) =>
            !Number.isNaN(Date.parse(e.time)) && e.station === 'CS-T' && ['in', 'out', 'event'].includes(e.direction),
        ),
        name,
      );
      const actions = entries
        .filter((e) => Array.isArray(e.frame) && (e.frame as unknown[])[0] === 2)
        .map((e) => (e.frame as unknown[])[2]);
      assert.ok(
        actions.includes('BootNotification') && actions.includes('SetVariables'),
        `${name}: ${actions.join(', ')}`,
      );
      const set = entries.find((e) => Array.isArray(e.frame) && (e.frame as unknown[])[2] === 'SetVariables')!;
      assert.is((set.frame as any)[3].setVariableData[0].attributeValue, REDACTED, name);
      assert.not.ok(text.includes(newPassword), `${name} trace holds the new password`);
      assert.not.ok(text.includes(password), `${name} trace holds the connection password`);
    }
    for (const p of [station, real]) {
      assert.not.ok(p.output().includes(newPassword), 'the logs hold the new password');
      assert.not.ok(p.output().includes(password), 'the logs hold the connection password');
    }
  } finally {
    real.kill('SIGKILL');
    station.kill('SIGKILL');
    tmp.remove();
  }
});

test.run();
