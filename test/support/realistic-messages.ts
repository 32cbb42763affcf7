// Hand-written messages as real stations and CSMSs send them (values from a 22 kW AC charger session), typed
// against the generated action maps so that they also serve as type tests. Used by the validation tests and the
// throughput benchmark.
import type { Actions as Actions16 } from '../../generated/v16/index.js';
import type { Actions as Actions201 } from '../../generated/v201/index.js';
import type { Actions as Actions21 } from '../../generated/v21/index.js';
import type { MeterValueType, ReportDataType, SampledValueType } from '../../generated/v201/index.js';

/** One message: which action, request or response, and the payload — checked against the action's type. */
export type Message<A> = {
  [K in keyof A & string]:
    | { name: string; action: K; kind: 'request'; payload: A[K] extends { request: infer R } ? R : never }
    | { name: string; action: K; kind: 'response'; payload: A[K] extends { response: infer R } ? R : never };
}[keyof A & string];

const T0 = Date.UTC(2025, 2, 14, 17, 30, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

// ---- OCPP 2.0.1 ----

/** An energy register, power, current and voltage on three phases, and the EV's state of charge. */
function sampledValues201(energyWh: number): SampledValueType[] {
  const phases = ['L1', 'L2', 'L3'] as const;
  return [
    {
      value: energyWh,
      measurand: 'Energy.Active.Import.Register',
      context: 'Sample.Periodic',
      location: 'Outlet',
      unitOfMeasure: { unit: 'Wh' },
    },
    { value: 21987.4, measurand: 'Power.Active.Import', context: 'Sample.Periodic', unitOfMeasure: { unit: 'W' } },
    ...phases.map((phase, i): SampledValueType => ({
      value: 31.8 + i * 0.1,
      measurand: 'Current.Import',
      phase,
      unitOfMeasure: { unit: 'A' },
    })),
    ...phases.map((phase, i): SampledValueType => ({
      value: 229.6 + i * 0.7,
      measurand: 'Voltage',
      phase: `${phase}-N`,
      unitOfMeasure: { unit: 'V' },
    })),
    { value: 67, measurand: 'SoC', location: 'EV', unitOfMeasure: { unit: 'Percent' } },
  ];
}

function meterValue201(seconds: number, energyWh: number): MeterValueType {
  return { timestamp: at(seconds), sampledValue: sampledValues201(energyWh) };
}

const components = [
  ['OCPPCommCtrlr', 'HeartbeatInterval', 'integer', '300'],
  ['OCPPCommCtrlr', 'MessageTimeout', 'integer', '30'],
  ['TxCtrlr', 'EVConnectionTimeOut', 'integer', '120'],
  ['TxCtrlr', 'TxStartPoint', 'MemberList', 'PowerPathClosed'],
  ['SampledDataCtrlr', 'TxUpdatedInterval', 'integer', '60'],
  ['SampledDataCtrlr', 'TxUpdatedMeasurands', 'MemberList', 'Energy.Active.Import.Register,Power.Active.Import'],
  ['AuthCtrlr', 'AuthorizeRemoteStart', 'boolean', 'true'],
  ['AuthCtrlr', 'LocalAuthorizeOffline', 'boolean', 'true'],
  ['SecurityCtrlr', 'SecurityProfile', 'integer', '2'],
  ['DeviceDataCtrlr', 'ItemsPerMessage', 'integer', '50'],
] as const;

/** `n` report entries as a station sends them for GetBaseReport(FullInventory). */
export function reportData201(n: number): ReportDataType[] {
  return Array.from({ length: n }, (_, i) => {
    const [component, variable, dataType, value] = components[i % components.length]!;
    const evse = i % 3 === 0 ? undefined : { id: (i % 2) + 1 };
    return {
      component: { name: component, ...(evse ? { evse } : {}) },
      variable: { name: variable, ...(i >= components.length ? { instance: `inst${i}` } : {}) },
      variableAttribute: [{ type: 'Actual', value, mutability: 'ReadWrite', persistent: true, constant: false }],
      variableCharacteristics: {
        dataType,
        supportsMonitoring: i % 2 === 0,
        ...(dataType === 'MemberList' ? { valuesList: value } : {}),
      },
    };
  });
}

export const messages201 = [
  {
    name: 'BootNotification after power-up',
    action: 'BootNotification',
    kind: 'request',
    payload: {
      reason: 'PowerUp',
      chargingStation: {
        model: 'AC22-Wallbox',
        vendorName: 'ocppkit',
        serialNumber: 'WB-2025-000123',
        firmwareVersion: '1.4.2',
        modem: { iccid: '8931440000000000012', imsi: '262019876543210' },
      },
    },
  },
  {
    name: 'BootNotification accepted',
    action: 'BootNotification',
    kind: 'response',
    payload: { currentTime: at(0), interval: 300, status: 'Accepted' },
  },
  { name: 'Heartbeat', action: 'Heartbeat', kind: 'request', payload: {} },
  { name: 'Heartbeat answer', action: 'Heartbeat', kind: 'response', payload: { currentTime: at(300) } },
  {
    name: 'StatusNotification: connector occupied',
    action: 'StatusNotification',
    kind: 'request',
    payload: { timestamp: at(10), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 },
  },
  { name: 'StatusNotification answer', action: 'StatusNotification', kind: 'response', payload: {} },
  {
    name: 'TransactionEvent Updated with meter values',
    action: 'TransactionEvent',
    kind: 'request',
    payload: {
      eventType: 'Updated',
      timestamp: at(900),
      triggerReason: 'MeterValuePeriodic',
      seqNo: 4,
      transactionInfo: {
        transactionId: '5c2a1e0e-5d0c-4b8f-9a56-0f1c3e2b7d11',
        chargingState: 'Charging',
        timeSpentCharging: 840,
      },
      evse: { id: 1, connectorId: 1 },
      meterValue: [meterValue201(840, 5132.5), meterValue201(900, 5498.1)],
    },
  },
  {
    name: 'TransactionEvent answer with cost',
    action: 'TransactionEvent',
    kind: 'response',
    payload: { totalCost: 1.87, idTokenInfo: { status: 'Accepted', cacheExpiryDateTime: at(86400) } },
  },
  {
    name: 'MeterValues outside a transaction',
    action: 'MeterValues',
    kind: 'request',
    payload: { evseId: 1, meterValue: [meterValue201(1200, 5501.0)] },
  },
  {
    name: 'NotifyReport with 50 variables',
    action: 'NotifyReport',
    kind: 'request',
    payload: { requestId: 7, generatedAt: at(60), seqNo: 0, tbc: true, reportData: reportData201(50) },
  },
  {
    name: 'GetVariables for 20 variables',
    action: 'GetVariables',
    kind: 'request',
    payload: {
      getVariableData: Array.from({ length: 20 }, (_, i) => ({
        component: {
          name: components[i % components.length]![0],
          ...(i % 4 === 0 ? { evse: { id: 1, connectorId: 1 } } : {}),
        },
        variable: { name: components[i % components.length]![1] },
        ...(i % 5 === 0 ? { attributeType: 'Target' as const } : {}),
      })),
    },
  },
  {
    name: 'GetVariables answer',
    action: 'GetVariables',
    kind: 'response',
    payload: {
      getVariableResult: components.map(([component, variable, , value]) => ({
        attributeStatus: 'Accepted' as const,
        attributeValue: value,
        component: { name: component },
        variable: { name: variable },
      })),
    },
  },
  {
    name: 'SetChargingProfile: daily profile with 24 hourly periods',
    action: 'SetChargingProfile',
    kind: 'request',
    payload: {
      evseId: 1,
      chargingProfile: {
        id: 12,
        stackLevel: 1,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Recurring',
        recurrencyKind: 'Daily',
        validFrom: at(0),
        chargingSchedule: [
          {
            id: 1,
            startSchedule: '2025-03-14T00:00:00Z',
            duration: 86400,
            chargingRateUnit: 'A',
            minChargingRate: 6,
            chargingSchedulePeriod: Array.from({ length: 24 }, (_, h) => ({
              startPeriod: h * 3600,
              limit: h >= 17 && h < 21 ? 8.1 : 32,
              numberPhases: 3,
            })),
          },
        ],
      },
    },
  },
  {
    name: 'SetChargingProfile accepted',
    action: 'SetChargingProfile',
    kind: 'response',
    payload: { status: 'Accepted' },
  },
] satisfies Array<Message<Actions201>>;

/** The 2.0.1 throughput mix of bench/validation.bench.ts: the eight requests a busy CSMS validates most. */
export const benchMix201 = messages201.filter(
  (m) =>
    m.kind === 'request' &&
    [
      'TransactionEvent',
      'Heartbeat',
      'MeterValues',
      'StatusNotification',
      'NotifyReport',
      'GetVariables',
      'SetChargingProfile',
      'BootNotification',
    ].includes(m.action),
);

// ---- OCPP 1.6 ----

const sampledValues16 = (wh: number) => [
  {
    value: String(wh),
    context: 'Sample.Periodic' as const,
    measurand: 'Energy.Active.Import.Register' as const,
    location: 'Outlet' as const,
    unit: 'Wh' as const,
  },
  { value: '21987.4', measurand: 'Power.Active.Import' as const, unit: 'W' as const },
  { value: '31.8', measurand: 'Current.Import' as const, phase: 'L1' as const, unit: 'A' as const },
  { value: '229.6', measurand: 'Voltage' as const, phase: 'L1-N' as const, unit: 'V' as const },
  { value: '34.5', measurand: 'Temperature' as const, location: 'Body' as const, unit: 'Celsius' as const },
];

export const messages16 = [
  {
    name: 'BootNotification',
    action: 'BootNotification',
    kind: 'request',
    payload: {
      chargePointVendor: 'ocppkit',
      chargePointModel: 'AC22-Wallbox',
      chargePointSerialNumber: 'WB-2025-000123',
      firmwareVersion: '1.4.2',
      meterType: 'DZG DVH4013',
    },
  },
  {
    name: 'BootNotification accepted',
    action: 'BootNotification',
    kind: 'response',
    payload: { status: 'Accepted', currentTime: at(0), interval: 300 },
  },
  { name: 'Heartbeat', action: 'Heartbeat', kind: 'request', payload: {} },
  { name: 'Heartbeat answer', action: 'Heartbeat', kind: 'response', payload: { currentTime: at(300) } },
  {
    name: 'StatusNotification: charging',
    action: 'StatusNotification',
    kind: 'request',
    payload: { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: at(20) },
  },
  {
    name: 'StartTransaction',
    action: 'StartTransaction',
    kind: 'request',
    payload: { connectorId: 1, idTag: '04A2B3C4D5E6F7', meterStart: 5000, timestamp: at(15) },
  },
  {
    name: 'StartTransaction accepted',
    action: 'StartTransaction',
    kind: 'response',
    payload: { transactionId: 4711, idTagInfo: { status: 'Accepted', expiryDate: at(86400) } },
  },
  {
    name: 'MeterValues during a transaction',
    action: 'MeterValues',
    kind: 'request',
    payload: {
      connectorId: 1,
      transactionId: 4711,
      meterValue: [{ timestamp: at(900), sampledValue: sampledValues16(5498) }],
    },
  },
  {
    name: 'StopTransaction with transaction data',
    action: 'StopTransaction',
    kind: 'request',
    payload: {
      transactionId: 4711,
      idTag: '04A2B3C4D5E6F7',
      meterStop: 12450,
      timestamp: at(3600),
      reason: 'EVDisconnected',
      transactionData: [
        { timestamp: at(15), sampledValue: [{ value: '5000', context: 'Transaction.Begin', unit: 'Wh' }] },
        { timestamp: at(3600), sampledValue: [{ value: '12450', context: 'Transaction.End', unit: 'Wh' }] },
      ],
    },
  },
  {
    name: 'StopTransaction answer',
    action: 'StopTransaction',
    kind: 'response',
    payload: { idTagInfo: { status: 'Accepted' } },
  },
  {
    name: 'SetChargingProfile with an 8.1 A limit',
    action: 'SetChargingProfile',
    kind: 'request',
    payload: {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 3,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: {
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 16, numberPhases: 3 },
            { startPeriod: 1800, limit: 8.1, numberPhases: 3 },
          ],
        },
      },
    },
  },
  {
    name: 'SetChargingProfile accepted',
    action: 'SetChargingProfile',
    kind: 'response',
    payload: { status: 'Accepted' },
  },
] satisfies Array<Message<Actions16>>;

