// The integrator's configuration: the start-up check for variables the specification requires, and clear errors
// naming the offending field for every kind of bad input — collected, not just the first.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  checkDeviceModelConfig,
  DeviceModel,
  DeviceModelConfigError,
  type DeviceModelOptions,
  type StationLayout,
} from '../../../runtime/station/device-model/index.js';
import { openSqliteStore } from '../../../runtime/store/index.js';
import { LAYOUT, SECURITY, VERSIONS, withSecurity } from './fixture.js';

/** The problems as `field: message` lines. */
function problems(options: Partial<Omit<DeviceModelOptions, 'store'>>): string[] {
  return checkDeviceModelConfig({ version: 'ocpp2.0.1', layout: LAYOUT, ...options }).map(
    (p) => `${p.field}: ${p.message}`,
  );
}

function thrown(options: Partial<DeviceModelOptions>): DeviceModelConfigError {
  try {
    new DeviceModel({ version: 'ocpp2.0.1', layout: LAYOUT, store: openSqliteStore(':memory:'), ...options });
  } catch (e) {
    if (e instanceof DeviceModelConfigError) return e;
    throw e;
  }
  throw new Error('no DeviceModelConfigError');
}

test('the minimal configuration — layout plus the two security values — is complete in both versions', () => {
  for (const version of VERSIONS) assert.equal(problems({ version, config: withSecurity() }), [], version);
});

test('B07.FR.08 start-up check: the constructor names every required variable without a value, all at once', () => {
  const layout: StationLayout = { evses: [{ id: 1, connectors: [{ id: 1 }, { id: 2, type: 'sType2' }] }] };
  const e = thrown({ layout });
  const lines = e.problems.map((p) => `${p.field}: ${p.message}`);
  assert.equal(lines, [
    'layout.supplyPhases: ChargingStation.SupplyPhases is required by the specification and has no value; set layout.supplyPhases',
    "config.components: SecurityCtrlr.OrganizationName is required by the specification and has no value; add { name: 'OrganizationName', value: … } to the variables of SecurityCtrlr in config.components",
    "config.components: SecurityCtrlr.SecurityProfile is required by the specification and has no value; add { name: 'SecurityProfile', value: … } to the variables of SecurityCtrlr in config.components",
    "layout.evses[0].maxPower: EVSE(1).Power is required with its maxLimit (the EVSE's maximum power in W); set layout.evses[0].maxPower",
    'layout.evses[0].supplyPhases: EVSE(1).SupplyPhases is required by the specification and has no value; set layout.evses[0].supplyPhases',
    'layout.evses[0].connectors[0].type: Connector(1,1).ConnectorType is required by the specification and has no value; set layout.evses[0].connectors[0].type',
    'layout.evses[0].connectors[0].supplyPhases: Connector(1,1).SupplyPhases is required by the specification and has no value; set layout.evses[0].connectors[0].supplyPhases',
    'layout.evses[0].connectors[1].supplyPhases: Connector(1,2).SupplyPhases is required by the specification and has no value; set layout.evses[0].connectors[1].supplyPhases',
  ]);
  assert.match(
    e.message,
    /device model configuration has 8 problems:\n {2}- layout\.supplyPhases: ChargingStation\.SupplyPhases/,
  );
});

test('start-up check: an optional controller that is added brings its required variables; ocppkit defaults count', () => {
  const lines = problems({
    config: withSecurity({
      components: [
        { name: 'DisplayMessageCtrlr', variables: [{ name: 'Enabled', value: true, mutability: 'ReadWrite' }] },
      ],
    }),
  });
  assert.equal(
    lines.map((l) => l.replace(/ is required.*/, '')),
    [
      'config.components: DisplayMessageCtrlr.DisplayMessages',
      'config.components: DisplayMessageCtrlr.SupportedFormats',
      'config.components: DisplayMessageCtrlr.SupportedPriorities',
    ],
  );
  // Removing a required ocppkit default is caught too.
  const removed = problems({
    config: withSecurity({ components: [{ name: 'TxCtrlr', variables: [{ name: 'TxStartPoint', remove: true }] }] }),
  });
  assert.equal(removed, [
    "config.components: TxCtrlr.TxStartPoint is required by the specification when TxCtrlr is present, and is missing; add { name: 'TxStartPoint', value: … } to the variables of TxCtrlr in config.components",
  ]);
  // …while removing a whole optional controller is fine.
  assert.equal(problems({ config: withSecurity({ components: [{ name: 'AlignedDataCtrlr', remove: true }] }) }), []);
});

test('start-up check: a controller on an EVSE tier adds to the station-level one and is not checked on its own', () => {
  const seccIds = LAYOUT.evses.map((e) => ({
    name: 'ISO15118Ctrlr',
    evse: { id: e.id },
    variables: [{ name: 'SeccId', value: `DE*ACM*E${e.id}`, mutability: 'ReadWrite' as const }],
  }));
  assert.equal(problems({ config: withSecurity({ components: seccIds }) }), []);
  // The station-level ISO15118Ctrlr is checked.
  assert.equal(
    problems({
      config: withSecurity({
        components: [...seccIds, { name: 'ISO15118Ctrlr', variables: [{ name: 'PnCEnabled', value: true }] }],
      }),
    }).map((l) => l.replace(/ is required.*/, '')),
    ['config.components: ISO15118Ctrlr.ContractValidationOffline'],
  );
});

