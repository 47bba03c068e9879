-- MiniCC schema 3: operator PINs (caller ID can be spoofed) and the users who may sign in to the pages.
-- Secrets are stored only as salted PBKDF2 hashes.
ALTER TABLE operator_directory ADD COLUMN pin_hash VARCHAR(200) NULL;

CREATE TABLE users (
    id             BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username       VARCHAR(100) NOT NULL UNIQUE,
    password_hash  VARCHAR(200) NOT NULL,
    created_at     BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