// ---- OCPP 2.1 ----

export const messages21 = [
  {
    name: 'BootNotification',
    action: 'BootNotification',
    kind: 'request',
    payload: {
      reason: 'PowerUp',
      chargingStation: { model: 'AC22-Wallbox', vendorName: 'ocppkit', firmwareVersion: '2.0.0' },
    },
  },
  {
    name: 'BootNotification accepted',
    action: 'BootNotification',
    kind: 'response',
    payload: { currentTime: at(0), interval: 300, status: 'Accepted' },
  },
  {
    name: 'TransactionEvent Started',
    action: 'TransactionEvent',
    kind: 'request',
    payload: {
      eventType: 'Started',
      timestamp: at(15),
      triggerReason: 'Authorized',
      seqNo: 0,
      transactionInfo: { transactionId: '9b7f0d1e-3c1a-4a59-8a83-2d4e5f607182', chargingState: 'EVConnected' },
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: '04A2B3C4D5E6F7', type: 'ISO14443' },
    },
  },
  {
    name: 'NotifyPeriodicEventStream (SEND)',
    action: 'NotifyPeriodicEventStream',
    kind: 'request',
    payload: {
      id: 1,
      pending: 0,
      basetime: at(60),
      data: [
        { t: 0, v: '21987.4' },
        { t: 1.5, v: '21990.0' },
      ],
    },
  },
] satisfies Array<Message<Actions21>>;
