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
];
