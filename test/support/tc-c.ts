// Block C's Part 6 test cases over real sockets (tx-pair.ts: the built-in CSMS, a ChargingStation on a real SQLite
// file, the station's own blocks C, D, E): the memory states of Part 6 (IdTokenCached, IdTokenLocalAuthList) and the
// CSMS going down and coming back, built from what a real station would live through.
import * as assert from 'uvu/assert';
import type { IdTokenInfoType, IdTokenType } from '../../generated/v201/types.js';
import { states, TOKEN, type TxPair, type TxPairOptions, type PresentedIdToken } from './tx-pair.js';

/** TxCtrlr.EVConnectionTimeOut of these tests, s: an authorization without an EV lapses after it. */
export const EV_TIMEOUT_S = 5;

export const idle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

export const tok = (idToken: string): IdTokenType => ({ idToken, type: 'ISO14443' });

/** A ManualClock, a short EVConnectionTimeOut, and a reconnection one second after a refused attempt. */
export function cOptions(
  variables: TxPairOptions['variables'] = {},
  more: Omit<TxPairOptions, 'variables'> = {},
): TxPairOptions {
  return {
    manualClock: true,
    ...more,
    variables: {
      'TxCtrlr.EVConnectionTimeOut': EV_TIMEOUT_S,
      'OCPPCommCtrlr.RetryBackOffWaitMinimum': 1,
      'OCPPCommCtrlr.RetryBackOffRandomRange': 0,
      ...variables,
    },
  };
}

/**
 * Memory state IdTokenCached: the token was presented while no EV was connected; the station asked the CSMS (an
 * AuthorizeRequest) and cached its answer. No EV came, so an Accepted authorization lapsed after EVConnectionTimeOut.
 */
export async function idTokenCached(p: TxPair, idToken: IdTokenType = TOKEN): Promise<void> {
  const before = p.sent('Authorize').length;
  await states.authorizeAndWait(p, undefined, idToken);
  assert.is(p.sent('Authorize').length, before + 1, 'IdTokenCached: the CSMS was asked');
  await p.advance(EV_TIMEOUT_S * 1000);
}

/** Memory state IdTokenLocalAuthList: SendLocalList (Full) with these entries. */
export async function localList(
  p: TxPair,
  entries: Array<{ idToken: IdTokenType; idTokenInfo: IdTokenInfoType }>,
): Promise<void> {
  assert.equal(
    await p.call('SendLocalList', { versionNumber: 1, updateType: 'Full', localAuthorizationList: entries }),
    { status: 'Accepted' },
  );
}

/** The CSMS closes the connection and refuses reconnections; resolves once the station noticed. */
export async function csmsGone(p: TxPair): Promise<void> {
  await p.csmsDown();
  for (let i = 0; i < 100 && p.station.connected; i++) await idle(10);
  assert.not.ok(p.station.connected, 'the station noticed that it is offline');
}

/** The CSMS accepts the station again: the next reconnection attempt (RetryBackOffWaitMinimum 1 s) succeeds. */
export async function csmsBack(p: TxPair): Promise<void> {
  p.csmsUp();
  await p.advance(5_000);
  for (let i = 0; i < 200 && !p.station.connected; i++) await idle(10);
  assert.ok(p.station.connected, 'the station is back online');
}

/** The station presents the token and waits for its verdict; resolves with the Authorize requests it sent for it. */
export async function present(p: TxPair, idToken: PresentedIdToken = TOKEN, evseId?: number): Promise<unknown[]> {
  const before = p.sent('Authorize').length;
  await states.authorizeAndWait(p, evseId, idToken);
  return p
    .sent('Authorize')
    .slice(before)
    .map((m) => m.request);
}

/** Position in the CSMS log: `sentAfter` looks only at what came after it. */
export const mark = (p: TxPair): number => p.csms.log.length;

/** The first request of `action` the station sent after `since` (a `mark`) that matches; waits for it. */
export async function sentAfter(
  p: TxPair,
  action: string,
  since: number,
  match: (request: any) => boolean = () => true,
  timeoutMs = 3000,
): Promise<any> {
  const m = await p.csms.waitFor(
    (x) => x.identity === p.identity && x.direction === 'in' && x.action === action && match(x.request),
    timeoutMs,
    since - 1,
  );
  return m.request;
}

/** The first TransactionEvent after `since` that matches. */
export const txAfter = (p: TxPair, since: number, match: (r: any) => boolean = () => true): Promise<any> =>
  sentAfter(p, 'TransactionEvent', since, match);

/** Requests of `action` the station sent after `since`, without waiting. */
export const allAfter = (p: TxPair, action: string, since: number): any[] =>
  p.csms.log
    .slice(since)
    .filter((x) => x.identity === p.identity && x.direction === 'in' && x.action === action)
    .map((x) => x.request);

/** The cable is plugged in (again): StatusNotification Occupied after `since`. */
export async function plugged(p: TxPair, evseId = 1): Promise<void> {
  const since = mark(p);
  p.station.cablePlugged(evseId, 1);
  await sentAfter(p, 'StatusNotification', since, (r) => r.evseId === evseId && r.connectorStatus === 'Occupied');
}

/** The cable is unplugged: StatusNotification Available after `since`. */
export async function unplugged(p: TxPair, evseId = 1): Promise<void> {
  const since = mark(p);
  p.station.cableUnplugged(evseId, 1);
  await sentAfter(p, 'StatusNotification', since, (r) => r.evseId === evseId && r.connectorStatus === 'Available');
}
