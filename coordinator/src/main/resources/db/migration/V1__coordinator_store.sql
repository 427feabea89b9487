-- Comity coordinator store, schema version 1. The same file runs on SQLite and PostgreSQL: portable types only;
-- ${binary} is BLOB on SQLite and BYTEA on PostgreSQL.
-- Conventions: times are UTC ISO-8601 text with nine fraction digits (fixed width, so they sort as text and
-- round-trip to the nanosecond); a NULL double means "not a number" (SQLite cannot store NaN); lists and maps
-- are JSON text. No table holds an individual bank's update: only aggregates the coordinator committed.

-- Federation plans, in canonical JSON (org.comity.plan.PlanHash.canonicalJson), keyed by their SHA-256.
CREATE TABLE plans (
  plan_hash       VARCHAR(64)  NOT NULL PRIMARY KEY,
  plan_name       VARCHAR(400) NOT NULL,
  canonical_json  TEXT         NOT NULL,
  first_seen_at   VARCHAR(32)  NOT NULL
);

-- One row per run; finished_at is NULL while the run may still be resumed.
CREATE TABLE runs (
  run_id            VARCHAR(200) NOT NULL PRIMARY KEY,
  plan_hash         VARCHAR(64)  NOT NULL REFERENCES plans (plan_hash),
  start_order       BIGINT       NOT NULL UNIQUE,
  started_at        VARCHAR(32)  NOT NULL,
  finished_at       VARCHAR(32),
  completed         BOOLEAN,
  outcome_reason    TEXT,
  committed_rounds  INTEGER,
  failed_rounds     INTEGER
);
CREATE INDEX runs_by_plan ON runs (plan_hash, finished_at);

