// Issue 19: what a user meets typing a station. A misspelt event name fails naming itself (EventEmitter's own typing
// failed with "parameter of type 'never'"); a listener gets its event's payload; ConnectorLayout.type is the
// schema's connector type (2.0.1's ConnectorEnumType and 2.1's appendix list), not any string.
import type { ChargingStation, ConnectorLayout, ConnectorTypeName } from '../../runtime/station/index.js';
import type { ConnectorEnumType } from '../../generated/v201/types.js';
import { assertType, type Equal } from './assert-type.js';

declare const station: ChargingStation;

station.on('transactionStarted', (e) => assertType<Equal<typeof e.transactionId, string>>());
station.once('started', ({ reason }) => void reason.toUpperCase());
station.off('log', (e) => void e.message);
// prettier-ignore
// @ts-expect-error "transactionStart" is no event of the station (transactionStarted is)
station.on('transactionStart', () => {});
// prettier-ignore
// @ts-expect-error the payload of connectorStatus has no transactionId
station.on('connectorStatus', (e) => void e.transactionId);

const type2: ConnectorLayout = { id: 1, type: 'sType2' };
const nacs: ConnectorLayout = { id: 2, type: 'cNACS' }; // 2.1's appendix
// prettier-ignore
// @ts-expect-error not a connector type (sType2 is)
const typo: ConnectorLayout = { id: 3, type: 'stype2' };
assertType<ConnectorEnumType extends ConnectorTypeName ? true : false>();
void [type2, nacs, typo];
