// The station builds the messages it sends as 2.0.1 types and answers with 2.0.1 responses (runtime/station/core/
// types.ts); these must be valid 2.1 messages too. One line per message of blocks B, G and F06 (and the others add
// theirs): if 2.1 ever narrows a field, this stops compiling.
import type { Actions as A201 } from '../../generated/v201/actions.js';
import type { Actions as A21 } from '../../generated/v21/actions.js';
import { assertType } from './assert-type.js';

type Fits<A, B> = [A] extends [B] ? true : false;
type Sent<K extends keyof A201 & keyof A21> = Fits<A201[K]['request'], A21[K]['request']>;
type Answered<K extends keyof A201 & keyof A21> = Fits<A201[K]['response'], A21[K]['response']>;

// Sent by boot (B01–B04, A04), availability (G01, G05).
assertType<Sent<'BootNotification'>>();
assertType<Sent<'Heartbeat'>>();
assertType<Sent<'StatusNotification'>>();
assertType<Sent<'SecurityEventNotification'>>();
assertType<Sent<'NotifyEvent'>>();
// Answered by reset (B11/B12), network profiles (B09), availability (G03/G04), trigger (F06), the facade (P01).
assertType<Answered<'Reset'>>();
assertType<Answered<'SetNetworkProfile'>>();
assertType<Answered<'ChangeAvailability'>>();
assertType<Answered<'TriggerMessage'>>();
assertType<Answered<'DataTransfer'>>();
