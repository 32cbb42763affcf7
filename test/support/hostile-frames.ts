// Seeded hostile frames for the fuzz tests of issue 20 (test/cli/fuzz-station.test.ts, test/cli/fuzz-csms.test.ts),
// and the oracle that says what each must get back, written from the table of Part 4 §4.2.3/§4.3/§4.4 as
// docs/rpc.md cites it — not from the session code. One frame is one WebSocket message: a text frame, a text frame
// of raw bytes (maybe not UTF-8), or a binary frame.
import type { AnyProtocol } from '../../runtime/protocol.js';

export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One WebSocket message; `exact`: a CALL built from FuzzEnd.valid, which must get a CALLRESULT. */
export type Outgoing = ({ text: string } | { bytes: Buffer } | { binary: Buffer }) & { what: string; exact?: boolean };

/** What must come back: nothing, a CALLRESULT, or a CALLERROR with one of `codes` ("-1": the id was unreadable). */
export type Expect =
  | { answer: 'none' }
  | { answer: 'result'; id: string }
  | { answer: 'error'; id: string; codes: ReadonlySet<string> }
  | { answer: 'resultOrError'; id: string; codes: ReadonlySet<string> };

export const VALIDATION_CODES: ReadonlySet<string> = new Set([
  'FormatViolation',
  'OccurrenceConstraintViolation',
  'TypeConstraintViolation',
  'PropertyConstraintViolation',
]);
const FRAMEWORK: ReadonlySet<string> = new Set(['RpcFrameworkError']);
/**
 * What a handler may answer to a schema-valid request other than a CALLRESULT: a feature it does not support for
 * these values, or a rule beyond the schema (e.g. B06.FR.17 BytesPerMessage → FormatViolation). Never InternalError.
 */
export const HANDLER_CODES: ReadonlySet<string> = new Set([
  'NotSupported',
  'GenericError',
  'SecurityError',
  ...VALIDATION_CODES,
]);

/** One end under test, as learned from the wire (probe()): which actions it handles, which valid CALLs it answers. */
export interface FuzzEnd {
  protocol: AnyProtocol;
  /** The role of the end under test. */
  role: 'cs' | 'csms';
  /** Actions it has a handler for (answers an invalid payload with a validation code, not NotSupported). */
  handled: ReadonlySet<string>;
  /** Valid CALLs it answers with a CALLRESULT: [action, payload]. */
  valid: ReadonlyArray<readonly [string, Record<string, unknown>]>;
}

/** The actions `role` receives (Part 2 directions; "both" goes either way), SEND-only ones left out. */
export function receivedActions(protocol: AnyProtocol, role: 'cs' | 'csms'): string[] {
  const incoming = role === 'cs' ? 'CSMS->CS' : 'CS->CSMS';
  return Object.entries(protocol.actions)
    .filter(([, d]) => (d.direction === incoming || d.direction === 'both') && !d.send)
    .map(([a]) => a);
}

/** The answer Part 4 prescribes for one frame (§4.2.3: "-1" when the MessageId cannot be read). */
export function oracle(end: FuzzEnd, out: Outgoing): Expect {
  const err = (id: string, codes: ReadonlySet<string> = FRAMEWORK): Expect => ({ answer: 'error', id, codes });
  // A binary frame is not an OCPP-J message (docs/rpc.md, "Incoming frames"): unreadable.
  if ('binary' in out) return err('-1');
  let m: unknown;
  try {
    const text = 'text' in out ? out.text : new TextDecoder('utf-8', { fatal: true }).decode(out.bytes);
    m = JSON.parse(text);
  } catch {
    return err('-1');
  }
  if (!Array.isArray(m) || m.length === 0) return err('-1');
  const id = typeof m[1] === 'string' && m[1].length >= 1 && m[1].length <= 36 ? m[1] : undefined;
  if (typeof m[0] !== 'number') return err(id ?? '-1');
  const v21 = end.protocol.name === 'ocpp2.1';
  const known = m[0] === 2 || m[0] === 3 || m[0] === 4 || (v21 && (m[0] === 5 || m[0] === 6));
  if (!known) return err(id ?? '-1', new Set(['MessageTypeNotSupported']));
  if (m[0] !== 2) return { answer: 'none' };
  if (id === undefined) return err('-1');
  if (m.length !== 4 || typeof m[2] !== 'string') return err(id);
  const action = m[2];
  const d = Object.hasOwn(end.protocol.actions, action) ? end.protocol.actions[action] : undefined;
  if (!d) return err(id, new Set(['NotImplemented']));
  if (!end.handled.has(action)) return err(id, new Set(['NotSupported']));
  if (!d.request(m[3])) return err(id, VALIDATION_CODES);
  return out.exact ? { answer: 'result', id } : { answer: 'resultOrError', id, codes: HANDLER_CODES };
}

