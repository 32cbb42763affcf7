// The requirement-status tooling behind docs/status/ocpp-2.x.md.
//
//   node --import tsx scripts/requirements.ts extract   reads the OCA Part 2 / Part 6 text at OCPP_SPEC_DIR and writes
//                                                        spec/requirements/<version>.json: requirement IDs, their use
//                                                        case, which side must act, and the Part 6 test cases with the
//                                                        IDs they cover. Derived data only: no requirement text.
//   node --import tsx scripts/requirements.ts status    writes docs/status/ocpp-2.x.md from those lists, the tests that
//                                                        name an ID, and spec/requirements/notes.json.
//   node --import tsx scripts/requirements.ts check     fails if docs/status/ocpp-2.x.md is stale.
//
// The same three commands also cover OCPP 1.6 (scripts/octt16.ts): spec/requirements/ocpp1.6.json lists the
// charge-point test cases of the OCTT 1.6 document, docs/status/ocpp-1.6.md says which test runs each one.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { extractOctt16, renderStatus16, type OcttList } from './octt16.js';

const root = resolve(import.meta.dirname, '..');
const specDir = resolve(root, process.env.OCPP_SPEC_DIR ?? '../shared/ocpp-spec');

export type Actor = 'CS' | 'CSMS' | 'both' | 'other';
export interface Requirement {
  id: string;
  useCase: string;
  actor: Actor;
}
export interface TestCase {
  id: string;
  name: string;
  requirements: string[];
}
export interface RequirementList {
  version: 'ocpp2.0.1' | 'ocpp2.1';
  source: { part2: string; part2Sha256: string; part6?: string; part6Sha256?: string };
  useCases: Record<string, string>;
  requirements: Requirement[];
  testCases: TestCase[];
}

const SOURCES = {
  'ocpp2.0.1': {
    part2: 'docs/v201/OCPP-2.0.1_edition3_part2_specification_2024-05-06.ocr.md',
    part6: 'docs/v201/OCPP-2.0.1_edition3_part6_test_cases_2024-05-06.txt',
  },
  'ocpp2.1': { part2: 'docs/v21/OCPP-2.1_edition1_part2_specification_2025-01-23.ocr.md', part6: undefined },
} as const;

/** The OCR renders block O's IDs with a zero (`001.FR.02` for `O01.FR.02`). */
const normalizeId = (id: string) => (id.startsWith('0') ? `O${id.slice(1)}` : id);
const ID = /^[A-S0][0-9]{2}\.FR\.[0-9]+$/;

