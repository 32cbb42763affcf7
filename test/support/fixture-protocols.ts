// TEST FIXTURE — not an OCPP version. Three small hand-made Protocol objects ("ocpp1.6", "ocpp2.0.1",
// "ocpp2.1") with a few actions each, shaped like the generated layer's `protocol` export (runtime/protocol.ts),
// so that the RPC layer can be built and tested before generated/ exists. The schemas are simplified
// hand-written subsets (field names as in the OCA schemas), compiled with ajv when this module loads.
// Delete once the tests run against generated/v16, generated/v201 and generated/v21.
import { Ajv, type AnySchema } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ActionDescriptor, CallErrorCode16, CallErrorCode2x, Direction, Protocol, Validator } from '../../runtime/protocol.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: false }));

type S = Record<string, unknown>;
const str = (maxLength?: number): S => (maxLength ? { type: 'string', maxLength } : { type: 'string' });
const int = (): S => ({ type: 'integer' });
const en = (...values: string[]): S => ({ type: 'string', enum: values });
const dateTime = (): S => ({ type: 'string', format: 'date-time' });
const arr = (items: S, minItems?: number): S => (minItems ? { type: 'array', items, minItems } : { type: 'array', items });
const obj = (properties: Record<string, S>, required: string[] = []): S => ({ type: 'object', additionalProperties: false, properties, required });

function action(direction: Direction, request: S, response: S | null, send?: true): ActionDescriptor {
  const compile = (schema: S) => ajv.compile(schema as AnySchema) as unknown as Validator;
  return send ? { direction, send, request: compile(request), response: null } : { direction, request: compile(request), response: compile(response!) };
}

// ——— 1.6 ———

