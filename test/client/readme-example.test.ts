import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * The README's typed-client example is `test/client/readme-client.ts` without its header comment: the generated
 * client test type-checks and runs that file, so the text users copy is the text that is tested.
 */
describe("the README's typed-client example", () => {
  it("is test/client/readme-client.ts word for word", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## A typed client from the OpenAPI document"));
    const block = section.match(/```ts\n([\s\S]*?)```/)?.[1];
    const file = readFileSync(new URL("./readme-client.ts", import.meta.url), "utf8");
    const withoutHeader = file.replace(/^\/\*\*[\s\S]*?\*\/\n/, "");
    expect(block).toBe(withoutHeader);
  });
});
