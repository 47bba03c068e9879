-- MiniCC schema 15: callbacks. A caller who asked to be called back (from the queue, or when no operator was
-- signed in) is one row; requested_at is when they entered the queue, so the callback keeps their place in line.
-- status: pending (waiting for its turn, or for due_at after a failed attempt), dialing (an operator's call claimed
-- it: the conditional UPDATE that sets it is what makes a callback dialed once), completed, failed (attempts used up:
-- listed for a person), cancelled (the same number was answered in the meantime).
CREATE TABLE callbacks (
    id                BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    call_sid          VARCHAR(34)  NOT NULL UNIQUE,
    number            VARCHAR(32)  NOT NULL,
    from_number       VARCHAR(255) NULL,
    queue_name        VARCHAR(64)  NOT NULL,
    requested_at      BIGINT       NOT NULL,
    created_at        BIGINT       NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    attempts          INTEGER      NOT NULL DEFAULT 0,
    due_at            BIGINT       NOT NULL,
    attempt_call_sid  VARCHAR(34)  NULL,
    operator_id       INTEGER      NULL,
    last_result       VARCHAR(16)  NULL,
    last_attempt_at   BIGINT       NULL,
    completed_at      BIGINT       NULL,
    handled_at        BIGINT       NULL,
    handled_by        VARCHAR(100) NULL,
    KEY ix_callbacks_turn (queue_name, status, requested_at),
    KEY ix_callbacks_number (number, status),
    KEY ix_callbacks_created (created_at),
    KEY ix_callbacks_attempt (attempt_call_sid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per dial of a callback: who dialed, when, and how it ended (DialCallStatus).
CREATE TABLE callback_attempts (
    callback_id        BIGINT      NOT NULL,
    attempt            INTEGER      NOT NULL,
    operator_call_sid  VARCHAR(34)  NOT NULL,
    operator_id        INTEGER      NULL,
    started_at         BIGINT       NOT NULL,
    ended_at           BIGINT       NULL,
    result             VARCHAR(16)  NULL,
    dial_call_sid      VARCHAR(34)  NULL,
    talk_seconds       INTEGER      NULL,
    PRIMARY KEY (callback_id, attempt)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Why a caller left the queue on purpose (callback, voicemail, max-wait): QueueResult says only "leave".
ALTER TABLE queue_visits ADD COLUMN leave_reason VARCHAR(16) NULL;
