/**
 * The demo's feedback loop (issue 14): which policy a wrong-policy error should have applied (so the confusion
 * matrix shows a real pattern), a small child-safety queue whose severe misses fire the critical-error rule,
 * moderator keys, and disputes in every state. Every choice here draws from random streams of its own, so the
 * rest of the demo's data (scripts/demo.ts) is what it was before.
 */

/** mulberry32: a small deterministic generator, seeded from text. */
export function random(seedText: string): () => number {
  let h = 1779033703 ^ seedText.length;
  for (let i = 0; i < seedText.length; i++) {
    h = Math.imul(h ^ seedText.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The policy a wrong-policy error should have applied, by the policy that was applied: hate speech and
 * harassment are mostly confused with each other (the pattern a policy team would act on), the rest spread.
 */
const CONFUSED_WITH: Record<string, readonly [string, number][]> = {
  "HS-2.0": [
    ["HR-1.4", 0.6],
    ["VC-1.1", 0.25],
    ["SP-3.2", 0.15],
  ],
  "HS-2.1": [
    ["HR-1.4", 0.7],
    ["VC-1.1", 0.2],
    ["SP-3.2", 0.1],
  ],
  "HR-1.4": [
    ["HS-2.1", 0.65],
    ["VC-1.1", 0.25],
    ["SP-3.2", 0.1],
  ],
  "SP-3.2": [
    ["HR-1.4", 0.5],
    ["HS-2.1", 0.3],
    ["VC-1.1", 0.2],
  ],
  "VC-1.1": [
    ["HS-2.1", 0.45],
    ["HR-1.4", 0.4],
    ["CS-1.0", 0.15],
  ],
  "CS-1.0": [
    ["VC-1.1", 0.7],
    ["HR-1.4", 0.3],
  ],
};

/** The correct policy of a wrong-policy error of audit `id` that applied `applied` (from the audit's own stream). */
export function correctPolicyOf(id: string, applied: string): string | undefined {
  const choices = CONFUSED_WITH[applied];
  if (!choices) return undefined;
  let r = random(`${id}/correct-policy`)();
  for (const [policy, share] of choices) {
    if (r < share) return policy;
    r -= share;
  }
  return choices.at(-1)![0];
}

export const CHILD_SAFETY_QUEUE = "child-safety";

/** The critical-error rule of the demo: any severity-4 false negative in the child-safety queue. */
export const CRITICAL_RULE = {
  name: "Child safety: severity-4 false negative",
  condition: { kind: "audit", minSeverity: 4, errorTypes: ["false-negative"], queues: [CHILD_SAFETY_QUEUE] },
  severity: "critical",
} as const;

/** The demo's HTTP client: `key` defaults to the admin key; a non-2xx answer throws (with `status`). */
export type DemoCall = <T>(
  method: string,
  path: string,
  options?: { json?: unknown; body?: string; type?: string; key?: string },
) => Promise<T>;

export interface FeedbackDemo {
  moderatorKey: string;
  moderator: string;
  disputes: Record<string, number>;
  read: number;
}

interface Finding {
  auditId: string;
  outcome: string;
  errorType: string | null;
  severity: number | null;
  disputable: boolean;
}

/**
 * Moderator keys, findings read and disputes in every state on `moderator`'s recent errors: one left open, one
 * upheld by the second review, one escalated to the leads, one overturned by a lead (a revision of the audit).
 * Disputes are only possible inside MODQC_DISPUTE_WINDOW, so a re-run on an old dataset adds none (said).
 */
export async function runFeedbackDemo(
  call: DemoCall,
  keys: { lead: string; auditors: Record<string, string> },
  makeKey: (role: string, name: string, extra: Record<string, string>) => Promise<string>,
  log: (line: string) => void,
): Promise<FeedbackDemo> {
  const moderator = "mod-07";
  // Targets: child safety is held to a stricter error rate; the other queues use MODQC_TARGET_ERROR_RATE.
  await call("PUT", `/v1/targets/${CHILD_SAFETY_QUEUE}`, { key: keys.lead, json: { target: 0.02 } });
  await call("PUT", "/v1/targets/spam", { key: keys.lead, json: { target: 0.03 } });
  const moderatorKey = await makeKey("moderator", `moderator ${moderator}`, { moderator });
  await makeKey("moderator", "moderator mod-23", { moderator: "mod-23" });
  const disputes: Record<string, number> = { open: 0, upheld: 0, escalated: 0, overturned: 0 };
  const existing = await call<{ disputes: { state: string }[] }>(
    "GET",
    `/v1/disputes?moderator=${moderator}&limit=100`,
    { key: keys.lead },
  );
  for (const dispute of existing.disputes) disputes[dispute.state] = (disputes[dispute.state] ?? 0) + 1;
  const { findings } = await call<{ findings: Finding[] }>("GET", "/v1/findings?limit=20", {
    key: moderatorKey,
  });
  const candidates = findings.filter((finding) => finding.disputable);
  const reasons = [
    "맥락상 풍자 게시물이라 정책 위반이 아니라고 판단했습니다.",
    "The slur was quoted in a news report, which the policy allows.",
    "신고된 계정의 이전 게시물과 혼동된 것 같습니다.",
    "The image was already blurred by the uploader; I applied the newer guidance.",
  ];
  const plan = existing.disputes.length > 0 ? [] : (["open", "upheld", "escalated", "overturned"] as const);
  for (const [i, goal] of plan.entries()) {
    const finding = candidates[i];
    if (!finding) break;
    const opened = await call<{ id: string }>(
      "POST",
      `/v1/audits/${encodeURIComponent(finding.auditId)}/disputes`,
      {
        key: moderatorKey,
        json: { reason: reasons[i] },
      },
    );
    if (goal !== "open") {
      const { reviewer } = await call<{ reviewer: string }>("GET", `/v1/disputes/${opened.id}`, {
        key: keys.lead,
      });
      const review =
        goal === "upheld"
          ? { outcome: finding.outcome, errorType: finding.errorType, severity: finding.severity }
          : { outcome: "correct", notes: "재검토: 정책 예외(보도 목적 인용)에 해당합니다." };
      await call("PUT", `/v1/disputes/${opened.id}/review`, { key: keys.auditors[reviewer], json: review });
      if (goal === "overturned") {
        await call("POST", `/v1/disputes/${opened.id}/decision`, {
          key: keys.lead,
          json: {
            final: "overturned",
            note: "Second review is right: news quotation is allowed (HS-2.1 §4).",
          },
        });
      }
    }
    disputes[goal]++;
  }
  const disputed = new Set(candidates.slice(0, plan.length).map((finding) => finding.auditId));
  let read = 0;
  for (const finding of findings.filter((f) => !disputed.has(f.auditId)).slice(0, 4)) {
    await call("POST", `/v1/audits/${encodeURIComponent(finding.auditId)}/ack`, { key: moderatorKey });
    read++;
  }
  const made = plan.length === 0 ? "kept from an earlier run" : `${candidates.length} disputable findings`;
  log(
    `feedback: moderator keys for ${moderator} and mod-23; disputes ${Object.entries(disputes)
      .map(([state, count]) => `${count} ${state}`)
      .join(", ")} (${made}); ${read} findings marked read`,
  );
  return { moderatorKey, moderator, disputes, read };
}
