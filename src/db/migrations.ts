/**
 * Numbered, forward-only schema migrations. Migration i (1-based) moves `user_version` from i − 1 to i
 * and runs inside one transaction with that bump, so a crash leaves the schema at a whole version.
 * Never edit a migration that has shipped: append a new one.
 */
export interface Migration {
  /** The `user_version` this migration brings the schema to; versions are consecutive from 1 (checked). */
  version: number;
  sql: string;
}

export const migrations: readonly Migration[] = [
  // 1: API keys. The secret is never stored: only its SHA-256 (keys are 256-bit random, so a slow
  // password hash adds nothing) and a short prefix that lets people tell keys apart in listings.
  {
    version: 1,
    sql: `
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
  },
  // 2: audit outcomes. `seq` orders rows by arrival for cursors and exports; `audited_ms` (epoch ms) is what
  // reports filter and bucket on, with one index per common filter so a report's cost follows the rows it
  // selects, not the size of the table.
  {
    version: 2,
    sql: `
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
  },
  // 3: calibration sessions. Labels (gold and ratings) are stored as JSON text so a string stays a string and
  // a number a number ("1" ≠ 1), with any Unicode kept byte for byte. Items and raters keep their input order
  // (position) so the ratings matrix is rebuilt in the same column order every time.
  {
    version: 3,
    sql: `
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
  },
  // Alerting (issue 7): rules, alerts (one open alert per fingerprint, enforced by a partial unique index),
  // webhooks, and the delivery outbox. A delivery row is written in the same transaction as the alert state
  // change it reports; its body is fixed at creation so every retry sends the same bytes under the same id.
  // Times are epoch ms. Webhook secrets are stored as given: they must stay usable for HMAC signing.
  {
    version: 4,
    sql: `
  CREATE TABLE alert_rules (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('chart', 'threshold', 'agreement')),
    scope TEXT NOT NULL,
    group_by TEXT NOT NULL,
    condition TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    pending_evaluations INTEGER NOT NULL CHECK (pending_evaluations >= 1),
    keep_firing_evaluations INTEGER NOT NULL CHECK (keep_firing_evaluations >= 1),
    repeat_interval TEXT,
    repeat_ms INTEGER,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    created_by TEXT,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX alert_rules_by_kind ON alert_rules (kind, enabled);

  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    rule_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    severity TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    labels TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
    breaching INTEGER NOT NULL,
    clearing INTEGER NOT NULL,
    value REAL,
    threshold REAL,
    signal TEXT,
    evidence TEXT NOT NULL,
    link TEXT,
    summary TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    fired_ms INTEGER,
    resolved_ms INTEGER,
    resolution TEXT,
    evaluated_ms INTEGER NOT NULL,
    notified_ms INTEGER,
    acknowledged_ms INTEGER,
    acknowledged_by TEXT,
    ack_note TEXT,
    CHECK ((state = 'resolved') = (resolved_ms IS NOT NULL))
  ) STRICT;
  CREATE UNIQUE INDEX alerts_one_open ON alerts (fingerprint) WHERE state <> 'resolved';
  CREATE INDEX alerts_by_rule ON alerts (rule_id, state);
  CREATE INDEX alerts_by_start ON alerts (started_ms);
  CREATE INDEX alerts_firing ON alerts (state, notified_ms) WHERE state = 'firing';

  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('modqc', 'alertmanager', 'slack')),
    secret TEXT NOT NULL,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    created_by TEXT,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE webhook_deliveries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    alert_id TEXT,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    next_attempt_ms INTEGER,
    last_attempt_ms INTEGER,
    last_status_code INTEGER,
    last_error TEXT,
    finished_ms INTEGER,
    redelivery_of TEXT,
    CHECK ((status = 'pending') = (next_attempt_ms IS NOT NULL))
  ) STRICT;
  CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, seq) WHERE status = 'pending';
  CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);

  CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    status_code INTEGER,
    error TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed', 'dead')),
    PRIMARY KEY (delivery_id, attempt)
  ) STRICT, WITHOUT ROWID;
  `,
  },
  // Daily sampling (issue 6): populations of decisions, stratified draws and their items.
  // A population's decisions are appended in one transaction, so they own the contiguous range
  // first_seq..last_seq of population_decisions (no population column, no index on id: the upload checks
  // id uniqueness itself, in memory, because a unique B-tree on random ids cuts bulk insert speed 3-4x).
  // Attribute values are dictionary-encoded per population (population_values: code → value, with counts);
  // code 0 means absent. `extra` holds the codes of the extra columns, comma-separated, in the order of
  // populations.extras. Drawn items keep their stratum key, rank, 16-hex-digit priority and auditor.
  {
    version: 5,
    sql: `
  CREATE TABLE populations (
    id TEXT PRIMARY KEY,
    name TEXT,
    row_count INTEGER NOT NULL CHECK (row_count >= 1),
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    extras TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    CHECK (last_seq - first_seq + 1 = row_count)
  ) STRICT;

  CREATE TABLE population_values (
    population_id TEXT NOT NULL REFERENCES populations (id) ON DELETE CASCADE,
    attribute TEXT NOT NULL,
    code INTEGER NOT NULL,
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (population_id, attribute, code)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE population_decisions (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    queue INTEGER NOT NULL,
    moderator INTEGER NOT NULL,
    label INTEGER NOT NULL,
    policy INTEGER NOT NULL,
    market INTEGER NOT NULL,
    decided_at TEXT,
    extra TEXT
  ) STRICT;

  CREATE TABLE samples (
    id TEXT PRIMARY KEY,
    population_id TEXT NOT NULL REFERENCES populations (id),
    seed TEXT NOT NULL,
    plan TEXT NOT NULL,
    strata_attributes TEXT NOT NULL,
    n INTEGER NOT NULL,
    strata TEXT NOT NULL,
    notes TEXT NOT NULL,
    assignment TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX samples_by_population ON samples (population_id, created_at);

  CREATE TABLE sample_items (
    sample_id TEXT NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    decision_id TEXT NOT NULL,
    decision_seq INTEGER NOT NULL,
    stratum TEXT NOT NULL,
    rank INTEGER NOT NULL,
    priority TEXT NOT NULL CHECK (length(priority) = 16),
    auditor TEXT,
    PRIMARY KEY (sample_id, position),
    UNIQUE (sample_id, decision_id)
  ) STRICT, WITHOUT ROWID;
  `,
  },
  // 6: the audits table again, with the same columns, constraints and indexes, but its value checks written
  // as comparisons: SQLite evaluates a CHECK's IN list through a temporary table built for every inserted row,
  // which cost a million-row upload about 1.5 s of its 7. Rows are copied in seq order, so seq is unchanged.
  {
    version: 6,
    sql: `
  CREATE TABLE audits_v6 (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    decision_id TEXT NOT NULL,
    queue TEXT NOT NULL,
    moderator TEXT NOT NULL,
    auditor TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome = 'correct' OR outcome = 'incorrect'),
    error_type TEXT CHECK (
      error_type = 'false-positive' OR error_type = 'false-negative' OR error_type = 'wrong-policy'
      OR error_type = 'other'
    ),
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
  INSERT INTO audits_v6 SELECT seq, id, decision_id, queue, moderator, auditor, outcome, error_type, severity,
    policy, market, decided_at, audited_at, audited_ms, sample_id, notes, ingested_at FROM audits ORDER BY seq;
  DROP TABLE audits;
  ALTER TABLE audits_v6 RENAME TO audits;
  CREATE INDEX audits_by_time ON audits (audited_ms);
  CREATE INDEX audits_by_queue ON audits (queue, audited_ms);
  CREATE INDEX audits_by_moderator ON audits (moderator, audited_ms);
  CREATE INDEX audits_by_auditor ON audits (auditor, audited_ms);
  CREATE INDEX audits_by_sample ON audits (sample_id) WHERE sample_id IS NOT NULL;
  CREATE INDEX audits_by_decision ON audits (decision_id);
  `,
  },
];

/** Throws unless the versions run 1, 2, 3, … in order: a gap or a repeat would skip or rerun a schema change. */
export function assertConsecutive(list: readonly Migration[]): void {
  list.forEach((migration, i) => {
    if (migration.version !== i + 1) {
      throw new Error(
        `migration ${i + 1} is numbered ${migration.version}; versions must be consecutive from 1`,
      );
    }
  });
}
