-- Issue 24: sign-in with outside providers (OpenID Connect, Facebook). One row per
-- (provider, subject): later sign-ins find the account by this pair only, never by email.
-- `email` is what the provider asserted when the row was linked, shown to the user.
CREATE TABLE identities (
    id           TEXT PRIMARY KEY,
    provider     TEXT NOT NULL,
    subject      TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    UNIQUE (provider, subject)
);
CREATE INDEX identities_user ON identities (user_id);

-- The linking rule asks when an account's email last changed (an email is proved by a
-- mailed link issued after that): a partial index holds only those few audit rows.
CREATE INDEX audit_log_email_changes ON audit_log (target_id, at)
    WHERE action = 'user.email_changed';
