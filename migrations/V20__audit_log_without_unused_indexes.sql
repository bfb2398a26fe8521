-- Performance (issue 11): every audited action wrote six B-trees. The audit queries (the
-- admin's filtered list, the privacy export and erasure) read the table newest first and
-- filter as they go, so the four indexes were never used: they are dropped. The table is
-- rebuilt without AUTOINCREMENT, which read and rewrote sqlite_sequence on every insert;
-- rows are never deleted (the triggers below refuse it), so ids are still never reused.
CREATE TABLE audit_log_new (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    TEXT,
    action      TEXT NOT NULL,
    target_type TEXT,
    target_id   TEXT,
    ip          TEXT,
    detail      TEXT
);
INSERT INTO audit_log_new (id, at, actor_id, action, target_type, target_id, ip, detail)
    SELECT id, at, actor_id, action, target_type, target_id, ip, detail FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;

-- As in V10: the only change an audit row accepts is the GDPR redaction.
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
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