export interface BootNotificationRequest16 {
  chargePointVendor: string;
  chargePointModel: string;
  chargePointSerialNumber?: string;
  firmwareVersion?: string;
}
export interface BootNotificationResponse16 {
  status: 'Accepted' | 'Pending' | 'Rejected';
  currentTime: string;
  interval: number;
}
// `type`, not `interface`: only type literals satisfy ActionMapTypes' index signature.
export type Actions16 = {
  BootNotification: { direction: 'CS->CSMS'; request: BootNotificationRequest16; response: BootNotificationResponse16 };
  Heartbeat: { direction: 'CS->CSMS'; request: Record<string, never>; response: { currentTime: string } };
  Reset: { direction: 'CSMS->CS'; request: { type: 'Hard' | 'Soft' }; response: { status: 'Accepted' | 'Rejected' } };
  ChangeConfiguration: { direction: 'CSMS->CS'; request: { key: string; value: string }; response: { status: 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported' } };
  GetConfiguration: {
    direction: 'CSMS->CS';
    request: { key?: string[] };
    response: { configurationKey?: { key: string; readonly: boolean; value?: string }[]; unknownKey?: string[] };
  };
  SetChargingProfile: { direction: 'CSMS->CS'; request: { connectorId: number; csChargingProfiles: Record<string, unknown> }; response: { status: 'Accepted' | 'Rejected' | 'NotSupported' } };
  DataTransfer: {
    direction: 'both';
    request: { vendorId: string; messageId?: string; data?: string };
    response: { status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId'; data?: string };
  };
};

const dataTransfer16 = action('both', obj({ vendorId: str(255), messageId: str(50), data: str() }, ['vendorId']), obj({ status: en('Accepted', 'Rejected', 'UnknownMessageId', 'UnknownVendorId'), data: str() }, ['status']));

export const fixture16: Protocol<'ocpp1.6', Actions16> = {
  name: 'ocpp1.6',
  actions: {
    BootNotification: action(
      'CS->CSMS',
      obj({ chargePointVendor: str(20), chargePointModel: str(20), chargePointSerialNumber: str(25), firmwareVersion: str(50) }, ['chargePointVendor', 'chargePointModel']),
      obj({ status: en('Accepted', 'Pending', 'Rejected'), currentTime: dateTime(), interval: int() }, ['status', 'currentTime', 'interval']),
    ),
    Heartbeat: action('CS->CSMS', obj({}), obj({ currentTime: dateTime() }, ['currentTime'])),
    Reset: action('CSMS->CS', obj({ type: en('Hard', 'Soft') }, ['type']), obj({ status: en('Accepted', 'Rejected') }, ['status'])),
    ChangeConfiguration: action('CSMS->CS', obj({ key: str(50), value: str(500) }, ['key', 'value']), obj({ status: en('Accepted', 'Rejected', 'RebootRequired', 'NotSupported') }, ['status'])),
    GetConfiguration: action(
      'CSMS->CS',
      obj({ key: arr(str(50)) }),
      obj({ configurationKey: arr(obj({ key: str(50), readonly: { type: 'boolean' }, value: str(500) }, ['key', 'readonly'])), unknownKey: arr(str(50)) }),
    ),
    SetChargingProfile: action('CSMS->CS', obj({ connectorId: int(), csChargingProfiles: { type: 'object' } }, ['connectorId', 'csChargingProfiles']), obj({ status: en('Accepted', 'Rejected', 'NotSupported') }, ['status'])),
    DataTransfer: dataTransfer16,
  },
  validationErrorCodes: {
    $root: 'FormationViolation',
    $default: 'FormationViolation',
    required: 'OccurenceConstraintViolation',
    type: 'TypeConstraintViolation',
    additionalProperties: 'FormationViolation',
    enum: 'PropertyConstraintViolation',
    maxLength: 'PropertyConstraintViolation',
    format: 'PropertyConstraintViolation',
  } satisfies Record<string, CallErrorCode16>,
};

// ——— 2.0.1 and 2.1 (2.1 adds a SEND message) ———

export interface BootNotificationRequest2x {
  reason: 'PowerUp' | 'RemoteReset' | 'Unknown' | 'Watchdog';
  chargingStation: { model: string; vendorName: string; serialNumber?: string; firmwareVersion?: string };
}
export interface BootNotificationResponse2x {
  currentTime: string;
  interval: number;
  status: 'Accepted' | 'Pending' | 'Rejected';
}
export interface TransactionEventRequest2x {
  eventType: 'Started' | 'Updated' | 'Ended';
  timestamp: string;
  triggerReason: 'Authorized' | 'CablePluggedIn' | 'MeterValuePeriodic' | 'StopAuthorized';
  seqNo: number;
  transactionInfo: { transactionId: string; chargingState?: 'Charging' | 'EVConnected' | 'Idle' };
  meterValue?: { timestamp: string; sampledValue: { value: number; measurand?: string }[] }[];
}
interface VariableRef {
  component: { name: string };
  variable: { name: string };
}
export type Actions201 = {
  BootNotification: { direction: 'CS->CSMS'; request: BootNotificationRequest2x; response: BootNotificationResponse2x };
  Heartbeat: { direction: 'CS->CSMS'; request: Record<string, never>; response: { currentTime: string } };
  TransactionEvent: { direction: 'CS->CSMS'; request: TransactionEventRequest2x; response: { totalCost?: number } };
  Reset: { direction: 'CSMS->CS'; request: { type: 'Immediate' | 'OnIdle'; evseId?: number }; response: { status: 'Accepted' | 'Rejected' | 'Scheduled' } };
  SetVariables: {
    direction: 'CSMS->CS';
    request: { setVariableData: (VariableRef & { attributeValue: string })[] };
    response: { setVariableResult: (VariableRef & { attributeStatus: 'Accepted' | 'Rejected' | 'UnknownComponent' | 'UnknownVariable' | 'NotSupportedAttributeType' | 'RebootRequired' })[] };
  };
  GetVariables: {
    direction: 'CSMS->CS';
    request: { getVariableData: VariableRef[] };
    response: { getVariableResult: (VariableRef & { attributeStatus: 'Accepted' | 'Rejected' | 'UnknownComponent' | 'UnknownVariable' | 'NotSupportedAttributeType'; attributeValue?: string })[] };
  };
  SetChargingProfile: { direction: 'CSMS->CS'; request: { evseId: number; chargingProfile: Record<string, unknown> }; response: { status: 'Accepted' | 'Rejected' } };
  DataTransfer: {
    direction: 'both';
    request: { vendorId: string; messageId?: string; data?: unknown };
    response: { status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId'; data?: unknown };
  };
};
export interface NotifyPeriodicEventStreamRequest {
  id: number;
  pending: number;
  basetime: string;
  data: { t: number; v: string }[];
}
export type Actions21 = Actions201 & {
  NotifyPeriodicEventStream: { direction: 'CS->CSMS'; send: true; request: NotifyPeriodicEventStreamRequest; response: never };
};

const variableRef = { component: obj({ name: str(50) }, ['name']), variable: obj({ name: str(50) }, ['name']) };
const actions2x = () => ({
  BootNotification: action(
    'CS->CSMS',
    obj(
      {
        reason: en('PowerUp', 'RemoteReset', 'Unknown', 'Watchdog'),
        chargingStation: obj({ model: str(20), vendorName: str(50), serialNumber: str(25), firmwareVersion: str(50) }, ['model', 'vendorName']),
      },
      ['reason', 'chargingStation'],
    ),
    obj({ currentTime: dateTime(), interval: int(), status: en('Accepted', 'Pending', 'Rejected') }, ['currentTime', 'interval', 'status']),
  ),
  Heartbeat: action('CS->CSMS', obj({}), obj({ currentTime: dateTime() }, ['currentTime'])),
  TransactionEvent: action(
    'CS->CSMS',
    obj(
      {
        eventType: en('Started', 'Updated', 'Ended'),
        timestamp: dateTime(),
        triggerReason: en('Authorized', 'CablePluggedIn', 'MeterValuePeriodic', 'StopAuthorized'),
        seqNo: int(),
        transactionInfo: obj({ transactionId: str(36), chargingState: en('Charging', 'EVConnected', 'Idle') }, ['transactionId']),
        meterValue: arr(obj({ timestamp: dateTime(), sampledValue: arr(obj({ value: { type: 'number' }, measurand: str() }, ['value']), 1) }, ['timestamp', 'sampledValue']), 1),
      },
      ['eventType', 'timestamp', 'triggerReason', 'seqNo', 'transactionInfo'],
    ),
    obj({ totalCost: { type: 'number' } }),
  ),
  Reset: action('CSMS->CS', obj({ type: en('Immediate', 'OnIdle'), evseId: int() }, ['type']), obj({ status: en('Accepted', 'Rejected', 'Scheduled') }, ['status'])),
  SetVariables: action(
    'CSMS->CS',
    obj({ setVariableData: arr(obj({ attributeValue: str(1000), ...variableRef }, ['attributeValue', 'component', 'variable']), 1) }, ['setVariableData']),
    obj(
      { setVariableResult: arr(obj({ attributeStatus: en('Accepted', 'Rejected', 'UnknownComponent', 'UnknownVariable', 'NotSupportedAttributeType', 'RebootRequired'), ...variableRef }, ['attributeStatus', 'component', 'variable']), 1) },
      ['setVariableResult'],
    ),
  ),
  GetVariables: action(
    'CSMS->CS',
    obj({ getVariableData: arr(obj(variableRef, ['component', 'variable']), 1) }, ['getVariableData']),
    obj(
      {
        getVariableResult: arr(
          obj({ attributeStatus: en('Accepted', 'Rejected', 'UnknownComponent', 'UnknownVariable', 'NotSupportedAttributeType'), attributeValue: str(2500), ...variableRef }, ['attributeStatus', 'component', 'variable']),
          1,
        ),
      },
      ['getVariableResult'],
    ),
  ),
  SetChargingProfile: action('CSMS->CS', obj({ evseId: int(), chargingProfile: { type: 'object' } }, ['evseId', 'chargingProfile']), obj({ status: en('Accepted', 'Rejected') }, ['status'])),
  DataTransfer: action('both', obj({ vendorId: str(255), messageId: str(50), data: {} }, ['vendorId']), obj({ status: en('Accepted', 'Rejected', 'UnknownMessageId', 'UnknownVendorId'), data: {} }, ['status'])),
});

const codes2x = {
  $root: 'FormatViolation',
  $default: 'FormatViolation',
  required: 'OccurrenceConstraintViolation',
  type: 'TypeConstraintViolation',
  additionalProperties: 'FormatViolation',
  enum: 'PropertyConstraintViolation',
  maxLength: 'PropertyConstraintViolation',
  minItems: 'OccurrenceConstraintViolation',
  format: 'PropertyConstraintViolation',
} satisfies Record<string, CallErrorCode2x>;

export const fixture201: Protocol<'ocpp2.0.1', Actions201> = { name: 'ocpp2.0.1', actions: actions2x(), validationErrorCodes: codes2x };

export const fixture21: Protocol<'ocpp2.1', Actions21> = {
  name: 'ocpp2.1',
  actions: {
    ...actions2x(),
    NotifyPeriodicEventStream: action(
      'CS->CSMS',
      obj({ id: int(), pending: int(), basetime: dateTime(), data: arr(obj({ t: { type: 'number' }, v: str(2500) }, ['t', 'v']), 1) }, ['id', 'pending', 'basetime', 'data']),
      null,
      true,
    ),
  },
  validationErrorCodes: codes2x,
};

export const fixtures = { 'ocpp1.6': fixture16, 'ocpp2.0.1': fixture201, 'ocpp2.1': fixture21 } as const;
