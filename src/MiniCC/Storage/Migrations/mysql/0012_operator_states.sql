-- MiniCC schema 12: operator states (ready, on-call, wrap-up, break, offline), one row per change, derived from the
-- event log. An operator's state is their latest row; the time in a state runs to the next row. call_sid is the
-- operator's own call (their phone's or their desk's) while it lasts: the leg whose end puts them offline.
-- cause says what changed it: sign-in, pickup, loop (after a call, wrap-up ended), key, desk, reconciled, missed,
-- auto-pause, call-end.
CREATE TABLE operator_states (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    operator_id  INTEGER      NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    reason       VARCHAR(32)  NULL,
    started_at   BIGINT       NOT NULL,
    call_sid     VARCHAR(34)  NULL,
    cause        VARCHAR(16)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ix_operator_states_operator ON operator_states (operator_id, started_at);
CREATE INDEX ix_operator_states_started ON operator_states (started_at);
