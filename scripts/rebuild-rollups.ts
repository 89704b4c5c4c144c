/**
 * Empties the rollups and counts every stored audit into them again, then exits: `npm run rebuild-rollups`
 * (MODQC_DATABASE_URL, else the SQLite file under MODQC_DATA_DIR). The service checks the rollups against the
 * audits' per-day counts at every start and rebuilds them itself when they differ; this is for an operator who
 * wants it done now. On SQLite, writes wait while it runs (stop the service for a big database); on PostgreSQL
 * instances keep serving reads, and writes wait for its commit.
 */
import { loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/open.ts";
import { mismatchedDays, rebuildRollups } from "../src/rollups/rebuild.ts";

const config = loadConfig(process.env);
try {
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const started = performance.now();
  const { audits, cells } = await rebuildRollups(db);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${db.dialect}: rollups rebuilt from ${audits} audits into ${cells} cells in ${seconds} s`);
  const left = await mismatchedDays(db);
  if (left.length > 0) throw new Error(`days still differing: ${JSON.stringify(left)}`);
  await db.close();
} catch (error) {
  console.error(`rebuild failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