test('layout errors name the field', () => {
  const layout = {
    supplyPhases: 4,
    evses: [
      {
        id: 1,
        maxPower: -1,
        connectors: [
          { id: 1, type: 'cType2' },
          { id: 1, type: '' },
        ],
      },
      { id: 1, maxPower: 1000, connectors: 'none' },
      { id: 0, connectors: [{ id: 2.5 }] },
    ],
  } as unknown as StationLayout;
  assert.equal(problems({ layout, config: withSecurity() }), [
    'layout.supplyPhases: must be 0 (DC), 1, 2 or 3',
    'layout.evses[0].maxPower: must be a number of watts ≥ 0',
    'layout.evses[0].connectors[1].id: connector 1 appears twice on EVSE 1',
    'layout.evses[0].connectors[1].type: must be a ConnectorEnumType value such as "cType2"',
    'layout.evses[1].id: EVSE 1 appears twice',
    'layout.evses[1].connectors: must be an array of { id, type }',
    'layout.evses[2].id: must be an integer ≥ 1',
    'layout.evses[2].connectors[0].id: must be an integer ≥ 1',
  ]);
  assert.equal(problems({ layout: null as unknown as StationLayout }), [
    'layout: must be an object { supplyPhases, evses: [...] }',
  ]);
});

test('configuration errors name the field: shape, unknown fields, types, values, limits', () => {
  const lines = problems({
    config: {
      components: [
        SECURITY,
        {
          name: 'OCPPCommCtrlr',
          variables: [
            { name: 'HeartbeatInterval', value: 0 },
            { name: 'OfflineThreshold', value: 'soon' },
            { name: 'QueueAllMessages', mutabilty: 'ReadWrite' } as never,
            { name: 'ResetRetries', value: { n: 3 } } as never,
            { name: 'WebSocketPingInterval', mutability: 'Sometimes' } as never,
            { name: 'HeartbeatInterval', value: 30 },
          ],
        },
        {
          name: 'Gadget',
          variables: [
            { name: 'Level', value: 3 },
            { name: 'Mode', dataType: 'OptionList', value: 'on' },
            { name: 'Name', dataType: 'text' } as never,
          ],
        },
        {
          name: 'Fan',
          variables: [
            { name: 'FanSpeed', minLimit: 10, maxLimit: 5, value: 1, target: 'yes' } as never,
            { name: 'x'.repeat(51), dataType: 'string' },
          ],
        },
        {
          name: 'ChargingStation',
          variables: [{ name: 'Model', value: 'X', mutability: 'ReadWrite', constant: true }],
        },
        { name: 'OCPPCommCtrlr', variables: [] },
        { name: 'EVSE', evse: { id: 3 } },
        { name: 'Connector', evse: { id: 1 } },
        { name: 'TokenReader', evse: { id: 1, connectorId: 0 } },
        { name: 'ClockCtrlr', remove: true },
        { name: 'DisplayMessageCtrlr', remove: true },
        { name: 'EVSE', evse: { id: 1 }, remove: true },
        { name: 'TxCtrlr', variables: [{ name: 'NoSuchThing', remove: true }] },
        { name: '' },
        'AuthCtrlr' as never,
        {
          name: 'Display',
          variables: [{ name: 'Message', dataType: 'string', maxLimit: 2.5, maxElements: 2, valuesList: ['a', 'a'] }],
        },
        {
          name: 'Meter',
          variables: [
            { name: 'Phases', dataType: 'MemberList', valuesList: 'L1,L2,L3', value: 'L1,L4' },
            { name: 'Unit', dataType: 'string', unit: 'kilowatt-hours-each' },
          ],
        },
      ],
      colour: 'blue',
    } as never,
  });
  assert.equal(
    [...lines].sort(),
    [
      'config.colour: unknown field (allowed: components, summaryInventory)',
      'config.components[1].variables[2].mutabilty: unknown field (allowed: name, instance, remove, dataType, unit, minLimit, maxLimit, valuesList, maxElements, supportsMonitoring, rebootRequired, target, minSet, maxSet, value, mutability, persistent, constant)',
      'config.components[1].variables[3].value: must be a string, a finite number, a boolean or a list of strings',
      'config.components[1].variables[4].mutability: must be ReadOnly, WriteOnly or ReadWrite',
      'config.components[1].variables[5]: variable HeartbeatInterval appears twice in this component',
      'config.components[2].variables[2].dataType: must be one of string, decimal, integer, dateTime, boolean, OptionList, SequenceList, MemberList, passwordString, identifierString',
      'config.components[3].variables[0].target: must be true, false or { value, mutability, persistent, constant }',
      'config.components[3].variables[1].name: variable name has 51 characters; OCPP allows at most 50',
      'config.components[5]: component OCPPCommCtrlr appears twice; put all its variables in one entry',
      'config.components[6].evse: EVSE 3 is not in the layout',
      'config.components[7].evse: a Connector component needs evse: { id, connectorId }',
      'config.components[8].evse: must be { id, connectorId? } with integers ≥ 1',
      'config.components[9].remove: ClockCtrlr is required of every station (Part 1 §4.6); remove single variables instead',
      'config.components[10].remove: there is no default component DisplayMessageCtrlr to remove',
      'config.components[11].remove: EVSE(1) comes from the layout; change the layout instead',
      'config.components[12].variables[0].remove: TxCtrlr has no variable NoSuchThing to remove',
      'config.components[13].name: component name must be a non-empty string',
      'config.components[14]: must be an object { name, instance?, evse?, variables: [...] }',
      'config.components[16].variables[1].unit: must be a string of 1–16 characters',
      'config.components[15].variables[0].valuesList: member "a" appears twice',
      'config.components[1].variables[0].value: OCPPCommCtrlr.HeartbeatInterval: 0 is below minLimit 1',
      'config.components[1].variables[1].value: OCPPCommCtrlr.OfflineThreshold: "soon" is not an integer',
      'config.components[2].variables[0].dataType: Level is not a standardized variable of Gadget; set its dataType',
      'config.components[2].variables[1].valuesList: a OptionList needs its valuesList (VariableCharacteristicsType: mandatory for OptionList, MemberList, SequenceList)',
      'config.components[2].variables[1].value: Gadget.Mode: "on" is not one of the valuesList ()',
      'config.components[3].variables[0].minLimit: minLimit 10 is above maxLimit 5',
      'config.components[3].variables[0].value: Fan.FanSpeed: 1 is below minLimit 10',
      'config.components[4].variables[0].constant: a constant attribute must be ReadOnly (ChargingStation.Model is ReadWrite)',
      'config.components[15].variables[0].maxLimit: for string maxLimit is a maximum length: an integer ≥ 0',
      'config.components[15].variables[0].maxElements: applies to MemberList and SequenceList only',
      'config.components[16].variables[0].value: Meter.Phases: "L4" is not one of the valuesList (L1,L2,L3)',
    ].sort(),
  );
  for (const l of lines) assert.ok(/^(config|layout)\b/.test(l), l);
});

