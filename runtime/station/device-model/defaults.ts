// ocppkit's default device model: the controller components every station has, with the variables the
// specification requires for them and the optional ones whose behaviour ocppkit's runtime implements, each with a
// value, a mutability and characteristics. Written in the integrator's configuration format, so that the
// integrator's configuration is merged over it with one rule (docs/device-model.md lists the table).
//
// Mutabilities, units and limits follow Part 2 "Referenced Components and Variables" (2.0.1 and 2.1 agree on these);
// values are ocppkit's choices — the specification leaves them to the implementation — and match the RPC layer's
// own defaults (RetryBackOff*, WebSocketPingInterval). Where the specification allows ReadOnly or ReadWrite
// (AuthorizeRemoteStart, TxStartPoint, TxStopPoint, UnlockOnEVSideDisconnect, StopTxOnEVSideDisconnect), ocppkit
// lets the CSMS write them, since its runtime honours every value.
import { ConnectorStatusEnumType } from '../../../generated/v21/enums.js';
import type { ComponentConfig, DeviceModelVersion, StationLayout } from './types.js';
import { AUTH_CTRLR_VARIABLES, authorizationComponents } from '../C-authorization/device-model.js';
import { smartChargingComponents } from '../K-smart-charging/device-model.js';
import { transactionLimitVariables } from '../E-transactions/limits/limits.js';

/** AvailabilityState values (Part 2 2.13.2): the connector statuses, in the schema's order. */
export const AVAILABILITY_STATES = ConnectorStatusEnumType;

/** TxStartPoint/TxStopPoint values ocppkit's transaction logic supports (of Part 2 2.6.6's list): all as start points; as
 * stop points all but DataSigned (a meter that can no longer sign is not reported by the integration API). */
const TX_START_POINTS = [
  'ParkingBayOccupancy',
  'EVConnected',
  'Authorized',
  'DataSigned',
  'PowerPathClosed',
  'EnergyTransfer',
];
const TX_STOP_POINTS = ['ParkingBayOccupancy', 'EVConnected', 'Authorized', 'PowerPathClosed', 'EnergyTransfer'];

/** The measurand every meter provides; an integrator lists what the station's meter measures. */
const MEASURANDS = ['Energy.Active.Import.Register'];

