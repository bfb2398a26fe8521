-- The mail outbox and one-time account tokens (password reset, login link).

-- Mail is written here in the same transaction as the event that causes it; a background
-- worker sends it and records the outcome. Rows are never deleted by the worker, so mail
-- that cannot be sent stays visible with its last error.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    template        TEXT NOT NULL,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    -- 1 when the body holds a secret (a reset or login link): cleared once sent.
    sensitive       INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- Single-use tokens mailed or printed to a person, stored as SHA-256 hashes.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('password_reset', 'login_link')),
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
