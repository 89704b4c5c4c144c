/**
 * Migration 11's SQL (issue 20): the rollup cells and the watermark of what they hold, the same on both backends
 * (src/rollups/). Part of a shipped migration: never edit; a change is a new migration.
 */
import { COUNT_COLUMNS } from "../rollups/cells.ts";

const KEY = "cuboid, width, bucket, queue, market, policy, person";

function tables(integer: string, withoutRowid: string, text: string): string {
  const counts = COUNT_COLUMNS.map((c) => `    ${c} ${integer} NOT NULL DEFAULT 0`).join(",\n");
  return `
  CREATE TABLE audit_rollups (
    cuboid ${integer} NOT NULL,
    width ${integer} NOT NULL,
    bucket ${integer} NOT NULL,
    queue ${text} NOT NULL,
    market ${text} NOT NULL,
    policy ${text} NOT NULL,
    person ${text} NOT NULL,
${counts},
    PRIMARY KEY (${KEY})
  )${withoutRowid};
  CREATE TABLE rollup_watermark (
    id ${integer} PRIMARY KEY CHECK (id = 1),
    upto ${integer} NOT NULL
  )${withoutRowid ? " STRICT" : ""};
  INSERT INTO rollup_watermark (id, upto) VALUES (1, 0);`;
}

/**
 * The cells clustered by their key (SQLite: WITHOUT ROWID; PostgreSQL: the primary key index), so a cuboid's time
 * range is one index range. The watermark starts at 0: audits stored before the upgrade are above it, read as rows
 * and rolled up in the background by the compactor after the first start.
 */
export const ROLLUP_MIGRATION = {
  sqlite: tables("INTEGER", " WITHOUT ROWID, STRICT", "TEXT"),
  postgres: tables("BIGINT", "", 'TEXT COLLATE "C"'),
};
