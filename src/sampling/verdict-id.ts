import { createHash } from "node:crypto";

/**
 * The id of the audit that records the verdict on one drawn item: `v-` and the first 32 hex digits of
 * SHA-256(sampleId, NUL, decisionId). Deterministic, so a verdict sent twice (a retried request, a second tab,
 * the same row uploaded back from the audit template) is the same audit, never a second one; fixed length and
 * starting with a letter, so no spreadsheet reads it as a number or a date.
 * @example verdictAuditId("5f0c…", "dec-00042") // "v-3b1e…" (34 characters)
 */
export function verdictAuditId(sampleId: string, decisionId: string): string {
  const digest = createHash("sha256").update(sampleId).update("\0").update(decisionId).digest("hex");
  return `v-${digest.slice(0, 32)}`;
}
