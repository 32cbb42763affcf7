// The generated validators check `date-time` and count string lengths with our own runtime
// (templates/validator-runtime.cjs, copied to generated/<v>/validators/_runtime.cjs) instead of loading
// ajv-formats and ajv at run time. It must accept exactly what ajv-formats' date-time and ajv's ucs2length accept,
// or our verdicts would differ from a runtime-compiled ajv's. Checked here over a corpus of edge cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ours = require('../../generated/v201/validators/_runtime.cjs') as {
  ucs2length: (s: string) => number;
  formats: Record<string, (s: string) => boolean>;
};
const ajvFormats = (
  require('ajv-formats/dist/formats') as {
    fullFormats: Record<string, { validate: (s: string) => boolean } | ((s: string) => boolean)>;
  }
).fullFormats;
const ajvDateTime = (ajvFormats['date-time'] as { validate: (s: string) => boolean }).validate;
const ajvUcs2length = (require('ajv/dist/runtime/ucs2length') as { default: (s: string) => number }).default;

const dates = [
  '2025-03-14T17:30:00Z',
  '2025-03-14T17:30:00.123Z',
  '2025-03-14T17:30:00.123456789Z',
  '2025-03-14t17:30:00z',
  '2025-03-14 17:30:00Z',
  '2025-03-14\t17:30:00Z',
  '2025-03-14T17:30:00+01:00',
  '2025-03-14T17:30:00-05:30',
  '2025-03-14T17:30:00+0100',
  '2025-03-14T17:30:00+01',
  '2025-03-14T17:30:00',
  '2025-03-14T17:30Z',
  '2025-03-14',
  '2025-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2025-02-30T10:00:00Z',
  '2025-04-31T00:00:00Z',
  '2025-13-01T00:00:00Z',
  '2025-00-10T00:00:00Z',
  '2025-01-00T00:00:00Z',
  '2025-12-31T24:00:00Z',
  '2025-12-31T23:60:00Z',
  '2025-12-31T23:59:60Z',
  '2025-12-31T23:59:60.5Z',
  '2025-12-31T23:59:61Z',
  '2025-06-30T22:59:60-01:00',
  '2025-06-30T23:59:60+00:30',
  '2025-07-01T00:59:60+01:00',
  '2025-12-31T23:59:59.999Z',
  '2025-03-14T17:30:00+24:00',
  '2025-03-14T17:30:00+23:60',
  '2025-03-14T17:30:00+23:59',
  '2025-03-14T17:30:00.Z',
  '2025-03-14T17:30:00,5Z',
  '2025-3-14T17:30:00Z',
  '20250-03-14T17:30:00Z',
  ' 2025-03-14T17:30:00Z',
  '2025-03-14T17:30:00Z ',
  '2025-03-14TT17:30:00Z',
  'yesterday',
  '',
  'T',
  '2025-03-14T17:30:00ZZ',
  '2025-03-14T17:30:00+01:00:00',
  '２０２５-03-14T17:30:00Z',
  '2025-03-14T1７:30:00Z',
  '2025-03-14\n17:30:00Z',
  '2025-03-14\u00a017:30:00Z',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  // The character-by-character reader's own edges: every Unicode space \s knows (and one it no longer does), a cut
  // offset, fractions that round to the next second as numbers, a leap second written with an offset and a fraction.
  '2025-03-14\u202817:30:00Z',
  '2025-03-14\ufeff17:30:00Z',
  '2025-03-14\u300017:30:00Z',
  '2025-03-14\u180e17:30:00Z',
  '2025-03-14\u000b17:30:00Z',
  '2025-03-14T17:30:00+01:',
  '2025-03-14T17:30:00+01:0',
  '2025-03-14T17:30:00+1',
  '2025-03-14T17:30:00+',
  '2025-03-14T17:30:00.5+01',
  '2025-01-01T10:00:59.99999999999999999Z',
  '2025-12-31T23:59:60.99999999999999999Z',
  '2025-12-31T23:59:60.9999999999999Z',
  '2025-07-01T00:59:60.25+01:00',
  '2025-07-01T00:59:60.25+0100',
  '2025-03-14T17:30:5.0Z',
  '2025-03-14T17:30:00.0000000000000000000000000000001Z',
  '2025-03-14T17:30:00.5.5Z',
  '2025-03-14T17:30:00Z\u0000',
];

/** Deterministic pseudo-random strings near valid date-times: each of a few valid ones with 1–3 characters replaced, inserted or deleted. */
function mutations(count: number): string[] {
  let seed = 20251124;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
  const alphabet = '0123456789-:Tt Zz+.,\u00a0\u2028\n5960';
  const valid = [
    '2025-03-14T17:30:00.000Z',
    '2024-02-29T23:59:60+00:00',
    '2025-12-31T23:59:59.999-01:30',
    '2016-12-31T23:59:60Z',
    '2025-06-30T22:59:60-0100',
    '2025-03-14t17:30:00+01',
  ];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let s = valid[k % valid.length]!;
    for (let m = 1 + Math.floor(random() * 3); m > 0; m--) {
      const i = Math.floor(random() * (s.length + 1));
      const c = alphabet[Math.floor(random() * alphabet.length)]!;
      const op = random();
      s =
        op < 0.5
          ? s.slice(0, i) + c + s.slice(i + 1)
          : op < 0.75
            ? s.slice(0, i) + c + s.slice(i)
            : s.slice(0, i) + s.slice(i + 1);
    }
    out.push(s);
  }
  return out;
}

test('date-time: our check agrees with ajv-formats (full mode) on every edge case of the corpus', () => {
  for (const s of dates) assert.is(ours.formats['date-time']!(s), ajvDateTime(s), JSON.stringify(s));
});

test('date-time: our check agrees with ajv-formats on 50,000 mutations of valid date-times (both verdicts occur)', () => {
  let accepted = 0;
  for (const s of mutations(50_000)) {
    const verdict = ours.formats['date-time']!(s);
    assert.is(verdict, ajvDateTime(s), JSON.stringify(s));
    if (verdict) accepted++;
  }
  assert.ok(accepted > 1000 && accepted < 49_000, `accepted ${accepted}`);
});

test('date-time: the corpus holds both verdicts (a check that always agreed by accepting everything would fail here)', () => {
  const verdicts = new Set(dates.map((s) => ours.formats['date-time']!(s)));
  assert.equal([...verdicts].sort(), [false, true]);
});

test('uri: delegated to ajv-formats, loaded on first use', () => {
  const uri = ajvFormats.uri as (s: string) => boolean;
  for (const s of [
    'https://example.com/fw.bin',
    'ftp://user@host:21/a?b#c',
    'not a uri',
    '/relative/path',
    'urn:isbn:123',
  ]) {
    assert.is(ours.formats.uri!(s), uri(s), s);
  }
});

test('string length counts code points like ajv: a surrogate pair is one character, a lone surrogate one too', () => {
  const strings = [
    '',
    'abc',
    'x'.repeat(300),
    '€uro',
    '𝄞',
    'a𝄞b𝄞',
    '\uD834',
    '\uDD1E',
    '\uD834x',
    '\uDD1E\uD834',
    '😀😀😀',
    '\uD83D\uD83D\uDE00',
  ];
  for (const s of strings) assert.is(ours.ucs2length(s), ajvUcs2length(s), JSON.stringify(s));
  assert.is(ours.ucs2length('😀😀😀'), 3);
});

test.run();