-- The journal: every state change of every round, in order.
CREATE TABLE round_transitions (
  run_id        VARCHAR(200) NOT NULL REFERENCES runs (run_id),
  seq           BIGINT       NOT NULL,
  round_number  INTEGER      NOT NULL,
  attempt       INTEGER      NOT NULL,
  from_phase    VARCHAR(32),
  to_phase      VARCHAR(32)  NOT NULL,
  reason        TEXT         NOT NULL,
  at            VARCHAR(32)  NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- The banks a round chose, written before any task goes out.
CREATE TABLE round_selections (
  run_id         VARCHAR(200) NOT NULL REFERENCES runs (run_id),
  round_number   INTEGER      NOT NULL,
  attempt        INTEGER      NOT NULL,
  selected_json  TEXT         NOT NULL,
  secure         BOOLEAN      NOT NULL,
  PRIMARY KEY (run_id, round_number, attempt)
);

-- The global normalisation fixed by the statistics round (float64 little-endian arrays).
CREATE TABLE run_normalizations (
  run_id         VARCHAR(200)     NOT NULL PRIMARY KEY REFERENCES runs (run_id),
  column_count   INTEGER          NOT NULL,
  mean_f64le     ${binary}        NOT NULL,
  std_f64le      ${binary}        NOT NULL,
  positive_rate  DOUBLE PRECISION NOT NULL
);

-- Finished rounds; seq is the order in which they finished.
CREATE TABLE round_reports (
  run_id                   VARCHAR(200)     NOT NULL REFERENCES runs (run_id),
  round_number             INTEGER          NOT NULL,
  attempt                  INTEGER          NOT NULL,
  seq                      INTEGER          NOT NULL,
  outcome                  VARCHAR(32)      NOT NULL,
  reason                   TEXT,
  selected_json            TEXT             NOT NULL,
  contributors_json        TEXT             NOT NULL,
  dropouts_json            TEXT             NOT NULL,
  model_version            BIGINT           NOT NULL,
  mean_train_loss          DOUBLE PRECISION,
  val_examples             BIGINT,
  val_positives            BIGINT,
  val_roc_auc              DOUBLE PRECISION,
  val_pr_auc               DOUBLE PRECISION,
  val_precision            DOUBLE PRECISION,
  val_recall               DOUBLE PRECISION,
  val_f1                   DOUBLE PRECISION,
  val_log_loss             DOUBLE PRECISION,
  val_threshold            DOUBLE PRECISION,
  slowest_training_millis  BIGINT           NOT NULL,
  wall_time_nanos          BIGINT           NOT NULL,
  epsilon_spent            DOUBLE PRECISION,
  PRIMARY KEY (run_id, round_number, attempt),
  UNIQUE (run_id, seq)
);

-- The round engine's counters after each finished round (the last one resumes the run).
CREATE TABLE engine_checkpoints (
  run_id                    VARCHAR(200)     NOT NULL,
  round_number              INTEGER          NOT NULL,
  attempt                   INTEGER          NOT NULL,
  next_training_round       INTEGER          NOT NULL,
  committed_rounds          INTEGER          NOT NULL,
  failed_rounds             INTEGER          NOT NULL,
  statistics_attempts       INTEGER          NOT NULL,
  global_version            BIGINT           NOT NULL,
  privacy_rounds_accounted  INTEGER          NOT NULL,
  clip_norm                 DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (run_id, round_number, attempt),
  FOREIGN KEY (run_id, round_number, attempt) REFERENCES round_reports (run_id, round_number, attempt)
);

-- Committed global models: aggregate weights (float32 little-endian, org.comity.wire.PackedFloats) and lineage.
CREATE TABLE model_versions (
  run_id              VARCHAR(200)     NOT NULL REFERENCES runs (run_id),
  model_version       BIGINT           NOT NULL,
  plan_hash           VARCHAR(64)      NOT NULL REFERENCES plans (plan_hash),
  round_number        INTEGER          NOT NULL,
  committed_at        VARCHAR(32)      NOT NULL,
  parameter_count     INTEGER          NOT NULL,
  weights_f32le       ${binary}        NOT NULL,
  weights_sha256      VARCHAR(64)      NOT NULL,
  participants_json   TEXT             NOT NULL,
  epsilon_spent       DOUBLE PRECISION,
  norm_column_count   INTEGER,
  norm_mean_f64le     ${binary},
  norm_std_f64le      ${binary},
  norm_positive_rate  DOUBLE PRECISION,
  val_examples        BIGINT,
  val_positives       BIGINT,
  val_roc_auc         DOUBLE PRECISION,
  val_pr_auc          DOUBLE PRECISION,
  val_precision       DOUBLE PRECISION,
  val_recall          DOUBLE PRECISION,
  val_f1              DOUBLE PRECISION,
  val_log_loss        DOUBLE PRECISION,
  val_threshold       DOUBLE PRECISION,
  PRIMARY KEY (run_id, model_version)
);
CREATE INDEX model_versions_by_hash ON model_versions (weights_sha256);

-- Which model version serves: PROMOTE pushes a version, ROLLBACK returns to the one promoted before.
CREATE TABLE promotions (
  seq            BIGINT       NOT NULL PRIMARY KEY,
  action         VARCHAR(16)  NOT NULL,
  run_id         VARCHAR(200) NOT NULL,
  model_version  BIGINT       NOT NULL,
  actor          VARCHAR(200) NOT NULL,
  reason         TEXT,
  at             VARCHAR(32)  NOT NULL,
  FOREIGN KEY (run_id, model_version) REFERENCES model_versions (run_id, model_version)
);

-- Member banks as the coordinator knows them (the PKI roster is authoritative for certificates).
CREATE TABLE members (
  member_id              VARCHAR(200) NOT NULL PRIMARY KEY,
  status                 VARCHAR(16)  NOT NULL,
  certificate_serial     VARCHAR(40),
  certificate_not_after  VARCHAR(32),
  first_seen_at          VARCHAR(32)  NOT NULL,
  last_seen_at           VARCHAR(32)  NOT NULL,
  revoked_at             VARCHAR(32)
);

-- Public keys that sign the audit trail (base64 DER SubjectPublicKeyInfo; the certificate when there is one).
CREATE TABLE audit_signers (
  key_id       VARCHAR(64)  NOT NULL PRIMARY KEY,
  algorithm    VARCHAR(32)  NOT NULL,
  public_key   TEXT         NOT NULL,
  certificate  TEXT,
  added_at     VARCHAR(32)  NOT NULL
);

-- The audit trail: append-only, hash-chained, signed (see org.comity.coordinator.audit.AuditEntry).
CREATE TABLE audit_entries (
  seq            BIGINT       NOT NULL PRIMARY KEY,
  at             VARCHAR(32)  NOT NULL,
  actor          VARCHAR(200) NOT NULL,
  action         VARCHAR(64)  NOT NULL,
  subject        VARCHAR(400) NOT NULL,
  details_json   TEXT         NOT NULL,
  previous_hash  VARCHAR(64)  NOT NULL,
  entry_hash     VARCHAR(64)  NOT NULL UNIQUE,
  key_id         VARCHAR(64)  NOT NULL REFERENCES audit_signers (key_id),
  signature      TEXT         NOT NULL
);
