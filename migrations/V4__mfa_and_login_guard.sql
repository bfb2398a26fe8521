-- Second factor (TOTP + recovery codes), the pending second login step, and per-account
-- failed-login tracking for lockout with exponential back-off.

-- One row per user who started MFA enrolment. The TOTP secret is AES-256-GCM ciphertext
-- (never the base32 secret); `enabled_at` is NULL until a first code confirms it.
CREATE TABLE user_mfa (
    user_id           TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_ciphertext TEXT NOT NULL,
    enabled_at        TEXT,
    -- The last TOTP time step accepted, so a code cannot be replayed within its window.
    last_used_step    INTEGER,
    created_at        TEXT NOT NULL
);

-- Single-use recovery codes, stored as SHA-256 hashes.
CREATE TABLE mfa_recovery_codes (
    code_hash  TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes (user_id);

-- A password check passed and a second factor is awaited: short-lived, single use, hashed.
CREATE TABLE mfa_login_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX mfa_login_tokens_user ON mfa_login_tokens (user_id);

-- Consecutive failed logins of an account; deleted on a successful login.
CREATE TABLE login_failures (
    user_id        TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    failures       INTEGER NOT NULL CHECK (failures >= 0),
    last_failed_at TEXT NOT NULL,
    locked_until   TEXT
);