/** Who a requirement obliges: the subject(s) before the first modal verb of its definition. */
export function actorOf(definition: string): Actor {
  const text = definition.replace(/<[^>]+>/g, ' ');
  const modal = text.search(/\b(SHALL|SHOULD|MUST|MAY)\b/);
  const subject = modal >= 0 ? text.slice(0, modal) : text;
  const cs = /\b(Charging Station|EVSE|Connector|Local Controller)\b/i.test(subject);
  const csms = /\bCSMS\b/.test(subject);
  if (cs && csms)
    return /\band\b/i.test(subject)
      ? 'both'
      : /\bCSMS\b/.test(subject.split(/\b(Charging Station|EVSE)\b/)[0] ?? '')
        ? 'CSMS'
        : 'CS';
  if (cs) return 'CS';
  if (csms) return 'CSMS';
  return 'other';
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function extract(version: keyof typeof SOURCES): RequirementList {
  const src = SOURCES[version];
  const part2 = readFileSync(join(specDir, src.part2), 'utf8');
  const useCases: Record<string, string> = {};
  const requirements = new Map<string, Requirement>();
  let current = '';
  for (const line of part2.split('\n')) {
    const heading = line.match(/^#+\s+([A-S0][0-9]{2})\s+-\s+(.+?)\s*$/);
    if (heading) {
      current = normalizeId(heading[1]!);
      const title = heading[2]!.replace(/\s+-\s+Requirements$/, '').trim();
      if (!/ Requirements$/.test(heading[2]!) && !useCases[current]) useCases[current] = title;
      continue;
    }
    for (const row of line.split('<tr>')) {
      const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
      // 2.1 marks its new requirements in 2.0.1's use cases with a suffix: `A02.FR.24 (2.1)`.
      const id = cells[0]?.trim().replace(/\s*\(2\.1\)$/, '');
      if (!id || !ID.test(id)) continue;
      const norm = normalizeId(id);
      if (requirements.has(norm)) continue;
      requirements.set(norm, { id: norm, useCase: norm.slice(0, 3), actor: actorOf(cells[2] ?? '') });
    }
  }
  const testCases: TestCase[] = [];
  if (src.part6) {
    const part6 = readFileSync(join(specDir, src.part6), 'utf8');
    const blocks = part6.split(/Table \d+\. Test Case Id: /).slice(1);
    for (const block of blocks) {
      const id = block.match(/^(TC_[A-Z]+_[0-9]+_CS)\b/)?.[1];
      if (!id || testCases.some((t) => t.id === id)) continue;
      const name = block.match(/Test case name\s+(.+)/)?.[1]?.trim() ?? '';
      // The Requirement(s) cell can wrap onto following lines until the next field label.
      const reqCell = block.match(/Requirement\(s\)\s+([\s\S]*?)\n(?:System under test|Description)/)?.[1] ?? '';
      const reqs = [...new Set([...reqCell.matchAll(/[A-S0][0-9]{2}\.FR\.[0-9]+/g)].map((m) => normalizeId(m[0])))];
      testCases.push({ id, name, requirements: reqs });
    }
  }
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id, 'en', { numeric: true });
  return {
    version,
    source: {
      part2: src.part2,
      part2Sha256: sha256(join(specDir, src.part2)),
      ...(src.part6 ? { part6: src.part6, part6Sha256: sha256(join(specDir, src.part6)) } : {}),
    },
    useCases: Object.fromEntries(Object.entries(useCases).sort(([a], [b]) => a.localeCompare(b))),
    requirements: [...requirements.values()].sort(byId),
    testCases: testCases.sort(byId),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Status table

export interface TestRef {
  file: string;
  name: string;
}

/** Test names (the literal first argument of `test(`) per file; template-literal names keep their static text. */
export function listTestNames(dir = join(root, 'test')): TestRef[] {
  const out: TestRef[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.test.ts')) {
        const src = readFileSync(p, 'utf8');
        for (const m of src.matchAll(/(?<![\w.$])test(?:\.only)?\((?:[ \t]*\n\s*)?(['"`])((?:\\.|(?!\1).)*)\1/g)) {
          out.push({ file: relative(root, p), name: m[2]! });
        }
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

interface Note {
  status: 'partial' | 'not applicable' | 'not supported' | 'optional, not implemented';
  why: string;
}

const STATUS_DOC = join(root, 'docs/status/ocpp-2.x.md');
const STATUS_DOC_16 = join(root, 'docs/status/ocpp-1.6.md');
const LIST_16 = join(root, 'spec/requirements/ocpp1.6.json');
const NOTES = join(root, 'spec/requirements/notes.json');

export function loadLists(): RequirementList[] {
  return (['ocpp2.0.1', 'ocpp2.1'] as const).map(
    (v) => JSON.parse(readFileSync(join(root, `spec/requirements/${v}.json`), 'utf8')) as RequirementList,
  );
}

export function renderStatus(lists: RequirementList[], tests: TestRef[], notes: Record<string, Note>): string {
  const [v201, v21] = lists as [RequirementList, RequirementList];
  const in201 = new Map(v201.requirements.map((r) => [r.id, r]));
  const in21 = new Map(v21.requirements.map((r) => [r.id, r]));
  const ids = [...new Set([...in201.keys(), ...in21.keys()])].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const testsFor = (id: string) =>
    tests.filter((t) => new RegExp(`(^|[^\\w.])${id.replace(/\./g, '\\.')}(?![\\d])`).test(t.name));
  const useCaseName = (uc: string) =>
    v21.useCases[uc] ?? v201.useCases[uc] ?? (uc.endsWith('00') ? '(general requirements of the block)' : '');
  const counts = { tested: 0, cs: 0, csms: 0, noted: 0 };
  const rows: string[] = [];
  let block = '';
  let useCase = '';
  for (const id of ids) {
    const r = in21.get(id) ?? in201.get(id)!;
    if (id[0] !== block) {
      block = id[0]!;
      rows.push(`\n## ${block}\n\n| Requirement | 2.0.1 | 2.1 | Side | Status | Tests |\n|---|---|---|---|---|---|`);
    }
    if (r.useCase !== useCase) {
      useCase = r.useCase;
      rows.push(`| **${useCase}** ${useCaseName(useCase)} | | | | | |`);
    }
    const covering = testsFor(id);
    const note = notes[id];
    let status: string;
    if (covering.length) {
      status = note?.status === 'partial' ? `partial: ${note.why}` : 'implemented';
      counts.tested++;
    } else if (note) {
      status = `${note.status}: ${note.why}`;
      counts.noted++;
    } else if (r.actor === 'CSMS') {
      status = 'CSMS side';
      counts.csms++;
    } else {
      status = 'not yet';
      counts.cs++;
    }
    const where = covering.map((t) => `\`${t.file}\` › ${t.name.replace(/\|/g, '\\|')}`).join('<br>');
    rows.push(
      `| ${id} | ${in201.has(id) ? '✓' : ''} | ${in21.has(id) ? '✓' : ''} | ${r.actor} | ${status} | ${where} |`,
    );
  }
  const tcRows = v201.testCases.map((tc) => {
    const covering = tests.filter((t) => new RegExp(`\\b${tc.id}\\b`).test(t.name));
    return `| ${tc.id} | ${tc.name.replace(/\|/g, '\\|')} | ${tc.requirements.join(', ')} | ${covering.map((t) => `\`${t.file}\` › ${t.name.replace(/\|/g, '\\|')}`).join('<br>')} |`;
  });
  const tcDone = v201.testCases.filter((tc) => tests.some((t) => new RegExp(`\\b${tc.id}\\b`).test(t.name))).length;
  return `# OCPP 2.0.1 and 2.1: requirement status

Generated by \`make status\` (scripts/requirements.ts) from the requirement IDs of the OCA specifications (2.0.1
Edition 3 Part 2; 2.1 Edition 1 Part 2; 2.0.1 Edition 3 Part 6), the test names in \`test/\`, and
\`spec/requirements/notes.json\`. Do not edit by hand: a test fails when this file is stale or names a test that does
not exist.

- **implemented**: a test whose name contains the requirement ID exercises it (listed in the last column).
- **CSMS side**: the requirement obliges the CSMS, not the charging station (the RPC server and the built-in CSMS
  may still honour it; such tests are listed when they name the ID).
- **not yet**: a charging-station requirement ocppkit does not claim yet.
- **Side** is derived from the subject of the requirement's first SHALL/SHOULD/MAY: CS, CSMS, both, or other.

| | count |
|---|---|
| requirement IDs (2.0.1 ∪ 2.1) | ${ids.length} |
| implemented (named by a test) | ${counts.tested} |
| with a note (partial, not applicable, …) | ${counts.noted} |
| CSMS side | ${counts.csms} |
| charging-station side, not yet | ${counts.cs} |
| Part 6 charging-station test cases with a test named after them | ${tcDone} of ${v201.testCases.length} |
${rows.join('\n')}

## Part 6 test cases (2.0.1 Edition 3, charging station)

| Test case | Name | Requirements | Tests |
|---|---|---|---|
${tcRows.join('\n')}
`;
}

export function loadList16(): OcttList {
  return JSON.parse(readFileSync(LIST_16, 'utf8')) as OcttList;
}

function loadNotes(): Record<string, Note> {
  return existsSync(NOTES) ? (JSON.parse(readFileSync(NOTES, 'utf8')) as Record<string, Note>) : {};
}

function statusNow(): string {
  return renderStatus(loadLists(), listTestNames(), loadNotes());
}

function status16Now(): string {
  return renderStatus16(loadList16(), listTestNames(), loadNotes());
}

/** One line per requirement / test case, so diffs of the derived lists stay readable. */
function compactJson(list: RequirementList): string {
  const lines = (xs: unknown[]) => xs.map((x) => `    ${JSON.stringify(x)}`).join(',\n');
  return `{
  "version": ${JSON.stringify(list.version)},
  "source": ${JSON.stringify(list.source)},
  "useCases": ${JSON.stringify(list.useCases, null, 4).replace(/\n}$/, '\n  }')},
  "requirements": [
${lines(list.requirements)}
  ],
  "testCases": [
${lines(list.testCases)}
  ]
}
`;
}

function main(cmd: string | undefined): number {
  if (cmd === 'extract') {
    for (const v of ['ocpp2.0.1', 'ocpp2.1'] as const) {
      const list = extract(v);
      const out = join(root, `spec/requirements/${v}.json`);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, compactJson(list));
      console.log(
        `${relative(root, out)}: ${list.requirements.length} requirements, ${Object.keys(list.useCases).length} use cases, ${list.testCases.length} test cases`,
      );
    }
    const list16 = extractOctt16(specDir);
    writeFileSync(LIST_16, `${JSON.stringify(list16, null, 2)}\n`);
    console.log(`${relative(root, LIST_16)}: ${list16.testCases.length} charge-point test cases`);
    return 0;
  }
  const docs: Array<[string, () => string]> = [
    [STATUS_DOC, statusNow],
    [STATUS_DOC_16, status16Now],
  ];
  if (cmd === 'status') {
    for (const [doc, render] of docs) {
      mkdirSync(dirname(doc), { recursive: true });
      writeFileSync(doc, render());
      console.log(`wrote ${relative(root, doc)}`);
    }
    return 0;
  }
  if (cmd === 'check') {
    let stale = 0;
    for (const [doc, render] of docs) {
      const committed = existsSync(doc) ? readFileSync(doc, 'utf8') : '';
      if (render() === committed) continue;
      console.error(`${relative(root, doc)} is stale: run \`make status\``);
      stale++;
    }
    return stale ? 1 : 0;
  }
  console.error('usage: scripts/requirements.ts extract|status|check');
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv[2]));
