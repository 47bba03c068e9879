-- MiniCC schema 6: an operator's PIN locks after too many wrong PINs across calls (MiniCC:PinLockout).
-- Kept in the database, not in memory, so that every instance counts the same failures and sees the same lock.
ALTER TABLE operator_directory ADD COLUMN pin_locked_until BIGINT NULL;

-- One row per wrong PIN within the window; (call_sid, attempt) makes a replayed webhook count once.
CREATE TABLE operator_pin_failures (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    operator_id  BIGINT       NOT NULL,
    call_sid     VARCHAR(34)  NOT NULL,
    attempt      INTEGER      NOT NULL,
    failed_at    BIGINT       NOT NULL,
    UNIQUE KEY ux_operator_pin_failures_attempt (call_sid, attempt),
    KEY ix_operator_pin_failures (operator_id, failed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
