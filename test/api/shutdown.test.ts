import { describe, expect, it } from "vitest";
import { startChildServer } from "../child-server.ts";

describe("graceful shutdown", () => {
  it("SIGTERM stops accepting, finishes the request in flight, closes the database and exits 0", async () => {
    const server = await startChildServer();
    try {
      const encoder = new TextEncoder();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // An upload whose body is still arriving when the signal comes.
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(
            encoder.encode(
              `${JSON.stringify({ id: "a-1", decisionId: "d-1", queue: "q", moderator: "m", auditor: "alice", outcome: "correct", auditedAt: "2026-11-24T09:30:00Z" })}\n`,
            ),
          );
          await held;
          controller.enqueue(
            encoder.encode(
              `${JSON.stringify({ id: "a-2", decisionId: "d-2", queue: "q", moderator: "m", auditor: "alice", outcome: "correct", auditedAt: "2026-11-24T09:31:00Z" })}\n`,
            ),
          );
          controller.close();
        },
      });
      const inFlight = fetch(`${server.url}/v1/audits`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/x-ndjson" },
        body,
        duplex: "half",
      } as RequestInit);
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<number | null>((resolve) =>
        server.child.once("exit", (code) => resolve(code)),
      );
      server.child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 300));
      await expect(fetch(`${server.url}/health`)).rejects.toThrow();
      release();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ inserted: 2, duplicates: 0 });
      expect(await exited).toBe(0);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
