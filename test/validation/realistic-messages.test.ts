// Hand-written messages as stations and CSMSs really send them (test/support/realistic-messages.ts) pass our
// validators and ocpp-rpc's; the typical mistakes an integrator makes with them are refused with the right
// CallError code and a message naming the field. Needs no OCA files: it runs against the committed generated/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as v16 from '../../generated/v16/index.js';
import * as v201 from '../../generated/v201/index.js';
import * as v21 from '../../generated/v21/index.js';
import { ocppRpcVerdict } from '../support/independent-validators.js';
import { messages16, messages201, messages21 } from '../support/realistic-messages.js';

type Validate = (action: string, payload: unknown) => ReturnType<typeof v201.validateRequest>;
const modules = { 'ocpp1.6': v16, 'ocpp2.0.1': v201, 'ocpp2.1': v21 } as const;

for (const [protocol, messages] of [
  ['ocpp1.6', messages16],
  ['ocpp2.0.1', messages201],
  ['ocpp2.1', messages21],
] as const) {
  test(`${protocol}: every realistic message passes ocppkit and ocpp-rpc`, () => {
    const m = modules[protocol];
    for (const msg of messages as Array<{
      name: string;
      action: string;
      kind: 'request' | 'response';
      payload: unknown;
    }>) {
      const validate = (msg.kind === 'request' ? m.validateRequest : m.validateResponse) as Validate;
      const r = validate(msg.action, msg.payload);
      assert.ok(r.ok, `${msg.name}: ${r.ok ? '' : r.error.message}`);
      if (r.ok) assert.is(r.value, msg.payload, 'the value is the payload itself, not a copy');
      const rpc = ocppRpcVerdict(protocol, msg.action, msg.kind);
      if (rpc) assert.ok(rpc(msg.payload), `ocpp-rpc accepts ${msg.name}`);
    }
  });
}

const tx = messages201.find((m) => m.action === 'TransactionEvent' && m.kind === 'request')!.payload;
const report = messages201.find((m) => m.action === 'NotifyReport')!.payload;

test('ocpp2.0.1 TransactionEvent: a meter value as a string, an unknown measurand, a missing transactionId are refused naming the field', () => {
  const asString = structuredClone(tx) as unknown as {
    meterValue: Array<{ sampledValue: Array<Record<string, unknown>> }>;
  };
  asString.meterValue[1]!.sampledValue[0]!.value = '5498.1';
  let r = v201.validateRequest('TransactionEvent', asString);
  assert.equal(r.ok ? null : [r.error.code, r.error.path], [
    'TypeConstraintViolation',
    'meterValue[1].sampledValue[0].value',
  ]);
  assert.ok(!r.ok && r.error.message === 'TransactionEventRequest.meterValue[1].sampledValue[0].value: must be number');

  const unknown = structuredClone(tx) as unknown as typeof asString;
  unknown.meterValue[0]!.sampledValue[1]!.measurand = 'Power.Active';
  r = v201.validateRequest('TransactionEvent', unknown);
  assert.equal(r.ok ? null : [r.error.code, r.error.path], [
    'PropertyConstraintViolation',
    'meterValue[0].sampledValue[1].measurand',
  ]);

  const missing = structuredClone(tx) as unknown as { transactionInfo: Record<string, unknown> };
  delete missing.transactionInfo.transactionId;
  r = v201.validateRequest('TransactionEvent', missing);
  assert.equal(r.ok ? null : [r.error.code, r.error.path, r.error.message], [
    'OccurrenceConstraintViolation',
    'transactionInfo.transactionId',
    'TransactionEventRequest.transactionInfo.transactionId: is required',
  ]);
});

test('ocpp2.0.1 NotifyReport: a component name over 50 characters deep in item 37 is refused naming that item', () => {
  const long = structuredClone(report) as unknown as { reportData: Array<{ component: { name: string } }> };
  long.reportData[37]!.component.name = 'C'.repeat(51);
  const r = v201.validateRequest('NotifyReport', long);
  assert.equal(r.ok ? null : [r.error.code, r.error.path, r.error.keyword], [
    'PropertyConstraintViolation',
    'reportData[37].component.name',
    'maxLength',
  ]);
});

test('ocpp1.6 StopTransaction: the 1.6 spellings FormationViolation and OccurenceConstraintViolation are used', () => {
  const stop = messages16.find((m) => m.action === 'StopTransaction' && m.kind === 'request')!.payload;
  let r = v16.validateRequest('StopTransaction', { ...stop, idTagg: 'typo' });
  assert.equal(r.ok ? null : [r.error.code, r.error.path], ['FormationViolation', 'idTagg']);
  const { meterStop: _, ...noMeterStop } = stop;
  r = v16.validateRequest('StopTransaction', noMeterStop);
  assert.equal(r.ok ? null : [r.error.code, r.error.path], ['OccurenceConstraintViolation', 'meterStop']);
});

test('ocpp2.1 NotifyPeriodicEventStream is a SEND message: it has a request validator and no response', () => {
  assert.is(v21.protocol.actions.NotifyPeriodicEventStream.send, true);
  assert.is(v21.protocol.actions.NotifyPeriodicEventStream.response, null);
  assert.throws(() => (v21.validateResponse as Validate)('NotifyPeriodicEventStream', {}), /SEND message/);
});

test('an action the version does not have is a RangeError naming it, not a validation failure', () => {
  assert.throws(
    () => (v201.validateRequest as Validate)('StartTransaction', {}),
    /ocpp2\.0\.1 has no action "StartTransaction"/,
  );
  assert.throws(() => (v16.validateRequest as Validate)('__proto__', {}), /has no action/);
});

test.run();
