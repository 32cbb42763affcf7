// The options of blocks O, I and P: a bad one is a StationOptionsError naming the field, before anything starts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkOptions, StationOptionsError, type ChargingStationOptions } from '../../runtime/station/options.js';

const base: ChargingStationOptions = {
  identity: 'CS-1',
  csms: { url: 'ws://127.0.0.1:1' },
  info: { model: 'M', vendorName: 'V' },
  evses: [{ id: 1, maxPower: 11000, connectors: [{ id: 1, type: 'cType2' }] }],
  supplyPhases: 3,
  store: { path: ':memory:' },
};

function fieldOf(extra: object): string | undefined {
  try {
    checkOptions({ ...base, ...extra } as ChargingStationOptions);
    return undefined;
  } catch (e) {
    assert.instance(e, StationOptionsError);
    return (e as StationOptionsError).field;
  }
}

test('display: maxMessages, formats, priorities, states, languages and currency are checked', () => {
  assert.is(fieldOf({ display: { maxMessages: 0 } }), 'display.maxMessages');
  assert.is(fieldOf({ display: { formats: ['PDF'] } }), 'display.formats');
  assert.is(fieldOf({ display: { priorities: [] } }), 'display.priorities');
  assert.is(fieldOf({ display: { states: ['Sleeping'] } }), 'display.states');
  assert.is(fieldOf({ display: { languages: ['not a tag'] } }), 'display.languages');
  assert.is(fieldOf({ display: { currency: 'euro' } }), 'display.currency');
  assert.is(
    fieldOf({ display: { formats: ['UTF8', 'QRCODE'], languages: ['en', 'nl-BE'], currency: 'EUR' } }),
    undefined,
  );
});

test('dataTransfer: every handler must be a function or { accepts, answer }', () => {
  assert.is(
    fieldOf({ dataTransfer: { 'com.acme': { messages: { Ping: 42 } } } }),
    'dataTransfer["com.acme"].messages["Ping"]',
  );
  assert.is(fieldOf({ dataTransfer: { 'com.acme': { any: 'yes' } } }), 'dataTransfer["com.acme"].any');
  assert.is(fieldOf({ dataTransfer: { '': {} } }), 'dataTransfer[""]');
  assert.is(
    fieldOf({ dataTransfer: { 'com.acme': { messages: { Ping: () => ({ status: 'Accepted' }) } } } }),
    undefined,
  );
});

test('tariffs: maxElements, conditions, currency and time zone are checked', () => {
  assert.is(fieldOf({ tariffs: { maxElements: 1.5 } }), 'tariffs.maxElements');
  assert.is(fieldOf({ tariffs: { conditions: 'no' } }), 'tariffs.conditions');
  assert.is(fieldOf({ tariffs: { currency: 'eu' } }), 'tariffs.currency');
  assert.is(fieldOf({ tariffs: { timeZone: 'Mars/Olympus' } }), 'tariffs.timeZone');
  assert.is(fieldOf({ tariffs: { timeZone: 'Europe/Amsterdam', maxElements: 5 } }), undefined);
});

test.run();
