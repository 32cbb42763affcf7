// The MonitoringCtrlr component as ocppkit declares it (Part 2 "Referenced Components and Variables": ItemsPerMessage
// and BytesPerMessage [SetVariableMonitoring] are required once the component is there), and the variables whose
// Actual value the runtime keeps and which may therefore carry monitors (supportsMonitoring). Values are ocppkit's
// choices; block N reads them (monitoring.ts).
import { MonitoringBaseEnumType } from '../../../../generated/v201/enums.js';
import type { ComponentConfig, DeviceModelVersion, EvseLayout } from '../../device-model/types.js';

export const MONITORING_DEFAULTS = {
  /** SetVariableMonitoring / ClearVariableMonitoring: entries in one request (N04.FR.09, N06.FR.04). */
  itemsPerMessage: 50,
  /** SetVariableMonitoring / ClearVariableMonitoring: bytes of one request (N04.FR.09, N06.FR.04). */
  bytesPerMessage: 16384,
  /**
   * N07.FR.04, N08.FR.03: NotifyEvents of monitors of this severity or more urgent (a lower number) are queued while
   * offline; the others are not sent. 4: Error and above (0 Danger … 4 Error).
   */
  offlineQueuingSeverity: 4,
  /** N05: the monitoring level at the first start: every severity (0–9) is reported. */
  level: 9,
  /** 2.1: periodic event streams open at once. */
  maxPeriodicEventStreams: 5,
} as const;

/**
 * The variables the runtime keeps an Actual value of, on which a monitor is useful out of the box; and
 * OCPPCommCtrlr.OfflineThreshold, a numeric setting Part 6 monitors (TC_N_61_CS).
 */
const MONITORED = {
  station: ['AvailabilityState'],
  evse: ['AvailabilityState', 'Power'],
  connector: ['AvailabilityState'],
};

export function monitoringComponents(version: DeviceModelVersion, evses: readonly EvseLayout[]): ComponentConfig[] {
  const d = MONITORING_DEFAULTS;
  const limits = (instance: string) => [
    { name: 'ItemsPerMessage', instance, value: d.itemsPerMessage, mutability: 'ReadOnly' as const, minLimit: 1 },
    { name: 'BytesPerMessage', instance, value: d.bytesPerMessage, mutability: 'ReadOnly' as const, minLimit: 1 },
  ];
  const monitorable = (names: readonly string[]) => names.map((name) => ({ name, supportsMonitoring: true }));
  return [
    {
      name: 'MonitoringCtrlr',
      variables: [
        { name: 'Available', value: true, mutability: 'ReadOnly' },
        { name: 'Enabled', value: true, mutability: 'ReadWrite' },
        ...limits('SetVariableMonitoring'),
        ...limits('ClearVariableMonitoring'),
        {
          name: 'OfflineQueuingSeverity',
          value: d.offlineQueuingSeverity,
          mutability: 'ReadWrite',
          minLimit: 0,
          maxLimit: 9,
        },
        // What SetMonitoringBase / SetMonitoringLevel put in force: the runtime keeps them (ReadOnly). The catalogues
        // list both spellings (MonitoringBase "currently used", ActiveMonitoringBase "shows the currently used").
        ...(['MonitoringBase', 'ActiveMonitoringBase'] as const).map((name) => ({
          name,
          valuesList: [...MonitoringBaseEnumType],
          value: 'All',
          mutability: 'ReadOnly' as const,
        })),
        ...(['MonitoringLevel', 'ActiveMonitoringLevel'] as const).map((name) => ({
          name,
          value: d.level,
          mutability: 'ReadOnly' as const,
          minLimit: 0,
          maxLimit: 9,
        })),
        ...(version === 'ocpp2.1'
          ? [{ name: 'MaxPeriodicEventStreams', value: d.maxPeriodicEventStreams, mutability: 'ReadOnly' as const }]
          : []),
      ],
    },
    { name: 'ChargingStation', variables: monitorable(MONITORED.station) },
    { name: 'OCPPCommCtrlr', variables: monitorable(['OfflineThreshold']) },
    ...evses.flatMap((e) => [
      { name: 'EVSE', evse: { id: e.id }, variables: monitorable(MONITORED.evse) },
      ...e.connectors.map((c) => ({
        name: 'Connector',
        evse: { id: e.id, connectorId: c.id },
        variables: monitorable(MONITORED.connector),
      })),
    ]),
  ];
}
