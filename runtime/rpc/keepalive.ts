// Keep-alive with WebSocket ping/pong (Part 4 §5.2/§5.3, WebSocketPingInterval §8.4; OCPP-J 1.6 §5.3 and
// errata §3.11): every interval a ping is sent; when the previous ping got no pong by then, the connection is
// terminated (a half-open connection must not swallow messages). A station pings its one connection; a CSMS
// sweeps all its sessions from one shared timer instead of one timer per connection.
import type { AnyProtocol, Role } from '../protocol.js';
import { KEEPALIVE_TICK, type Session } from './session.js';
import type { TimerHandle, Timers } from './timers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySession = Session<any, any, any>;

export function checkPingInterval(seconds: unknown): number {
  // §8.4: 0 disables client-side ping; negative values are not allowed.
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`pingIntervalSeconds must be a number ≥ 0 (0 disables ping), got ${String(seconds)}`);
  }
  return seconds;
}

function tickOne(session: AnySession): void {
  session[KEEPALIVE_TICK]();
}

function tickAll(sessions: Iterable<AnySession>): void {
  for (const session of sessions) session[KEEPALIVE_TICK]();
}

/** Pings one session's connection every `seconds`; undefined when disabled. */
export function keepSessionAlive(timers: Timers, seconds: number, session: AnySession): TimerHandle | undefined {
  return seconds > 0 ? timers.setInterval(tickOne, seconds * 1000, session) : undefined;
}

/** Pings every session of `sessions` (read at each tick) every `seconds`; undefined when disabled. */
export function keepAllAlive(
  timers: Timers,
  seconds: number,
  sessions: { values(): Iterable<AnySession> },
): TimerHandle | undefined {
  return seconds > 0 ? timers.setInterval((s) => tickAll(s.values()), seconds * 1000, sessions) : undefined;
}
