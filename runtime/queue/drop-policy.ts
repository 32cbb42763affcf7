// Which queued message to give up when the queue is over its bound. Pure: a function of the queue's metadata.
//
// Order (docs/store.md, "Drop policy"):
// 1. `loose` messages (non-transaction messages queued by policy, 1.6 MeterValues outside a transaction), oldest
//    first: QueueAllMessages asks to drop TransactionEvent messages last.
// 2. `meter` messages (meter-value-only updates of a transaction), thinned out: the one whose removal leaves the
//    smallest time gap between its neighbours of the same transaction goes first, the older one on a tie. On evenly
//    spaced samples this drops the 1st, 3rd, 5th … intermediate message and then starts over with the wider spacing
//    (E11.FR.05 / E12.FR.05: "intermediate messages first", never from the start, never by refusing new ones). The
//    first and the last queued message of each transaction stay, so the newest reading always survives.
// 3. Nothing else: a transaction's start and end, its other updates, security events are never dropped.
// Only messages never transmitted (sends = 0) are candidates: a transmitted one holds a seqNo the CSMS may have
// seen, and dropping it would put a gap into the seqNo sequence on the wire.

export interface DropCandidate {
  readonly id: number;
  readonly txKey: string | null;
  readonly role: string;
  readonly eventTime: number;
  readonly sends: number;
}

export function chooseVictim<T extends DropCandidate>(entries: readonly T[]): T | undefined {
  for (const e of entries) if (e.role === 'loose' && e.sends === 0) return e;

  let best: T | undefined;
  let bestGap = Infinity;
  // Per transaction (a handful at most: one per EVSE), kept in parallel arrays because this runs over the whole
  // queue on every drop: the time of the latest message seen, and the candidate waiting for its next neighbour
  // (-1 if none) with the time of its previous neighbour.
  const keys: string[] = [];
  const lastTime: number[] = [];
  const waiting: number[] = [];
  const waitingPrevTime: number[] = [];
  let k = -1;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.txKey === null) continue;
    if (k < 0 || keys[k] !== e.txKey) {
      k = keys.indexOf(e.txKey);
      if (k < 0) {
        k = keys.push(e.txKey) - 1;
        lastTime.push(e.eventTime);
        waiting.push(-1);
        waitingPrevTime.push(0);
        continue; // the first message of a transaction is never a candidate
      }
    }
    const w = waiting[k]!;
    if (w >= 0) {
      // `e` is the candidate's next neighbour: removing the candidate joins its previous neighbour and e.
      const gap = e.eventTime - waitingPrevTime[k]!;
      const candidate = entries[w]!;
      if (gap < bestGap || (gap === bestGap && best !== undefined && candidate.id < best.id)) {
        best = candidate;
        bestGap = gap;
      }
      waiting[k] = -1;
    }
    if (e.role === 'meter' && e.sends === 0) {
      waiting[k] = i;
      waitingPrevTime[k] = lastTime[k]!;
    }
    lastTime[k] = e.eventTime;
  }
  return best;
}
