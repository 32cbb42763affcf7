// Device-model variables are named by the generated catalogues of 2.0.1 and 2.1 (runtime/station/device-model/
// keys.ts): every read (VariableReader), write (the setVariable effect), change (variables.changed) and check
// (`validates`) of the runtime compiles with a catalogue name and fails on a misspelt component or variable.
import type { BlockEvent, Effect, UseCase, VariableReader } from '../../runtime/station/core/types.js';
import type { ModelVariables } from '../../runtime/station/core/variables.js';
import type { DmAddress, DmComponent, DmKey, VariableOf } from '../../runtime/station/device-model/keys.js';
import { assertType, type Equal } from './assert-type.js';

declare const read: VariableReader;
declare const facade: ModelVariables;

// Reads: a component's own variable, a generic one (any component), a 2.1-only component.
read.int('OCPPCommCtrlr', 'HeartbeatInterval');
read.bool('ConnectorPlugRetentionLock', 'Problem');
read.string('TxCtrlr', 'TxStartPoint', { evseId: 1 });
read.bool('BatterySwapCtrlr', 'Enabled');
// prettier-ignore
// @ts-expect-error a misspelt component
read.int('OCPPComCtrlr', 'HeartbeatInterval');
// prettier-ignore
// @ts-expect-error a misspelt variable
read.int('OCPPCommCtrlr', 'HeartbeatIntervall');
// prettier-ignore
// @ts-expect-error a variable of another component (TxStartPoint is TxCtrlr's)
read.string('OCPPCommCtrlr', 'TxStartPoint');
// prettier-ignore
// @ts-expect-error the facade's reads and writes too
facade.list('SampledDataCtrlr', 'TxUpdatedMeasurand');
// prettier-ignore
// @ts-expect-error the facade's reads and writes too
facade.set('SecurityCtrl', 'BasicAuthPassword', 'x');

// Writes: the setVariable effect.
const write: Effect = {
  type: 'setVariable',
  component: 'EVSE',
  variable: 'AvailabilityState',
  value: 'Available',
  evseId: 1,
};
// prettier-ignore
// @ts-expect-error a misspelt component
const badComponent: Effect = { type: 'setVariable', component: 'EVSEs', variable: 'AvailabilityState', value: 'Available' };
// prettier-ignore
// @ts-expect-error a misspelt variable
const badVariable: Effect = { type: 'setVariable', component: 'EVSE', variable: 'AvailabilityStat', value: 'Available' };

// Changes: names in variables.changed are typed, so comparing with a misspelt name does not compile.
declare const event: Extract<BlockEvent, { type: 'variables.changed' }>;
event.changes.some((c) => c.component === 'SecurityCtrlr' && c.variable === 'BasicAuthPassword');
// prettier-ignore
// @ts-expect-error a misspelt component
event.changes.some((c) => c.component === 'SecurityCtrl');
// prettier-ignore
// @ts-expect-error a misspelt variable
event.changes.some((c) => c.variable === 'BasicAuthPasword');
// Variables only the integrator's configuration names arrive as plain strings, apart.
event.unlisted?.some((c) => c.component === 'AcmeFanCtrlr');

// Checks: `validates` keys are `Component.Variable` of the catalogues.
const checks: UseCase<null>['validates'] = { 'SecurityCtrlr.BasicAuthPassword': () => undefined };
// prettier-ignore
// @ts-expect-error a misspelt component
const badCheck: UseCase<null>['validates'] = { 'SecurityCtlr.BasicAuthPassword': () => undefined };
// prettier-ignore
// @ts-expect-error a misspelt variable
const badCheckVariable: UseCase<null>['validates'] = { 'OCPPCommCtrlr.NetworkConfigurationPriorty': () => undefined };

// The pieces agree: a key is a component, a dot and one of its variables.
assertType<Equal<Extract<DmKey, `TxCtrlr.TxStartPoint`>, 'TxCtrlr.TxStartPoint'>>();
assertType<Equal<Extract<DmAddress, { component: 'TxCtrlr' }>['variable'], VariableOf<'TxCtrlr'>>>();
assertType<Equal<Extract<DmComponent, 'OCPPCommCtrlr' | 'NoSuchCtrlr'>, 'OCPPCommCtrlr'>>();

void [write, badComponent, badVariable, checks, badCheck, badCheckVariable];
