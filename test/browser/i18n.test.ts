import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";

const webSrc = fileURLToPath(new URL("../../web/src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("dashboard messages", () => {
  it("Korean and English have exactly the same keys, each non-empty, with the same placeholders", () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(en[key].trim(), key).not.toBe("");
      expect(ko[key].trim(), key).not.toBe("");
      expect(placeholders(ko[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("the Korean dictionary is Korean: most messages contain Hangul", () => {
    const values = Object.values(ko);
    const hangul = values.filter((v) => /[\uac00-\ud7af]/.test(v));
    expect(hangul.length / values.length).toBeGreaterThan(0.85);
  });

  it("every key a component names exists, and no component has words of its own in JSX text", () => {
    const files = sourceFiles(webSrc).filter((file) => !file.includes(`${join("i18n", "")}`));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      // t("key") calls with a literal key must name a key that exists.
      for (const m of text.matchAll(/\bt\(\s*"([^"]+)"/g)) {
        expect(Object.hasOwn(en, m[1]), `${file}: t("${m[1]}")`).toBe(true);
      }
      if (!file.endsWith(".tsx")) continue;
      // Text between JSX tags with letters in it is a hard-coded message (symbols and numbers are fine). Runs
      // with code characters in them are code between a `>` and a `<` (arrows, comparisons), not JSX text.
      const stripped = text.replace(/\{[^{}]*\}/g, "{}");
      for (const m of stripped.matchAll(/(?<![=-])>([^<>{}();="'`&|?!+*]*)</g)) {
        const words = m[1].replace(/&[a-z]+;/g, "").trim();
        expect(
          /[A-Za-z\uac00-\ud7af]{2,}/.test(words),
          `${file}: hard-coded text ${JSON.stringify(words)}`,
        ).toBe(false);
      }
    }
  });
});