const KEYS = [
  'status',
  'reason',
  'x',
  'é',
  '😀',
  '"',
  '\\',
  '\u0000',
  'customData',
  'vendorId',
  '-1',
  '__proto__',
  'constructor',
];

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

function randomValue(r: () => number, depth = 0): unknown {
  switch (Math.floor(r() * (depth > 2 ? 6 : 8))) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return Math.floor(r() * 2e9) - 1e9;
    case 3:
      return r() * 1e12;
    case 4:
      return pick(r, KEYS) + pick(r, KEYS);
    case 5:
      return '';
    case 6:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(r() * 4) }, () => [pick(r, KEYS), randomValue(r, depth + 1)]),
      );
  }
}

const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
/** A valid payload with customData (every 2.x request has it, with any extra properties) holding `inner` (JSON). */
const withCustomData = (payload: Record<string, unknown>, inner: string) => {
  const rest = JSON.stringify(payload).slice(1, -1);
  return `{${rest}${rest ? ',' : ''}"customData":{"vendorId":"fuzz","d":${inner}}}`;
};

/**
 * The frames of step `i`: usually one, two for a duplicate MessageId. Readable MessageIds are `f<i>` (unique) unless
 * duplicated on purpose.
 */
export function hostileFrames(r: () => number, i: number, end: FuzzEnd): Outgoing[] {
  const id = `f${i}`;
  const [vAction, vPayload] = pick(r, end.valid);
  const valid = JSON.stringify([2, id, vAction, vPayload]);
  const actions = Object.keys(end.protocol.actions);
  const k = r() * 100;
  const text = (t: string, what: string): Outgoing[] => [{ text: t, what }];
  const exact = (t: string, what: string): Outgoing[] => [{ text: t, what, exact: true }];
  if (k < 14) return exact(valid, 'valid CALL');
  if (k < 16)
    return exact(
      `[2,"${id}","${vAction}",${withCustomData(vPayload, deepArray(500 + Math.floor(r() * 4500)))}]`,
      'valid, customData nested deep',
    );
  // Long, but within the smallest message limit a station reports by default (BytesPerMessage 65,536).
  if (k < 17)
    return exact(
      `[2,"${id}","${vAction}",${withCustomData(vPayload, JSON.stringify('s'.repeat(10_000 + Math.floor(r() * 50_000))))}]`,
      'valid, long string in customData',
    );
  if (k < 19)
    return exact(
      `[2,"${id}","${vAction}",${withCustomData(vPayload, '"\\ud800 \\udfff \\ud83d"')}]`,
      'valid, lone surrogates escaped',
    );
  if (k < 33) {
    // Schema-invalid payloads of every action of the version (either direction).
    const action = pick(r, actions);
    const payload = pick(r, [
      { zzz: 1 },
      null,
      [],
      42,
      'x',
      { customData: 5 },
      randomValue(r),
      { customData: { vendorId: 'v' }, [pick(r, KEYS)]: randomValue(r) },
    ]);
    const t = JSON.stringify([2, id, action, payload]);
    return text(t, 'schema-invalid payload');
  }
  if (k < 36)
    return text(
      JSON.stringify([2, id, pick(r, receivedActions(end.protocol, end.role === 'cs' ? 'csms' : 'cs')), {}]),
      'wrong-direction action',
    );
  if (k < 41) {
    const base = pick(r, actions);
    const variant = pick(r, [
      base.toLowerCase(),
      base.toUpperCase(),
      `${base}Request`,
      ` ${base}`,
      `${base}.req`,
      'FlyToTheMoon',
      '',
      '__proto__',
      'constructor',
      'hasOwnProperty',
    ]);
    return text(JSON.stringify([2, id, variant === base ? `${base}X` : variant, {}]), 'unknown or case-variant action');
  }
  if (k < 46)
    return text(
      JSON.stringify([pick(r, [0, 1, 5, 6, 7, 9, -1, 2.5, 1e300, '2', null, true, [2]]), id, vAction, vPayload]),
      'wrong MessageTypeId',
    );
  if (k < 51) {
    return text(
      pick(r, [
        JSON.stringify([3, `nope-${i}`, {}]),
        JSON.stringify([4, `nope-${i}`, 'GenericError', '', {}]),
        JSON.stringify([3, '-1', {}]),
        JSON.stringify([3, 17, {}]),
      ]),
      'answer to an unknown id',
    );
  }
  if (k < 57)
    return text(
      JSON.stringify([
        2,
        pick(r, [17, '', 'x'.repeat(37), null, { id }, ['a'], `${id}-${'y'.repeat(40)}`]),
        vAction,
        vPayload,
      ]),
      'unreadable MessageId',
    );
  if (k < 61)
    return text(
      JSON.stringify(
        pick(r, [
          [2, id],
          [2, id, vAction],
          [2, id, vAction, vPayload, 'extra'],
          [2, id, 42, {}],
          [2, id, null, {}],
        ]),
      ),
      'wrong CALL shape',
    );
  if (k < 67)
    return text(
      pick(r, [
        valid.slice(0, Math.floor(r() * valid.length)),
        `${valid},`,
        `[2,'${id}']`,
        'undefined',
        'NaN',
        '{',
        '',
        ' ',
        '\u0000',
        `${valid}${valid}`,
      ]),
      'not JSON',
    );
  if (k < 70) return text(JSON.stringify(pick(r, [{}, 42, 'x', [], null, { 0: 2, 1: id }])), 'not an array');
  if (k < 73) {
    return text(
      pick(r, [
        `[2,"${id}","${vAction}",${deepObject(1000 + Math.floor(r() * 20_000))}]`,
        `[2,"${id}","${vAction}",${'['.repeat(50_000)}`,
        `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      ]),
      'deep nesting, invalid',
    );
  }
  if (k < 76) {
    const bad = pick(r, [[0xed, 0xa0, 0x80], [0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x9f, 0x98]]);
    return [
      {
        bytes: Buffer.concat([
          Buffer.from(`[2,"${id}","${vAction}",{"customData":{"vendorId":"`),
          Buffer.from(bad),
          Buffer.from('"}}]'),
        ]),
        what: 'invalid UTF-8 (or a raw lone surrogate) in a text frame',
      },
    ];
  }
  if (k < 80)
    return [
      {
        binary:
          r() < 0.5
            ? Buffer.from(valid)
            : Buffer.from(Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256))),
        what: 'binary frame',
      },
    ];
  if (k < 82) return [...exact(valid, 'duplicate MessageId'), ...exact(valid, 'duplicate MessageId')];
  // Random mutations of a valid CALL.
  const m: unknown[] = [2, id, vAction, structuredClone(vPayload)];
  for (let n = 0; n < 1 + Math.floor(r() * 2); n++) {
    const op = Math.floor(r() * 4);
    if (op === 0) m[3] = randomValue(r);
    else if (op === 1) (m[3] as Record<string, unknown>)[pick(r, KEYS)] = randomValue(r);
    else if (op === 2) m.length = Math.floor(r() * 5);
    else m[2] = pick(r, actions);
    if (m[3] === null || typeof m[3] !== 'object') break;
  }
  return text(JSON.stringify(m), 'mutated CALL');
}

/** CALLs whose MessageId is `bytes` long: unreadable, answered "-1"; what leaked in ocppkit station (issue 20 #5). */
export function overlongIdCall(i: number, bytes: number, action: string): Outgoing {
  return { text: `[2,"${String(i).padStart(8, '0')}${'i'.repeat(bytes)}","${action}",{}]`, what: 'MessageId of 1 MB' };
}

/** A valid CALL carrying `bytes` of customData: what the built-in CSMS kept in memory (issue 20 #6). */
export function bigValidCall(id: string, action: string, payload: Record<string, unknown>, bytes: number): Outgoing {
  return {
    text: `[2,"${id}","${action}",${withCustomData(payload, JSON.stringify('b'.repeat(bytes)))}]`,
    what: 'valid CALL with 1 MB customData',
  };
}