/** Components that are present unless the configuration removes them (B07.FR.08's "Section 1 Controller Components"). */
export function defaultComponents(version: DeviceModelVersion): ComponentConfig[] {
  return [
    {
      name: 'OCPPCommCtrlr',
      variables: [
        // Required by the catalogue: what runtime/transfer/ speaks for UpdateFirmware (L) and GetLog (N01).
        {
          name: 'FileTransferProtocols',
          dataType: 'MemberList',
          valuesList: ['HTTP', 'HTTPS', 'FTP', 'FTPS'],
          value: ['HTTP', 'HTTPS', 'FTP', 'FTPS'],
          mutability: 'ReadOnly',
        },
        { name: 'HeartbeatInterval', value: 300, mutability: 'ReadWrite', unit: 's', minLimit: 1 },
        // ReadOnly per Part 2 2.1.3: the message timeout comes from the NetworkConnectionProfile.
        { name: 'MessageTimeout', instance: 'Default', value: 30, mutability: 'ReadOnly', unit: 's', minLimit: 1 },
        {
          name: 'MessageAttemptInterval',
          instance: 'TransactionEvent',
          value: 60,
          mutability: 'ReadWrite',
          unit: 's',
          minLimit: 0,
        },
        { name: 'MessageAttempts', instance: 'TransactionEvent', value: 3, mutability: 'ReadWrite', minLimit: 1 },
        // SequenceList per Part 2 2.1.6 (the 2.0.1 CSV says string): the configuration slots a NetworkConnectionProfile can occupy.
        {
          name: 'NetworkConfigurationPriority',
          dataType: 'SequenceList',
          valuesList: ['1', '2'],
          value: '1',
          mutability: 'ReadWrite',
        },
        { name: 'NetworkProfileConnectionAttempts', value: 3, mutability: 'ReadWrite', minLimit: 1 },
        { name: 'OfflineThreshold', value: 300, mutability: 'ReadWrite', unit: 's', minLimit: 0 },
        { name: 'QueueAllMessages', value: false, mutability: 'ReadWrite' },
        { name: 'ResetRetries', value: 2, mutability: 'ReadWrite', minLimit: 0 },
        { name: 'RetryBackOffRandomRange', value: 10, mutability: 'ReadWrite', unit: 's', minLimit: 0 },
        { name: 'RetryBackOffRepeatTimes', value: 5, mutability: 'ReadWrite', minLimit: 0 },
        { name: 'RetryBackOffWaitMinimum', value: 5, mutability: 'ReadWrite', unit: 's', minLimit: 0 },
        // A station with only fixed cables must make this ReadOnly false (Part 2 2.1.12).
        { name: 'UnlockOnEVSideDisconnect', value: true, mutability: 'ReadWrite' },
        { name: 'WebSocketPingInterval', value: 60, mutability: 'ReadWrite', unit: 's', minLimit: 0 },
      ],
    },
    {
      name: 'DeviceDataCtrlr',
      variables: [
        ...(['GetReport', 'GetVariables', 'SetVariables'] as const).flatMap((instance) => [
          { name: 'ItemsPerMessage', instance, value: 100, mutability: 'ReadOnly' as const, minLimit: 1 },
          { name: 'BytesPerMessage', instance, value: 65536, mutability: 'ReadOnly' as const, minLimit: 1 },
        ]),
        // The schemas cap SetVariableData.attributeValue at 1000 characters in 2.0.1 and 2500 in 2.1.
        {
          name: 'ConfigurationValueSize',
          value: version === 'ocpp2.0.1' ? 1000 : 2500,
          maxLimit: version === 'ocpp2.0.1' ? 1000 : 2500,
          mutability: 'ReadOnly',
        },
        { name: 'ReportingValueSize', value: 2500, maxLimit: 2500, mutability: 'ReadOnly' },
        { name: 'ValueSize', value: 2500, maxLimit: 2500, mutability: 'ReadOnly' },
      ],
    },
    {
      name: 'ClockCtrlr',
      variables: [
        // The value is the station's clock at the moment it is read (DeviceModel binds it to its clock).
        { name: 'DateTime', mutability: 'ReadOnly' },
        // ocppkit takes the time from the CSMS (BootNotification/Heartbeat); an integrator with NTP or GPS adds it.
        { name: 'TimeSource', valuesList: ['Heartbeat'], value: ['Heartbeat'], mutability: 'ReadWrite' },
      ],
    },
    {
      name: 'SecurityCtrlr',
      variables: [
        { name: 'CertificateEntries', value: 0, mutability: 'ReadOnly', minLimit: 0 },
        // No defaults: the CSO's organization and the profile the station connects with are the integrator's.
        { name: 'OrganizationName', mutability: 'ReadWrite' },
        { name: 'SecurityProfile', mutability: 'ReadOnly', minLimit: 0, maxLimit: 3 },
      ],
    },
    {
      name: 'AuthCtrlr',
      variables: [
        { name: 'AuthorizeRemoteStart', value: false, mutability: 'ReadWrite' },
        { name: 'LocalAuthorizeOffline', value: true, mutability: 'ReadWrite' },
        { name: 'LocalPreAuthorize', value: false, mutability: 'ReadWrite' },
        // Blocks C/H (runtime/station/C-authorization/device-model.ts).
        ...AUTH_CTRLR_VARIABLES,
      ],
    },
    // AuthCacheCtrlr, LocalAuthListCtrlr, ReservationCtrlr: blocks C, D, H.
    ...authorizationComponents(version),
    // SmartChargingCtrlr: block K.
    ...smartChargingComponents(version),
    {
      name: 'TxCtrlr',
      variables: [
        { name: 'EVConnectionTimeOut', value: 60, mutability: 'ReadWrite', unit: 's', minLimit: 0 },
        { name: 'StopTxOnEVSideDisconnect', value: true, mutability: 'ReadWrite' },
        { name: 'StopTxOnInvalidId', value: true, mutability: 'ReadWrite' },
        { name: 'TxStartPoint', valuesList: TX_START_POINTS, value: ['PowerPathClosed'], mutability: 'ReadWrite' },
        {
          name: 'TxStopPoint',
          valuesList: TX_STOP_POINTS,
          value: ['EVConnected', 'Authorized'],
          mutability: 'ReadWrite',
        },
        // 2.1 E16: the transaction limits the station supports.
        ...transactionLimitVariables(version),
      ],
    },
    {
      name: 'SampledDataCtrlr',
      variables: [
        { name: 'TxEndedInterval', value: 0, mutability: 'ReadWrite', unit: 's', minLimit: 0 },
        { name: 'TxEndedMeasurands', valuesList: MEASURANDS, value: MEASURANDS, mutability: 'ReadWrite' },
        { name: 'TxStartedMeasurands', valuesList: MEASURANDS, value: MEASURANDS, mutability: 'ReadWrite' },
        { name: 'TxUpdatedInterval', value: 60, mutability: 'ReadWrite', unit: 's', minLimit: 0 },
        { name: 'TxUpdatedMeasurands', valuesList: MEASURANDS, value: MEASURANDS, mutability: 'ReadWrite' },
      ],
    },
    {
      name: 'AlignedDataCtrlr',
      variables: [
        // 0 means no clock-aligned data (Part 2 2.7.12).
        { name: 'Interval', value: 900, mutability: 'ReadWrite', unit: 's', minLimit: 0 },
        { name: 'Measurands', valuesList: MEASURANDS, value: MEASURANDS, mutability: 'ReadWrite' },
        { name: 'TxEndedInterval', value: 0, mutability: 'ReadWrite', unit: 's', minLimit: 0 },
        { name: 'TxEndedMeasurands', valuesList: MEASURANDS, value: [], mutability: 'ReadWrite' },
      ],
    },
  ];
}

