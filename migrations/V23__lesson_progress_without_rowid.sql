-- Performance (issue 11): a progress heartbeat upserts its row by (enrolment, lesson), and
-- a progress view reads an enrolment's rows by that key. As a rowid table with a separate
-- primary-key index, each of those went through two B-trees; keyed by the primary key
-- itself (WITHOUT ROWID) it is one. Nothing references these rows or their rowids, and no
-- cache watches this table (the writer's update hook does not see WITHOUT ROWID tables; a
-- test keeps every watched table a rowid table).
CREATE TABLE lesson_progress_new (
    enrollment_id      TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    lesson_id          TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    completed_at       TEXT,
    time_spent_seconds INTEGER NOT NULL DEFAULT 0 CHECK (time_spent_seconds >= 0),
    updated_at         TEXT NOT NULL,
    PRIMARY KEY (enrollment_id, lesson_id)
) WITHOUT ROWID;
INSERT INTO lesson_progress_new (enrollment_id, lesson_id, completed_at, time_spent_seconds, updated_at)
    SELECT enrollment_id, lesson_id, completed_at, time_spent_seconds, updated_at FROM lesson_progress;
DROP TABLE lesson_progress;
ALTER TABLE lesson_progress_new RENAME TO lesson_progress;
