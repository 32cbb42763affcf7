// The runtime's side of the device model: typed accessors, the station's own writes, live values, and change
// notification (how the heartbeat, the connection and the transaction logic learn about new values).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeviceModelError, type VariableChange } from '../../../runtime/station/device-model/index.js';
import { item, makeModel, NOW, ok } from './fixture.js';

test('typed accessors return ocppkit defaults by name and refuse the wrong type', () => {
  const { model } = makeModel();
  assert.is(model.getInt('OCPPCommCtrlr', 'HeartbeatInterval'), 300);
  assert.is(model.getInt('OCPPCommCtrlr', { name: 'MessageTimeout', instance: 'Default' }), 30);
  assert.is(model.getBool('OCPPCommCtrlr', 'QueueAllMessages'), false);
  assert.is(model.getBool('AuthCtrlr', 'LocalAuthorizeOffline'), true);
  assert.equal(model.getList('TxCtrlr', 'TxStopPoint'), ['EVConnected', 'Authorized']);
  assert.equal(model.getList('OCPPCommCtrlr', 'NetworkConfigurationPriority'), ['1']);
  assert.equal(model.getList('AlignedDataCtrlr', 'TxEndedMeasurands'), []);
  assert.is(model.getDecimal({ name: 'EVSE', evse: { id: 2 } }, 'Power'), 0);
  assert.is(model.getDateTime('ClockCtrlr', 'DateTime')?.toISOString(), NOW.toISOString());
  assert.is(model.getString('SecurityCtrlr', 'OrganizationName'), 'ACME Charging');
  assert.is(model.getInt('OCPPCommCtrlr', 'NoSuchVariable'), undefined);
  assert.is(model.has('OCPPCommCtrlr', 'NoSuchVariable'), false);
  assert.is(model.has('OCPPCommCtrlr', 'OfflineThreshold', 'Target'), false);
  assert.throws(
    () => model.getInt('OCPPCommCtrlr', 'QueueAllMessages'),
    (e: unknown) => e instanceof DeviceModelError && /QueueAllMessages is boolean, not integer/.test(e.message),
  );
  assert.throws(() => model.getInt(42 as never, 'x'), /component must be a name/);
  assert.equal(model.messageLimit('ItemsPerMessage', 'GetVariables'), 100);
  assert.is(model.setValueLimit(), 1000);
  assert.is(model.reportValueLimit(), 2500);
});

