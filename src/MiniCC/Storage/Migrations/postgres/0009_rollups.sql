-- MiniCC schema 9 (PostgreSQL): report rollups. A month's report read ~850,000 queue visits; it now reads their
-- sums, kept per UTC slot: queue counts per 15-minute bucket and queue (intervals and days are gathered from them in
-- any time zone), operators and menu choices per hour and per day. Reports/Rollups.cs keeps them equal to the
-- history: every write transaction marks the hours its calls touch in rollup_dirty, a refresh recomputes marked hours
-- from the history, and a report reads marked hours from the history itself. Slots count from the Unix epoch:
-- bucket = ms / 900000, hour = ms / 3600000, day = ms / 86400000 (span 1 = an hour, span 24 = a day).

-- The counts of QueueCounts. Three depend on MiniCC:Reports thresholds; the row names the ones it was counted with.
CREATE TABLE rollup_queue (
    bucket                 BIGINT      NOT NULL,
    queue_name             VARCHAR(64) NOT NULL,
    offered                BIGINT      NOT NULL,
    answered               BIGINT      NOT NULL,
    abandoned              BIGINT      NOT NULL,
    short_abandoned        BIGINT      NOT NULL,
    other_exits            BIGINT      NOT NULL,
    still_waiting          BIGINT      NOT NULL,
    answered_wait_sum      BIGINT      NOT NULL,
    answered_within        BIGINT      NOT NULL,
    abandoned_within       BIGINT      NOT NULL,
    talk_sum               BIGINT      NOT NULL,
    talk_count             BIGINT      NOT NULL,
    max_wait               BIGINT      NOT NULL,
    wait_sum               BIGINT      NOT NULL,
    wait_count             BIGINT      NOT NULL,
    short_abandon_seconds  INTEGER     NOT NULL,
    service_level_seconds  INTEGER     NOT NULL,
    PRIMARY KEY (bucket, queue_name)
);

-- Answered visits per operator (operator_id 0: not known), by the hour or day they entered the queue.
CREATE TABLE rollup_operators (
    span         INTEGER     NOT NULL,
    slot         BIGINT      NOT NULL,
    queue_name   VARCHAR(64) NOT NULL,
    operator_id  BIGINT      NOT NULL,
    calls        BIGINT      NOT NULL,
    talk_sum     BIGINT      NOT NULL,
    talk_count   BIGINT      NOT NULL,
    first_call   BIGINT      NOT NULL,
    last_call    BIGINT      NOT NULL,
    PRIMARY KEY (span, slot, queue_name, operator_id)
);

-- Customer calls by their last menu choice, by the hour or day they started.
CREATE TABLE rollup_ivr (
    span            INTEGER NOT NULL,
    slot            BIGINT  NOT NULL,
    calls           BIGINT  NOT NULL,
    chose_operator  BIGINT  NOT NULL,
    information     BIGINT  NOT NULL,
    invalid         BIGINT  NOT NULL,
    no_input        BIGINT  NOT NULL,
    PRIMARY KEY (span, slot)
);

-- Hours whose rollups may differ from the history. gen changes at every mark, so that a refresh removes only the
-- marks it has seen (a write that marks an hour while it is being recomputed leaves it marked).
CREATE TABLE rollup_dirty (
    hour  BIGINT NOT NULL PRIMARY KEY,
    gen   BIGINT NOT NULL
);

-- One row that refreshes lock, so that they run one at a time (a day's sums are added up from its hours).
CREATE TABLE rollup_lock (id INTEGER NOT NULL PRIMARY KEY);
INSERT INTO rollup_lock (id) VALUES (1);

-- The history already stored is not rolled up yet: every hour of it is marked.
INSERT INTO rollup_dirty (hour, gen)
SELECT DISTINCT h, 1 FROM (
    SELECT entered_at / 3600000 AS h FROM queue_visits
    UNION SELECT started_at / 3600000 FROM calls
) history;

-- The abandoned callers (a list, not a sum) are read from the history: this index holds all they need.
CREATE INDEX ix_queue_visits_abandoned ON queue_visits (entered_at, queue_name, answered_at) INCLUDE (call_sid, from_number, wait_seconds)
    WHERE result = 'hangup';

-- Operators' sessions meeting a report's range are read by their end (the open ones, and those ending after the
-- range starts); this index holds all a report reads of them.
CREATE INDEX ix_operator_sessions_span ON operator_sessions (ended_at, started_at, operator_id);
