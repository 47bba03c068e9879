-- MiniCC schema 1 (MySQL/MariaDB, InnoDB, utf8mb4). Times are UTC Unix milliseconds (BIGINT): portable, exact, easy to bucket.

-- People who may take calls (phone is E.164). Not named "operators": that name is kept for the
-- view compatible with the original Twilio-MiniCC.
CREATE TABLE operator_directory (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    phone       VARCHAR(32)  NOT NULL UNIQUE,
    name        VARCHAR(100) NULL,
    active      INTEGER      NOT NULL DEFAULT 1,
    created_at  BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Append-only log: one row per recorded webhook, with every parameter Twilio sent (params, JSON).
-- dedupe_key makes replays of the same event (same call, same point in the flow) land once;
-- NULL means "every occurrence counts" (e.g. IVR choices, which a caller can make several times).
CREATE TABLE call_events (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    call_sid            CHAR(34)     NOT NULL,
    kind                VARCHAR(20)  NOT NULL,
    dedupe_key          VARCHAR(80)  NULL,
    occurred_at         BIGINT       NOT NULL,
    from_number         VARCHAR(255) NULL,
    to_number           VARCHAR(255) NULL,
    call_status         VARCHAR(20)  NULL,
    api_version         VARCHAR(20)  NULL,
    direction           VARCHAR(20)  NULL,
    forwarded_from      VARCHAR(255) NULL,
    caller_name         VARCHAR(255) NULL,
    digits              VARCHAR(64)  NULL,
    queue_sid           CHAR(34)     NULL,
    queue_time          INTEGER      NULL,
    queue_result        VARCHAR(32)  NULL,
    dequeing_call_sid   CHAR(34)     NULL,
    call_duration       INTEGER      NULL,
    recording_url       VARCHAR(1024) NULL,
    recording_sid       CHAR(34)     NULL,
    recording_duration  INTEGER      NULL,
    params              MEDIUMTEXT   NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX ux_call_events_dedupe ON call_events (call_sid, kind, dedupe_key);
CREATE INDEX ix_call_events_time ON call_events (occurred_at);
CREATE INDEX ix_call_events_kind_time ON call_events (kind, occurred_at);

-- One row per call leg that reached MiniCC: who, when, what they chose, how it ended.
CREATE TABLE calls (
    call_sid            CHAR(34)     NOT NULL PRIMARY KEY,
    from_number         VARCHAR(255) NULL,
    to_number           VARCHAR(255) NULL,
    direction           VARCHAR(20)  NULL,
    role                VARCHAR(10)  NOT NULL,
    operator_id         INTEGER      NULL,
    started_at          BIGINT       NOT NULL,
    ivr_choice          VARCHAR(20)  NULL,
    ended_at            BIGINT       NULL,
    final_status        VARCHAR(20)  NULL,
    duration_seconds    INTEGER      NULL,
    recording_url       VARCHAR(1024) NULL,
    recording_sid       CHAR(34)     NULL,
    recording_duration  INTEGER      NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ix_calls_started ON calls (started_at);
CREATE INDEX ix_calls_from ON calls (from_number);

-- One row per visit of a caller to a queue: what the reports read (offered, answered, abandoned,
-- wait, talk, operator). entered_at = first sight minus QueueTime; result is Twilio's QueueResult.
CREATE TABLE queue_visits (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    call_sid            CHAR(34)     NOT NULL,
    queue_sid           VARCHAR(34)  NOT NULL,
    queue_name          VARCHAR(64)  NOT NULL,
    from_number         VARCHAR(255) NULL,
    entered_at          BIGINT       NOT NULL,
    answered_at         BIGINT       NULL,
    wait_seconds        INTEGER      NULL,
    operator_call_sid   CHAR(34)     NULL,
    operator_id         INTEGER      NULL,
    exited_at           BIGINT       NULL,
    result              VARCHAR(32)  NULL,
    talk_seconds        INTEGER      NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX ux_queue_visits_call ON queue_visits (call_sid, queue_sid);
CREATE INDEX ix_queue_visits_entered ON queue_visits (queue_name, entered_at);
CREATE INDEX ix_queue_visits_open ON queue_visits (exited_at, entered_at);
CREATE INDEX ix_queue_visits_operator ON queue_visits (operator_id, answered_at);

-- An operator's call into the loop: sign-in (call start) to sign-out (call end).
CREATE TABLE operator_sessions (
    call_sid     CHAR(34)    NOT NULL PRIMARY KEY,
    operator_id  INTEGER     NOT NULL,
    phone        VARCHAR(32) NOT NULL,
    started_at   BIGINT      NOT NULL,
    ended_at     BIGINT      NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ix_operator_sessions_operator ON operator_sessions (operator_id, started_at);
CREATE INDEX ix_operator_sessions_open ON operator_sessions (ended_at);
