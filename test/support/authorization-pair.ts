// Part 6 test cases of blocks C, D and H over real sockets: a station (real SQLite file) and the built-in CSMS, with
// the stand-in for block E (authorization-driver.ts) registered as an extension, so that `station.idTokenPresented`
// leads to `authorize.request` as it will with E.
import type { IdTokenType } from '../../generated/v201/types.js';
import type { LoggedMessage, SimpleCsmsOptions } from '../../runtime/csms/simple-csms.js';
import type { ChargingStationOptions } from '../../runtime/station/options.js';
import { authorizeStandIn, type AuthorizeResult, type StandIn } from './authorization-driver.js';
import { startPair, type Pair } from './station-harness.js';

export interface AuthPair {
  pair: Pair;
  standIn: StandIn;
  /** Presents a token at the station (optionally at an EVSE); resolves with C's verdict. */
  present(idToken: IdTokenType, evseId?: number): Promise<AuthorizeResult>;
  /** A CSMS-initiated call; resolves with the station's response. */
  call(action: string, payload: unknown): Promise<any>;
  /** Position in the CSMS log: `next`/`sentSince` look only at what came after it. */
  mark(): number;
  /** The first station→CSMS message of `action` after `mark` that matches. */
  next(action: string, mark: number, match?: (request: any) => boolean): Promise<LoggedMessage>;
  /** Station→CSMS messages of `action` after `mark`. */
  sentSince(action: string, mark: number): LoggedMessage[];
  /** Waits for the StatusNotifications after `mark` until each connector listed has the status given. */
  statuses(mark: number, expected: Record<`${number}/${number}`, string>): Promise<void>;
  close(): Promise<void>;
}

export async function authPair(
  options: { station?: Partial<ChargingStationOptions>; csms?: SimpleCsmsOptions; sendTransactionEvent?: boolean } = {},
): Promise<AuthPair> {
  // Use case E asks C when a token is presented; the stand-in only records the verdicts (and may send a TransactionEvent).
  const standIn = authorizeStandIn({ sendTransactionEvent: options.sendTransactionEvent ?? false, ask: false });
  const pair = await startPair({
    ...(options.csms ? { csms: options.csms } : {}),
    station: { ...options.station, useCases: [standIn.useCase] },
  });
  try {
    return await ready(pair, standIn, options);
  } catch (err) {
    await pair.close();
    throw err;
  }
}

async function ready(
  pair: Pair,
  standIn: StandIn,
  options: { station?: Partial<ChargingStationOptions> },
): Promise<AuthPair> {
  await pair.waitFor('BootNotification');
  const inbound = (m: LoggedMessage, action: string) =>
    m.identity === pair.identity && m.direction === 'in' && m.action === action;
  const self: AuthPair = {
    pair,
    standIn,
    async present(idToken, evseId) {
      const before = standIn.results.length;
      const verdict = new Promise<void>((resolve) => pair.station.once('authorization', () => resolve()));
      pair.station.idTokenPresented(idToken, evseId);
      await withTimeout(verdict, 5000, 'no verdict');
      return standIn.results[before]!;
    },
    call: (action, payload) => pair.csms.call(pair.identity, action, payload) as Promise<any>,
    mark: () => pair.csms.log.length,
    next: (action, mark, match = () => true) =>
      pair.csms.waitFor((m) => inbound(m, action) && match(m.request), 5000, mark - 1),
    sentSince: (action, mark) => pair.csms.log.slice(mark).filter((m) => inbound(m, action)),
    async statuses(mark, expected) {
      const open = new Map(Object.entries(expected));
      let at = mark - 1;
      while (open.size) {
        const m = await pair.csms.waitFor((x) => inbound(x, 'StatusNotification'), 5000, at);
        at = pair.csms.log.indexOf(m);
        const r = m.request as { evseId: number; connectorId: number; connectorStatus: string };
        const key = `${r.evseId}/${r.connectorId}`;
        if (open.get(key) === r.connectorStatus) open.delete(key);
      }
    },
    close: () => pair.close(),
  };
  // Online: the boot's connector statuses are out before a test starts counting.
  const evses = options.station?.evses ?? [{ id: 1, connectors: [{ id: 1 }] }];
  await self.statuses(
    0,
    Object.fromEntries(evses.flatMap((e) => e.connectors.map((c) => [`${e.id}/${c.id}`, 'Available']))),
  );
  return self;
}

/** Runs `fn` with a fresh pair and closes it whatever happens. */
export async function withAuthPair(
  options: Parameters<typeof authPair>[0],
  fn: (a: AuthPair) => Promise<void>,
): Promise<void> {
  const a = await authPair(options);
  try {
    await fn(a);
  } finally {
    await a.close();
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
