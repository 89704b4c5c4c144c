import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The structure rules of docs/architecture.md, checked over the import graph of src/ and stats/ (every
 * `import`/`export … from`, type-only ones included, and dynamic `import("…")` with a literal).
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const SOURCE_DIRS = ["src", "stats"];
/** Domain modules know nothing of HTTP: they throw DomainError (src/errors.ts), only src/app.ts maps it. */
const DOMAIN_DIRS = [
  "src/sampling",
  "src/audits",
  "src/alerts",
  "src/calibrations",
  "src/reports",
  "src/compute",
  "src/threads",
  "src/calculators",
  "src/db",
];
const MAX_LINES = 500;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2];
    if (specifier.startsWith(".")) found.push(relative(root, resolve(root, dirname(file), specifier)));
  }
  return found;
}

const files = SOURCE_DIRS.flatMap(sourceFiles);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    order.set(file, index);
    low.set(file, index++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, order.get(next)!));
    }
    if (low.get(file) === order.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || graph.get(file)!.includes(file)) found.push(component.sort());
    }
  };
  for (const file of files) if (!order.has(file)) visit(file);
  return found;
}

describe("the structure of the code", () => {
  it("every relative import names a file that exists", () => {
    const all = new Set(files);
    const missing = [...graph].flatMap(([file, imports]) =>
      imports
        .filter((target) => target.startsWith("src/") || target.startsWith("stats/"))
        .filter((target) => !all.has(target))
        .map((target) => `${file} → ${target}`),
    );
    expect(missing).toEqual([]);
  });

  it("has no import cycle, type-only imports included", () => {
    expect(cycles()).toEqual([]);
  });

  it("stats/ is pure: it never imports src/", () => {
    const offending = [...graph].filter(
      ([file, imports]) => file.startsWith("stats/") && imports.some((target) => target.startsWith("src/")),
    );
    expect(offending.map(([file]) => file)).toEqual([]);
  });

  it("no domain module imports src/http/", () => {
    const offending = [...graph].flatMap(([file, imports]) =>
      DOMAIN_DIRS.some((dir) => file.startsWith(`${dir}/`))
        ? imports.filter((target) => target.startsWith("src/http/")).map((target) => `${file} → ${target}`)
        : [],
    );
    expect(offending).toEqual([]);
  });

  it(`no file in src/ or stats/ is over ${MAX_LINES} lines without a reason written at its top`, () => {
    const long = files.filter((file) => {
      const lines = readFileSync(join(root, file), "utf8").split("\n");
      return (
        lines.length > MAX_LINES &&
        !lines.slice(0, 20).some((line) => line.includes(`Over ${MAX_LINES} lines:`))
      );
    });
    expect(long).toEqual([]);
  });
});
