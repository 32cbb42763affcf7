// Names for the anonymous inline enums and objects of the OCPP 1.6 core schemas (the draft-04 files), so that
// 1.6 code can say `ChargePointStatus` instead of repeating a 9-member union.
//
// Why a table and not names derived from the property path: the 1.6 specification (OCPP 1.6 Edition 2, chapter 7
// "Types") already names every one of these types, and 1.6 developers know them by those names. Deriving names
// from paths would give `StatusNotificationRequestStatus` and two different names for the same type wherever it
// appears in two messages (idTagInfo.status appears in 4 files). The table is keyed by the exact location, so a
// new or moved inline type in a future schema release is a generator error ("no name for …"), never a silently
// invented name. The same name at several locations is merged only if the schemas are structurally equal.
//
// The names are identifiers of the specification, not text from it.

/** `<file>#<JSON pointer>` → type name. */
export const V16_INLINE_TYPE_NAMES: Readonly<Record<string, string>> = {
  // IdTagInfo (spec 7.27) with its AuthorizationStatus (7.2); AuthorizationData (7.1)
  'AuthorizeResponse.json#/properties/idTagInfo': 'IdTagInfo',
  'AuthorizeResponse.json#/properties/idTagInfo/properties/status': 'AuthorizationStatus',
  'StartTransactionResponse.json#/properties/idTagInfo': 'IdTagInfo',
  'StartTransactionResponse.json#/properties/idTagInfo/properties/status': 'AuthorizationStatus',
  'StopTransactionResponse.json#/properties/idTagInfo': 'IdTagInfo',
  'StopTransactionResponse.json#/properties/idTagInfo/properties/status': 'AuthorizationStatus',
  'SendLocalList.json#/properties/localAuthorizationList/items': 'AuthorizationData',
  'SendLocalList.json#/properties/localAuthorizationList/items/properties/idTagInfo': 'IdTagInfo',
  'SendLocalList.json#/properties/localAuthorizationList/items/properties/idTagInfo/properties/status':
    'AuthorizationStatus',
  'SendLocalList.json#/properties/updateType': 'UpdateType',
  'SendLocalListResponse.json#/properties/status': 'UpdateStatus',

  'BootNotificationResponse.json#/properties/status': 'RegistrationStatus',
  'CancelReservationResponse.json#/properties/status': 'CancelReservationStatus',
  'ChangeAvailability.json#/properties/type': 'AvailabilityType',
  'ChangeAvailabilityResponse.json#/properties/status': 'AvailabilityStatus',
  'ChangeConfigurationResponse.json#/properties/status': 'ConfigurationStatus',
  'ClearCacheResponse.json#/properties/status': 'ClearCacheStatus',
  'ClearChargingProfile.json#/properties/chargingProfilePurpose': 'ChargingProfilePurposeType',
  'ClearChargingProfileResponse.json#/properties/status': 'ClearChargingProfileStatus',
  'DataTransferResponse.json#/properties/status': 'DataTransferStatus',
  'DiagnosticsStatusNotification.json#/properties/status': 'DiagnosticsStatus',
  'FirmwareStatusNotification.json#/properties/status': 'FirmwareStatus',
  'GetConfigurationResponse.json#/properties/configurationKey/items': 'KeyValue',
  'RemoteStartTransactionResponse.json#/properties/status': 'RemoteStartStopStatus',
  'RemoteStopTransactionResponse.json#/properties/status': 'RemoteStartStopStatus',
  'ReserveNowResponse.json#/properties/status': 'ReservationStatus',
  'Reset.json#/properties/type': 'ResetType',
  'ResetResponse.json#/properties/status': 'ResetStatus',
  'SetChargingProfileResponse.json#/properties/status': 'ChargingProfileStatus',
  'StatusNotification.json#/properties/errorCode': 'ChargePointErrorCode',
  'StatusNotification.json#/properties/status': 'ChargePointStatus',
  'StopTransaction.json#/properties/reason': 'Reason',
  'TriggerMessage.json#/properties/requestedMessage': 'MessageTrigger',
  'TriggerMessageResponse.json#/properties/status': 'TriggerMessageStatus',
  'UnlockConnectorResponse.json#/properties/status': 'UnlockStatus',

  // Composite schedule (GetCompositeSchedule.conf) and charging profiles (spec 7.8–7.14)
  'GetCompositeSchedule.json#/properties/chargingRateUnit': 'ChargingRateUnitType',
  'GetCompositeScheduleResponse.json#/properties/status': 'GetCompositeScheduleStatus',
  'GetCompositeScheduleResponse.json#/properties/chargingSchedule': 'ChargingSchedule',
  'GetCompositeScheduleResponse.json#/properties/chargingSchedule/properties/chargingRateUnit': 'ChargingRateUnitType',
  'GetCompositeScheduleResponse.json#/properties/chargingSchedule/properties/chargingSchedulePeriod/items':
    'ChargingSchedulePeriod',
  ...chargingProfileAt('RemoteStartTransaction.json#/properties/chargingProfile'),
  ...chargingProfileAt('SetChargingProfile.json#/properties/csChargingProfiles'),

  // MeterValue and SampledValue (spec 7.33, 7.43) with their enums (7.30, 7.31, 7.34, 7.35, 7.45, 7.49)
  ...meterValueAt('MeterValues.json#/properties/meterValue/items'),
  ...meterValueAt('StopTransaction.json#/properties/transactionData/items'),
};

function chargingProfileAt(at: string): Record<string, string> {
  return {
    [at]: 'ChargingProfile',
    [`${at}/properties/chargingProfilePurpose`]: 'ChargingProfilePurposeType',
    [`${at}/properties/chargingProfileKind`]: 'ChargingProfileKindType',
    [`${at}/properties/recurrencyKind`]: 'RecurrencyKindType',
    [`${at}/properties/chargingSchedule`]: 'ChargingSchedule',
    [`${at}/properties/chargingSchedule/properties/chargingRateUnit`]: 'ChargingRateUnitType',
    [`${at}/properties/chargingSchedule/properties/chargingSchedulePeriod/items`]: 'ChargingSchedulePeriod',
  };
}

function meterValueAt(at: string): Record<string, string> {
  const sv = `${at}/properties/sampledValue/items`;
  return {
    [at]: 'MeterValue',
    [sv]: 'SampledValue',
    [`${sv}/properties/context`]: 'ReadingContext',
    [`${sv}/properties/format`]: 'ValueFormat',
    [`${sv}/properties/measurand`]: 'Measurand',
    [`${sv}/properties/phase`]: 'Phase',
    [`${sv}/properties/location`]: 'Location',
    [`${sv}/properties/unit`]: 'UnitOfMeasure',
  };
}
