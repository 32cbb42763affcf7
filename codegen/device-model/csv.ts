// Reading the OCA appendix CSVs: `;`-separated, a header row, cells padded with stray spaces, quoted cells that may
// hold `;`, `""` and line breaks. Their encoding is not uniform: the 2.1 appendix v2.0 `dm_components_vars.csv` mixes
// UTF-8 lines with Windows-1252 lines, so decoding is decided per line (decoding the whole file as Windows-1252
// would turn its valid UTF-8 lines into mojibake and report description changes that are not there).

export interface CsvRecord {
  /** 1-based line number in the file where the record starts. */
  line: number;
  /** Trimmed cells. */
  cells: string[];
}

export interface CsvTable {
  /** Trimmed header cells. */
  header: string[];
  records: CsvRecord[];
  /** 'utf-8', or 'utf-8+windows-1252' when some lines were not valid UTF-8. */
  encoding: 'utf-8' | 'utf-8+windows-1252';
  /** Human-readable problems found while decoding or splitting (no exceptions: bad input is reported). */
  warnings: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Windows-1252 by hand: Node 20.18.3+ and 22.13+ decode `new TextDecoder('windows-1252')` as Latin-1, so 0x93 comes out
// as the control character U+0093 instead of “ (nodejs/node#60888, #56542). Bytes 0x80–0x9F per the WHATWG index;
// the five bytes the code page leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the same
// value, as WHATWG says: nothing is lost, and we warn about them. Every other byte is Latin-1.
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const UNDEFINED_IN_CP1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80]! : b);
  return out;
}

/** Decodes line by line: valid UTF-8 as UTF-8, anything else as Windows-1252 with a warning naming the lines. */
export function decodeLines(
  bytes: Uint8Array,
  file: string,
): { text: string; encoding: CsvTable['encoding']; warnings: string[] } {
  let start = 0;
  // A UTF-8 byte-order mark is not content.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const lines: string[] = [];
  const fallback: number[] = [];
  const undefinedBytes: string[] = [];
  let lineNo = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    lineNo++;
    const raw = bytes.subarray(start, end);
    try {
      lines.push(utf8.decode(raw));
    } catch {
      fallback.push(lineNo);
      for (const b of raw) {
        const hex = b.toString(16).toUpperCase();
        if (UNDEFINED_IN_CP1252.has(b))
          undefinedBytes.push(`0x${hex} on line ${lineNo} is undefined there and kept as U+00${hex}`);
      }
      lines.push(decodeWindows1252(raw));
    }
    start = end + 1;
  }
  const warnings: string[] = [];
  if (fallback.length > 0) {
    warnings.push(
      `${file}: not valid UTF-8; line${fallback.length > 1 ? 's' : ''} ${fallback.join(', ')} decoded as Windows-1252` +
        (undefinedBytes.length > 0 ? ` (${undefinedBytes.join('; ')})` : ''),
    );
  }
  return {
    text: lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).join('\n'),
    encoding: fallback.length ? 'utf-8+windows-1252' : 'utf-8',
    warnings,
  };
}

/** Splits `;`-separated text with RFC 4180-style quoting. Blank records are skipped (they carry nothing). */
export function splitRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) records.push({ line: recordLine, cells: cells.map((c) => c.trim()) });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (ch === ';') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n') {
      endRecord();
      line++;
      recordLine = line;
    } else cell += ch;
  }
  endRecord();
  return records;
}

/** Decodes and parses one CSV file; rows whose cell count differs from the header's are reported, not dropped. */
export function parseCsv(bytes: Uint8Array, file: string): CsvTable {
  const decoded = decodeLines(bytes, file);
  const [head, ...records] = splitRecords(decoded.text);
  const warnings = [...decoded.warnings];
  const header = head?.cells ?? [];
  for (const r of records) {
    if (r.cells.length > header.length) {
      const extra = r.cells.slice(header.length);
      if (extra.some((c) => c !== ''))
        warnings.push(
          `${file} line ${r.line}: ${r.cells.length} cells, header has ${header.length}; extra cells ignored`,
        );
    }
    while (r.cells.length < header.length) r.cells.push('');
  }
  return { header, records, encoding: decoded.encoding, warnings };
}

/** Index of a header column by name, case- and space-insensitively (`Required?`, `Reason code`); -1 when absent. */
export function column(table: CsvTable, ...names: string[]): number {
  const norm = (s: string) => s.toLowerCase().replace(/[\s?]/g, '');
  const wanted = names.map(norm);
  return table.header.findIndex((h) => wanted.includes(norm(h)));
}
