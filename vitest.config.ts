import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "web/test/**/*.test.ts"],
    testTimeout: 20_000,
    // expect.poll waits 1 s by default: too short for a page on a busy CI machine (a pass is as fast as before).
    expect: { poll: { timeout: 10_000 } },
    pool: "forks",
  },
});
