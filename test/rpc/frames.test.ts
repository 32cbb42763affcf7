// The pure parts of framing: classification of incoming frames, the per-version error-code table, and the
// ErrorDescription limit. (End-to-end behaviour is in incoming-frames.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { frameErrorCode, type FrameProblem } from '../../runtime/rpc/frame-errors.js';
import { clampDescription } from '../../runtime/rpc/frames.js';
import { decodeText, parseFrame } from '../../runtime/rpc/parse.js';

const kind = (v: 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1', text: string) => {
  const f = parseFrame(v, text);
  return f.kind === 'problem' ? [f.problem, f.answerId] : [f.kind, f.id];
};

test('Part 4 §4.1.3: CALL/CALLRESULT/CALLERROR in every version; CALLRESULTERROR (5) and SEND (6) only in 2.1', () => {
  assert.equal(kind('ocpp2.0.1', '[2,"a","Heartbeat",{}]'), ['call', 'a']);
  assert.equal(kind('ocpp2.0.1', '[3,"a",{}]'), ['result', 'a']);
  assert.equal(kind('ocpp1.6', '[4,"a","GenericError","",{}]'), ['error', 'a']);
  assert.equal(kind('ocpp2.1', '[5,"a","FormatViolation","",{}]'), ['resultError', 'a']);
  assert.equal(kind('ocpp2.1', '[6,"a","NotifyPeriodicEventStream",{}]'), ['send', 'a']);
  assert.equal(kind('ocpp2.0.1', '[5,"a","FormatViolation","",{}]'), ['unknownMessageType', 'a']);
  assert.equal(kind('ocpp2.0.1', '[6,"a","X",{}]'), ['unknownMessageType', 'a']);
  assert.equal(kind('ocpp1.6', '[9,"a"]'), ['unknownMessageType', 'a']);
});

test('Part 4 §4.2.3: MessageId "-1" when it cannot be read; a response or SEND with problems is never answered', () => {
  assert.equal(kind('ocpp2.0.1', '[2,'), ['invalidJson', '-1']);
  assert.equal(kind('ocpp2.0.1', 'null'), ['notRpcMessage', '-1']);
  assert.equal(kind('ocpp2.0.1', '[2, 5, "Heartbeat", {}]'), ['notRpcMessage', '-1']);
  assert.equal(kind('ocpp2.0.1', `[2, "${'x'.repeat(37)}", "Heartbeat", {}]`), ['notRpcMessage', '-1']);
  assert.equal(kind('ocpp2.0.1', `[2, "${'x'.repeat(36)}", "Heartbeat", {}]`), ['call', 'x'.repeat(36)]);
  assert.equal(kind('ocpp2.0.1', '[3, 5, {}]'), ['notRpcMessage', undefined]);
  assert.equal(kind('ocpp2.1', '[6, "s", "A"]'), ['badCallShape', undefined]);
  assert.equal(kind('ocpp2.0.1', '["2", "id", "A", {}]'), ['notRpcMessage', 'id']);
  assert.equal(parseFrame('ocpp2.0.1', undefined).kind, 'problem');
  assert.is(decodeText(Buffer.from([0xc3, 0x28])), undefined, 'invalid UTF-8 is detected');
  assert.is(decodeText(Buffer.from('[2,"é"]')), '[2,"é"]');
});

test('frame-errors table: 2.x RpcFrameworkError / MessageTypeNotSupported, 1.6 FormationViolation / no answer; NotImplemented vs NotSupported per §4.3', () => {
  const row = (p: FrameProblem) => [
    frameErrorCode('ocpp1.6', p),
    frameErrorCode('ocpp2.0.1', p),
    frameErrorCode('ocpp2.1', p),
  ];
  assert.equal(row('invalidJson'), ['FormationViolation', 'RpcFrameworkError', 'RpcFrameworkError']);
  assert.equal(row('binaryFrame'), ['FormationViolation', 'RpcFrameworkError', 'RpcFrameworkError']);
  assert.equal(row('notRpcMessage'), ['FormationViolation', 'RpcFrameworkError', 'RpcFrameworkError']);
  assert.equal(row('badCallShape'), ['FormationViolation', 'RpcFrameworkError', 'RpcFrameworkError']);
  assert.equal(row('unknownMessageType'), [null, 'MessageTypeNotSupported', 'MessageTypeNotSupported']);
  assert.equal(row('unknownAction'), ['NotImplemented', 'NotImplemented', 'NotImplemented']);
  assert.equal(row('actionNotSupported'), ['NotSupported', 'NotSupported', 'NotSupported']);
  assert.equal(row('duplicateMessageId'), ['GenericError', 'RpcFrameworkError', 'RpcFrameworkError']);
  assert.equal(row('tooManyCalls'), ['GenericError', 'RpcFrameworkError', 'RpcFrameworkError']);
  assert.equal(row('internal'), ['InternalError', 'InternalError', 'InternalError']);
});

test('Part 4 §4.2.3 Table 7: ErrorDescription string[255], cut without splitting a surrogate pair', () => {
  assert.is(clampDescription('short'), 'short');
  assert.is(clampDescription('x'.repeat(300)).length, 255);
  const s = `${'x'.repeat(254)}😀tail`;
  assert.is(clampDescription(s), 'x'.repeat(254));
});

test.run();
