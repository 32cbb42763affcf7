// Splits report data into NotifyReportRequest parts (B07.FR.03/B08.FR.03: "one or more"): every part carries
// the request's requestId (B07.FR.04, B08.FR.04), seqNo counts from 0 (B07.FR.10, B08.FR.14), tbc is true on
// every part but the last, and each part stays within the item and byte limits. Bytes are those of the whole
// OCPP-J CALL frame `[2,"<id>","NotifyReport",{…}]` with a message id of 36 characters (a UUID; the longest the
// RPC layer sends), measured as UTF-8 JSON — what the CSMS receives.
import type { NotifyReportRequest, ReportDataType, ReportLimits } from './types.js';

const FRAME_OVERHEAD = Buffer.byteLength(JSON.stringify([2, 'x'.repeat(36), 'NotifyReport', {}]), 'utf8') - 2;

/** Bytes of the frame of a part with these items, computed without serializing the whole part again. */
function baseBytes(requestId: number, generatedAt: string, seqNo: number): number {
  return (
    FRAME_OVERHEAD +
    Buffer.byteLength(JSON.stringify({ requestId, generatedAt, reportData: [], tbc: false, seqNo }), 'utf8')
  );
}

/**
 * The parts of one report. No data gives one part without reportData. An entry too large for `maxBytes` on its
 * own goes alone into its part (entries are never split or dropped; with ReportingValueSize ≤ 2500 and a
 * BytesPerMessage of a few kilobytes this does not happen).
 */
export function reportParts(
  data: readonly ReportDataType[],
  requestId: number,
  generatedAt: string,
  limits: ReportLimits,
): NotifyReportRequest[] {
  const maxItems = Math.max(1, Math.floor(limits.maxItems));
  const maxBytes = Math.max(1, Math.floor(limits.maxBytes));
  const groups: ReportDataType[][] = [];
  let current: ReportDataType[] = [];
  let bytes = 0;
  for (const entry of data) {
    const size = Buffer.byteLength(JSON.stringify(entry), 'utf8');
    // `tbc: true` is one byte shorter than `tbc: false`, so sizing with false bounds both.
    const start = baseBytes(requestId, generatedAt, groups.length);
    const next = current.length === 0 ? start + size : bytes + 1 + size;
    if (current.length > 0 && (current.length >= maxItems || next > maxBytes)) {
      groups.push(current);
      current = [entry];
      bytes = baseBytes(requestId, generatedAt, groups.length) + size;
    } else {
      current.push(entry);
      bytes = next;
    }
  }
  if (current.length > 0 || groups.length === 0) groups.push(current);
  return groups.map((reportData, seqNo) => ({
    requestId,
    generatedAt,
    ...(reportData.length > 0 ? { reportData } : {}),
    tbc: seqNo < groups.length - 1,
    seqNo,
  }));
}
