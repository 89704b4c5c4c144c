/**
 * `npm run bench [name…]`: runs every bench/*.bench.ts (or those whose name contains one of the
 * arguments) in turn and prints their tables. Benchmarks are measurements, never pass/fail tests.
 */
import { readdirSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";

const filters = process.argv.slice(2);
const files = readdirSync(new URL(".", import.meta.url))
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

console.log(
  `modqc benchmarks — node ${process.version}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
for (const file of files) {
  console.log(`\n## ${file.replace(".bench.ts", "")}`);
  const module = (await import(new URL(file, import.meta.url).href)) as { run: () => Promise<void> };
  await module.run();
}
