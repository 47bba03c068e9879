-- MiniCC schema 3: operator PINs (caller ID can be spoofed) and the users who may sign in to the pages.
-- Secrets are stored only as salted PBKDF2 hashes.
ALTER TABLE operator_directory ADD COLUMN pin_hash VARCHAR(200) NULL;

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    username       VARCHAR(100) NOT NULL UNIQUE,
    password_hash  VARCHAR(200) NOT NULL,
    created_at     BIGINT       NOT NULL
);