/** Where the value of a layout-derived variable comes from, for the start-up check's messages. */
export interface LayoutHint {
  component: string;
  evse?: number;
  connector?: number;
  variable: string;
  field: string;
}

/**
 * The three tiers (Part 1 §4.1): ChargingStation, one EVSE per layout EVSE, one Connector per connector, with
 * the Charging Infrastructure variables (Part 2 2.13). AvailabilityState starts Available; the station's
 * availability logic keeps it current.
 */
export function layoutComponents(layout: StationLayout): { components: ComponentConfig[]; hints: LayoutHint[] } {
  const availability = (value = 'Available') => ({
    name: 'AvailabilityState',
    dataType: 'OptionList' as const,
    valuesList: [...AVAILABILITY_STATES],
    value,
    mutability: 'ReadOnly' as const,
  });
  const phases = (n: number | undefined) => ({
    name: 'SupplyPhases',
    mutability: 'ReadOnly' as const,
    minLimit: 0,
    maxLimit: 3,
    ...(n === undefined ? {} : { value: n }),
  });
  const hints: LayoutHint[] = [
    { component: 'ChargingStation', variable: 'SupplyPhases', field: 'layout.supplyPhases' },
  ];
  const components: ComponentConfig[] = [
    {
      name: 'ChargingStation',
      variables: [
        availability(),
        { name: 'Available', value: true, mutability: 'ReadOnly' },
        phases(layout.supplyPhases),
      ],
    },
  ];
  layout.evses.forEach((evse, i) => {
    const evsePhases = evse.supplyPhases ?? layout.supplyPhases;
    hints.push({
      component: 'EVSE',
      evse: evse.id,
      variable: 'SupplyPhases',
      field: `layout.evses[${i}].supplyPhases`,
    });
    hints.push({ component: 'EVSE', evse: evse.id, variable: 'Power', field: `layout.evses[${i}].maxPower` });
    components.push({
      name: 'EVSE',
      evse: { id: evse.id },
      variables: [
        availability(),
        { name: 'Available', value: true, mutability: 'ReadOnly' },
        // Required for its maxLimit (Part 2 2.13.7); the Actual value is the present power, kept by the runtime.
        {
          name: 'Power',
          value: 0,
          unit: 'W',
          mutability: 'ReadOnly',
          minLimit: 0,
          ...(evse.maxPower === undefined ? {} : { maxLimit: evse.maxPower }),
        },
        phases(evsePhases),
      ],
    });
    evse.connectors.forEach((connector, j) => {
      hints.push({
        component: 'Connector',
        evse: evse.id,
        connector: connector.id,
        variable: 'ConnectorType',
        field: `layout.evses[${i}].connectors[${j}].type`,
      });
      hints.push({
        component: 'Connector',
        evse: evse.id,
        connector: connector.id,
        variable: 'SupplyPhases',
        field: `layout.evses[${i}].connectors[${j}].supplyPhases`,
      });
      components.push({
        name: 'Connector',
        evse: { id: evse.id, connectorId: connector.id },
        variables: [
          availability(),
          { name: 'Available', value: true, mutability: 'ReadOnly' },
          {
            name: 'ConnectorType',
            mutability: 'ReadOnly',
            ...(connector.type === undefined ? {} : { value: connector.type }),
          },
          phases(connector.supplyPhases ?? evsePhases),
        ],
      });
    });
  });
  return { components, hints };
}
