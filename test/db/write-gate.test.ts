import { describe, expect, it } from "vitest";
import { WriteGate } from "../../src/db/write-gate.ts";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("WriteGate", () => {
  it("runs shared turns together", async () => {
    const gate = new WriteGate();
    const order: string[] = [];
    let release!: () => void;
    const first = gate.shared(async () => {
      order.push("a start");
      await new Promise<void>((resolve) => (release = resolve));
      order.push("a end");
    });
    const second = gate.shared(async () => order.push("b"));
    await tick();
    expect(order).toEqual(["a start", "b"]);
    release();
    await Promise.all([first, second]);
  });

  it("starts an exclusive turn only after every shared turn has ended, and holds new shared turns back", async () => {
    const gate = new WriteGate();
    const order: string[] = [];
    let releaseShared!: () => void;
    let releaseExclusive!: () => void;
    const shared = gate.shared(async () => {
      await new Promise<void>((resolve) => (releaseShared = resolve));
      order.push("shared 1 end");
    });
    const exclusive = gate.exclusive(async () => {
      order.push("exclusive start");
      expect(gate.busy).toBe(true);
      await new Promise<void>((resolve) => (releaseExclusive = resolve));
      order.push("exclusive end");
    });
    await tick();
    const later = gate.shared(async () => order.push("shared 2"));
    await tick();
    expect(order).toEqual([]);
    expect(gate.busy).toBe(false);
    releaseShared();
    await tick();
    expect(order).toEqual(["shared 1 end", "exclusive start"]);
    releaseExclusive();
    await Promise.all([shared, exclusive, later]);
    expect(order).toEqual(["shared 1 end", "exclusive start", "exclusive end", "shared 2"]);
    expect(gate.busy).toBe(false);
  });

  it("runs exclusive turns one at a time and releases the gate when a turn throws", async () => {
    const gate = new WriteGate();
    let inside = 0;
    let most = 0;
    const turn = (fail: boolean) =>
      gate.exclusive(async () => {
        inside++;
        most = Math.max(most, inside);
        await tick();
        inside--;
        if (fail) throw new Error("bulk write failed");
        return "ok";
      });
    const results = await Promise.allSettled([turn(false), turn(true), turn(false)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(most).toBe(1);
    expect(gate.busy).toBe(false);
    await expect(gate.shared(() => "after")).resolves.toBe("after");
  });

  it("idle() resolves at once when no bulk writer holds the gate, and after it otherwise", async () => {
    const gate = new WriteGate();
    await gate.idle();
    let release!: () => void;
    const exclusive = gate.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
    let idled = false;
    const idle = gate.idle().then(() => (idled = true));
    await tick();
    expect(idled).toBe(false);
    release();
    await Promise.all([exclusive, idle]);
    expect(idled).toBe(true);
  });
});
