import { describe, expect, it } from "vitest";
import { ApiFailure } from "../src/api.ts";
import { retryDelay, saveQueue } from "../src/pages/workbench/save-queue.ts";
import type { WorkItem } from "../src/pages/workbench/types.ts";

/**
 * The workbench's save queue, without a browser: a verdict shows as saved only after a 2xx, a network failure keeps
 * it pending and retried, a refusal drops it with its error, and writes go one at a time in order.
 */

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const item = (decisionId: string) => ({ sampleId: "s", decisionId, status: "done" }) as unknown as WorkItem;
const body = { outcome: "correct" } as never;

describe("the workbench's save queue", () => {
  it("keeps a verdict pending through network failures, retries it, and shows it saved only after the 2xx", async () => {
    let attempts = 0;
    saveQueue.add(
      {
        sampleId: "s",
        decisionId: "offline",
        kind: "verdict",
        send: async () => {
          attempts++;
          if (attempts < 3) throw new ApiFailure(0, "network", "the service cannot be reached");
          return item("offline");
        },
      },
      body,
    );
    await settle();
    expect(saveQueue.pending("s").map((w) => [w.decisionId, w.attempts])).toEqual([["offline", 1]]);
    expect(saveQueue.pendingFor("s", "offline")?.retryAt).toBeGreaterThan(Date.now());
    expect(saveQueue.savedItem("s", "offline", 0)).toBeUndefined();
    saveQueue.retryNow();
    await settle();
    expect(saveQueue.pendingFor("s", "offline")?.attempts).toBe(2);
    saveQueue.retryNow();
    await settle();
    expect(saveQueue.pending("s")).toEqual([]);
    expect(saveQueue.savedItem("s", "offline", 0)).toMatchObject({ decisionId: "offline" });
    expect(saveQueue.failure("s", "offline")).toBeUndefined();
  });

  it("drops a refused verdict (4xx) with its error and does not retry it", async () => {
    let attempts = 0;
    saveQueue.add({
      sampleId: "s",
      decisionId: "refused",
      kind: "verdict",
      send: async () => {
        attempts++;
        throw new ApiFailure(403, "not_assigned", "assigned to another auditor");
      },
    });
    await settle();
    expect(attempts).toBe(1);
    expect(saveQueue.pendingFor("s", "refused")).toBeUndefined();
    expect(saveQueue.failure("s", "refused")?.error).toMatchObject({ status: 403, code: "not_assigned" });
  });

  it("sends one write at a time, in the order they were made", async () => {
    const sent: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    for (const id of ["a", "b", "c"]) {
      saveQueue.add({
        sampleId: "order",
        decisionId: id,
        kind: "verdict",
        send: async () => {
          sent.push(id);
          if (id === "a") await first;
          return item(id);
        },
      });
    }
    await settle();
    expect(sent).toEqual(["a"]);
    release();
    for (let i = 0; i < 5; i++) await settle();
    expect(sent).toEqual(["a", "b", "c"]);
    expect(saveQueue.pending("order")).toEqual([]);
  });

  it("backs off 1 s, 2 s, 4 s … up to 30 s, each within ±20 %", () => {
    expect([1, 2, 3, 6, 10].map((n) => retryDelay(n, () => 0.5))).toEqual([1000, 2000, 4000, 30_000, 30_000]);
    expect(retryDelay(1, () => 0)).toBe(800);
    expect(retryDelay(1, () => 1)).toBe(1200);
  });
});
