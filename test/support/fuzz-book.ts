// The bookkeeping of a fuzz run (issue 20): what each frame must get back (from the oracle in hostile-frames.ts),
// what came back, and the verdict — exactly one correct answer per readable CALL, the "-1" answers by code, and
// nothing for anything else.
import { readFileSync } from 'node:fs';
import type { Expect } from './hostile-frames.js';

const RESULT = 'CALLRESULT';

export class AnswerBook {
  readonly #byId = new Map<string, { allowed: Set<string>; count: number; got: number }>();
  readonly #minusOneExpected: Record<string, number> = {};
  readonly #minusOneGot: Record<string, number> = {};
  readonly problems: string[] = [];
  /** Answers by kind (CALLRESULT or the CALLERROR code): the run must reach every branch of the table. */
  readonly kinds: Record<string, number> = {};
  #expected = 0;
  #received = 0;

  constructor(readonly context: string) {}

  expect(e: Expect, what: string): void {
    if (e.answer === 'none') return;
    this.#expected++;
    if (e.id === '-1') {
      const code = e.answer === 'error' ? [...e.codes][0]! : RESULT;
      this.#minusOneExpected[code] = (this.#minusOneExpected[code] ?? 0) + 1;
      return;
    }
    const allowed = new Set<string>(
      e.answer === 'result' ? [RESULT] : e.answer === 'error' ? e.codes : [RESULT, ...e.codes],
    );
    const entry = this.#byId.get(e.id);
    if (entry) {
      // The same MessageId again (on purpose): the second CALL may meet the first still being handled (§4.2.3).
      entry.count++;
      for (const c of allowed) entry.allowed.add(c);
      entry.allowed.add('RpcFrameworkError');
      return;
    }
    this.#byId.set(e.id, { allowed, count: 1, got: 0 });
  }

  /** One frame the peer sent that is an answer (type 3 or 4). */
  receive(frame: unknown[], text: string): void {
    this.#received++;
    const id = frame[1];
    const kind = frame[0] === 3 ? RESULT : frame[0] === 4 ? String(frame[2]) : `type ${String(frame[0])}`;
    this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
    if (frame[0] === 4 && String(frame[3]).length > 255)
      this.problems.push(`${this.context}: ErrorDescription over 255 characters: ${text.slice(0, 200)}`);
    if (id === '-1') {
      this.#minusOneGot[kind] = (this.#minusOneGot[kind] ?? 0) + 1;
      return;
    }
    const entry = typeof id === 'string' ? this.#byId.get(id) : undefined;
    if (!entry)
      return void this.problems.push(
        `${this.context}: an answer to ${String(id).slice(0, 50)}, which needed none: ${text.slice(0, 200)}`,
      );
    entry.got++;
    if (entry.got > entry.count)
      this.problems.push(
        `${this.context}: ${String(id)} answered more than ${entry.count} time(s): ${text.slice(0, 200)}`,
      );
    if (!entry.allowed.has(kind))
      this.problems.push(
        `${this.context}: ${String(id)} expected ${[...entry.allowed].join('|')}, got ${text.slice(0, 300)}`,
      );
  }

  get outstanding(): number {
    return this.#expected - this.#received;
  }

  get expectedCount(): number {
    return this.#expected;
  }

  /** Every problem found; empty when each readable CALL got exactly one correct answer. */
  verdict(): string[] {
    const out = [...this.problems];
    for (const [id, e] of this.#byId)
      if (e.got !== e.count) out.push(`${this.context}: ${id} answered ${e.got} time(s), expected ${e.count}`);
    const a = JSON.stringify(sorted(this.#minusOneExpected));
    const b = JSON.stringify(sorted(this.#minusOneGot));
    if (a !== b) out.push(`${this.context}: "-1" answers by code: expected ${a}, got ${b}`);
    return out;
  }
}

function sorted(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** Resident set size of a process, MB (Linux /proc). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Math.round(Number(m[1]) / 1024);
}
