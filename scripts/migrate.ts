/**
 * Brings the configured database (MODQC_DATABASE_URL, else the SQLite file under MODQC_DATA_DIR) to this
 * modqc's schema version and exits: `npm run migrate`. The service also migrates when it starts; running
 * this first lets an operator upgrade the schema before starting new instances.
 */
import { loadConfig } from "../src/config.ts";
import { openDatabase, schemaVersion } from "../src/db/open.ts";

const config = loadConfig(process.env);
try {
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  console.log(`${db.dialect}: schema at version ${await schemaVersion(db)}`);
  await db.close();
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