test('the station sets ReadOnly values (format checked, limits not); it cannot set constant or live ones', () => {
  const { model, store } = makeModel({
    components: [{ name: 'ChargingStation', variables: [{ name: 'Model', value: 'X1', constant: true }] }],
  });
  model.set({ name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState', 'Occupied');
  assert.is(model.get({ name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState'), 'Occupied');
  model.set({ name: 'EVSE', evse: { id: 1 } }, 'Power', 23000.5); // above maxLimit: a measured Actual is reported as is
  assert.is(model.getDecimal({ name: 'EVSE', evse: { id: 1 } }, 'Power'), 23000.5);
  model.set('SecurityCtrlr', 'CertificateEntries', 3);
  model.set('TxCtrlr', 'TxStartPoint', ['EVConnected', 'Authorized']);
  assert.is(model.get('TxCtrlr', 'TxStartPoint'), 'EVConnected,Authorized');
  const fails: [() => void, RegExp][] = [
    [
      () => model.set({ name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState', 'Busy'),
      /EVSE\(1\)\.AvailabilityState: "Busy" is not one of the valuesList/,
    ],
    [() => model.set('OCPPCommCtrlr', 'HeartbeatInterval', 1.5), /"1\.5" is not an integer/],
    [() => model.set('ChargingStation', 'Model', 'X2'), /ChargingStation\.Model \(Actual\) is constant/],
    [() => model.set('ClockCtrlr', 'DateTime', NOW.toISOString()), /bound to a provider/],
    [() => model.set('Nope', 'Thing', 1), /the device model has no component Nope/],
    [() => model.set('OCPPCommCtrlr', 'Thing', 1), /OCPPCommCtrlr\.Thing: the component has no such variable/],
    [() => model.set('OCPPCommCtrlr', 'HeartbeatInterval', 5, 'Target'), /has no Target attribute/],
    [() => model.set('OCPPCommCtrlr', 'HeartbeatInterval', { n: 1 } as never), /value must be a string/],
  ];
  for (const [fn, message] of fails)
    assert.throws(fn, (e: unknown) => e instanceof DeviceModelError && message.test(e.message));
  assert.ok(
    store.list('deviceModel.value').some((e) => e.key.includes('heartbeatinterval')) === false,
    'nothing stored by the failures',
  );
});

test('bind: a live value is read at every access; a throwing provider reports to onError and reads as unset', () => {
  const errors: string[] = [];
  const { model } = makeModel({ onError: (error, context) => errors.push(`${context}: ${(error as Error).message}`) });
  let watts = 1000;
  model.bind({ name: 'EVSE', evse: { id: 1 } }, 'Power', () => watts);
  assert.is(model.getDecimal({ name: 'EVSE', evse: { id: 1 } }, 'Power'), 1000);
  watts = 7200;
  const [r] = ok(
    model.getVariables({ getVariableData: [item({ name: 'EVSE', evse: { id: 1 } }, 'Power')] }),
  ).getVariableResult;
  assert.is(r!.attributeValue, '7200');
  model.bind({ name: 'EVSE', evse: { id: 1 } }, 'Power', () => {
    throw new Error('meter offline');
  });
  assert.is(model.get({ name: 'EVSE', evse: { id: 1 } }, 'Power'), undefined);
  assert.equal(errors, ['provider of EVSE(1).Power threw: meter offline']);
  model.bind({ name: 'EVSE', evse: { id: 1 } }, 'Power', undefined);
  assert.is(model.get({ name: 'EVSE', evse: { id: 1 } }, 'Power'), '0', 'unbound: the stored value again');
});

test('change notification: station writes are heard with source station; a throwing listener does not stop the others', () => {
  const errors: string[] = [];
  const { model } = makeModel({ onError: (_e, context) => errors.push(context) });
  const heard: VariableChange[] = [];
  model.onChange(() => {
    throw new Error('listener bug');
  });
  const stop = model.onChange((c) => heard.push(c));
  model.set('OCPPCommCtrlr', 'HeartbeatInterval', 60); // e.g. the interval from BootNotificationResponse
  model.set('OCPPCommCtrlr', 'HeartbeatInterval', 60); // unchanged: silent
  model.set({ name: 'Connector', evse: { id: 2, connectorId: 1 } }, 'AvailabilityState', 'Faulted');
  assert.equal(heard, [
    {
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'HeartbeatInterval' },
      attribute: 'Actual',
      value: '60',
      previous: '300',
      source: 'station',
    },
    {
      component: { name: 'Connector', evse: { id: 2, connectorId: 1 } },
      variable: { name: 'AvailabilityState' },
      attribute: 'Actual',
      value: 'Faulted',
      previous: 'Available',
      source: 'station',
    },
  ]);
  assert.equal(errors, [
    'change listener for OCPPCommCtrlr.HeartbeatInterval threw',
    'change listener for Connector(2,1).AvailabilityState threw',
  ]);
  stop();
  model.set('OCPPCommCtrlr', 'HeartbeatInterval', 30);
  assert.is(heard.length, 2);
  assert.throws(() => model.onChange('x' as never), /listener must be a function/);
});

test('watch: only the watched variable, matched case-insensitively, for CSMS and station changes alike', () => {
  const { model } = makeModel();
  const seen: string[] = [];
  model.watch('ocppcommctrlr', 'NetworkConfigurationPriority', (c) => seen.push(`${c.source}:${c.value}`));
  model.set('OCPPCommCtrlr', 'HeartbeatInterval', 10);
  ok(
    model.setVariables({
      setVariableData: [item('OCPPCommCtrlr', 'NetworkConfigurationPriority', { attributeValue: '2,1' })],
    }),
  );
  model.set('OCPPCommCtrlr', 'NetworkConfigurationPriority', '1');
  assert.equal(seen, ['csms:2,1', 'station:1']);
});

test.run();
