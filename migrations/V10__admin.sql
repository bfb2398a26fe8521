-- Admin: recorded user activity (for DAU/WAU/MAU), the bounded error log, an index for
-- sales reports, and an audit log that erasure may redact but nobody may otherwise change.

-- At most one row per user and UTC day on which the user made an authenticated request.
CREATE TABLE user_activity (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day     TEXT NOT NULL,
    PRIMARY KEY (user_id, day)
) WITHOUT ROWID;
CREATE INDEX user_activity_day ON user_activity (day);

-- Every 5xx response and every failed background job; only the newest rows are kept.
CREATE TABLE error_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('request', 'job')),
    request_id TEXT,
    method     TEXT,
    path       TEXT,
    status     INTEGER,
    job        TEXT,
    message    TEXT NOT NULL
);
CREATE INDEX error_log_at ON error_log (at);

CREATE INDEX orders_paid ON orders (paid_at);
CREATE INDEX audit_log_action ON audit_log (action, at);

-- The only change an audit row accepts is the GDPR redaction: its ip cleared and its
-- detail replaced by the fixed marker. Everything else still aborts.
DROP TRIGGER audit_log_is_append_only_update;
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
WHEN NOT (
    NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
    AND NEW.actor_id IS OLD.actor_id AND NEW.target_type IS OLD.target_type
    AND NEW.target_id IS OLD.target_id AND NEW.ip IS NULL
    AND (NEW.detail IS OLD.detail OR NEW.detail = '{"redacted":"erasure"}')
)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