test('standardized names are matched case-insensitively and reported in the catalogue spelling; the catalogue gives data types', () => {
  const store = openSqliteStore(':memory:');
  const model = new DeviceModel({
    version: 'ocpp2.0.1',
    layout: LAYOUT,
    store,
    config: withSecurity({
      components: [
        {
          name: 'authcachectrlr',
          variables: [
            { name: 'lifetime', value: 60, mutability: 'ReadWrite' },
            { name: 'enabled', value: 'TRUE' },
          ],
        },
      ],
    }),
  });
  // (AuthCacheCtrlr is one of ocppkit's defaults: only the two configured here are looked at.)
  const data = model
    .getBaseReport({ requestId: 1, reportBase: 'FullInventory' })
    .reports.flatMap((p) => p.reportData ?? [])
    .filter((d) => d.component.name === 'AuthCacheCtrlr' && ['Enabled', 'LifeTime'].includes(d.variable.name));
  assert.equal(
    data.map((d) => [d.variable.name, d.variableCharacteristics?.dataType, d.variableAttribute[0]!.value]),
    [
      ['Enabled', 'boolean', 'true'],
      ['LifeTime', 'integer', '60'],
    ],
  );
});

test('valuesList longer than ConfigurationValueSize/ValueSize is a configuration error', () => {
  const members = Array.from({ length: 30 }, (_, i) => `Measurand.Number${i}`);
  assert.equal(
    problems({
      config: withSecurity({
        components: [
          { name: 'SampledDataCtrlr', variables: [{ name: 'TxUpdatedMeasurands', valuesList: members, value: [] }] },
        ],
      }),
    }),
    [],
    '559 characters fit 1000',
  );
  const tight = problems({
    config: withSecurity({
      components: [
        { name: 'DeviceDataCtrlr', variables: [{ name: 'ValueSize', value: 500 }] },
        { name: 'SampledDataCtrlr', variables: [{ name: 'TxUpdatedMeasurands', valuesList: members, value: [] }] },
      ],
    }),
  });
  assert.equal(tight, [
    'valuesList of SampledDataCtrlr.TxUpdatedMeasurands: 559 characters; ConfigurationValueSize/ValueSize allow 500',
  ]);
});

test('a bad version or store is refused before anything else', () => {
  assert.equal(
    thrown({ version: 'ocpp1.6' as never }).problems.map((p) => p.field),
    ['version'],
  );
  assert.equal(problems({ version: 'ocpp1.6' as never }), [
    "version: must be 'ocpp2.0.1' or 'ocpp2.1', got \"ocpp1.6\"",
  ]);
  assert.equal(
    thrown({ store: {} as never, config: withSecurity() }).problems.map((p) => p.field),
    ['store'],
  );
});

test.run();
