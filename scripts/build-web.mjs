#!/usr/bin/env node
// Builds the dashboard (web/src → web/dist) with esbuild: one hashed ESM bundle and one hashed stylesheet,
// an index.html that names them, and the favicon. Run by `npm run build` and by `npm install` (prepare).
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const web = join(root, "web");
const final = join(web, "dist");
// Built aside and moved into place at the end, so a running service or test never sees half a build.
const dist = join(web, `.dist-${process.pid}`);
const assets = join(dist, "assets");

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

process.on("exit", () => rmSync(dist, { recursive: true, force: true }));

const result = await build({
  absWorkingDir: root,
  entryPoints: ["web/src/main.tsx"],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["chrome109", "edge109", "firefox115", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  minify: true,
  sourcemap: "linked",
  outdir: assets,
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  metafile: true,
  legalComments: "linked",
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
const script = outputs.find((file) => file.endsWith(".js"));
const style = outputs.find((file) => file.endsWith(".css"));
if (!script || !style) throw new Error(`the build produced no script or stylesheet: ${outputs.join(", ")}`);

const favicon = readFileSync(join(web, "favicon.svg"));
const faviconName = `favicon-${createHash("sha256").update(favicon).digest("hex").slice(0, 8)}.svg`;
copyFileSync(join(web, "favicon.svg"), join(assets, faviconName));
copyFileSync(join(web, "favicon.svg"), join(dist, "favicon.svg"));

const html = readFileSync(join(web, "index.html"), "utf8")
  .replace("%SCRIPT%", `/assets/${script}`)
  .replace("%STYLE%", `/assets/${style}`)
  .replace("%FAVICON%", `/assets/${faviconName}`);
if (/%[A-Z]+%/.test(html)) throw new Error("web/index.html has a placeholder the build does not fill");
writeFileSync(join(dist, "index.html"), html);
// The build output is never committed.
writeFileSync(join(dist, ".gitignore"), "*\n");

// Another build may finish at the same moment (two test files both found the build stale): retry the swap.
for (let attempt = 0; ; attempt++) {
  try {
    rmSync(final, { recursive: true, force: true });
    renameSync(dist, final);
    break;
  } catch (error) {
    if (attempt >= 5 || !["ENOTEMPTY", "EEXIST", "EPERM"].includes(error.code)) throw error;
  }
}

const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => !file.endsWith(".map") && !file.endsWith(".txt"))
  .map(
    ([file, output]) =>
      `${relative(root, file).replace(/\.dist-\d+/, "dist")} ${(output.bytes / 1024).toFixed(1)} KiB`,
  );
console.log(`web: built ${sizes.join(", ")} in ${Date.now() - started} ms`);
