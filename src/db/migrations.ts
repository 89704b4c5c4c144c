/**
 * Numbered, forward-only schema migrations. Migration i (1-based) moves `user_version` from i − 1 to i
 * and runs inside one transaction with that bump, so a crash leaves the schema at a whole version.
 * Never edit a migration that has shipped: append a new one.
 */
export const migrations: readonly string[] = [
  // 1: API keys. The secret is never stored: only its SHA-256 (keys are 256-bit random, so a slow
  // password hash adds nothing) and a short prefix that lets people tell keys apart in listings.
  `
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'auditor', 'viewer')),
    rater TEXT,
    secret_hash BLOB NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    CHECK ((role = 'auditor') = (rater IS NOT NULL))
  ) STRICT;
  `,
  // 2: audit outcomes. `seq` orders rows by arrival for cursors and exports; `audited_ms` (epoch ms) is what
  // reports filter and bucket on, with one index per common filter so a report's cost follows the rows it
  // selects, not the size of the table.
  `
  CREATE TABLE audits (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    decision_id TEXT NOT NULL,
    queue TEXT NOT NULL,
    moderator TEXT NOT NULL,
    auditor TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('correct', 'incorrect')),
    error_type TEXT CHECK (error_type IN ('false-positive', 'false-negative', 'wrong-policy', 'other')),
    severity INTEGER CHECK (severity BETWEEN 1 AND 4),
    policy TEXT,
    market TEXT,
    decided_at TEXT,
    audited_at TEXT NOT NULL,
    audited_ms INTEGER NOT NULL,
    sample_id TEXT,
    notes TEXT,
    ingested_at INTEGER NOT NULL,
    CHECK ((outcome = 'incorrect') = (error_type IS NOT NULL))
  ) STRICT;
  CREATE INDEX audits_by_time ON audits (audited_ms);
  CREATE INDEX audits_by_queue ON audits (queue, audited_ms);
  CREATE INDEX audits_by_moderator ON audits (moderator, audited_ms);
  CREATE INDEX audits_by_auditor ON audits (auditor, audited_ms);
  CREATE INDEX audits_by_sample ON audits (sample_id) WHERE sample_id IS NOT NULL;
  CREATE INDEX audits_by_decision ON audits (decision_id);
  `,
  // 3: calibration sessions. Labels (gold and ratings) are stored as JSON text so a string stays a string and
  // a number a number ("1" ≠ 1), with any Unicode kept byte for byte. Items and raters keep their input order
  // (position) so the ratings matrix is rebuilt in the same column order every time.
  `
  CREATE TABLE calibrations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    categories TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('nominal', 'ordinal', 'interval', 'ratio')),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_by TEXT,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
  ) STRICT;
  CREATE INDEX calibrations_by_created ON calibrations (created_at, id);

  CREATE TABLE calibration_items (
    calibration_id TEXT NOT NULL REFERENCES calibrations (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    gold TEXT,
    PRIMARY KEY (calibration_id, item_id),
    UNIQUE (calibration_id, position)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE calibration_raters (
    calibration_id TEXT NOT NULL REFERENCES calibrations (id) ON DELETE CASCADE,
    rater TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (calibration_id, rater),
    UNIQUE (calibration_id, position)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE calibration_ratings (
    calibration_id TEXT NOT NULL,
    rater TEXT NOT NULL,
    item_id TEXT NOT NULL,
    label TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    PRIMARY KEY (calibration_id, rater, item_id),
    FOREIGN KEY (calibration_id, rater) REFERENCES calibration_raters (calibration_id, rater) ON DELETE CASCADE,
    FOREIGN KEY (calibration_id, item_id) REFERENCES calibration_items (calibration_id, item_id) ON DELETE CASCADE
  ) STRICT, WITHOUT ROWID;
  `,
];
