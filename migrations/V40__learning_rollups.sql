-- Issue 32: the learning reports (top courses, a course's funnel, users) read rollups
-- instead of every enrolment and lesson progress row. As with V39, triggers keep them in the
-- same transaction as every write that changes them, on every path, and
-- `schoolhouse analytics rebuild` recomputes them; `analytics::store` tests reconcile them
-- with a full recomputation on random data.

-- Each enrolment counts its lesson progress rows and, of those, the completed ones of
-- required lessons (a lesson's `required` flag may change later: the counts follow it).
ALTER TABLE enrollments ADD COLUMN touched_lessons INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enrollments ADD COLUMN completed_required_lessons INTEGER NOT NULL DEFAULT 0;

UPDATE enrollments SET touched_lessons = p.touched, completed_required_lessons = p.done
FROM (SELECT lp.enrollment_id, COUNT(*) AS touched,
        COALESCE(SUM(lp.completed_at IS NOT NULL AND l.required = 1), 0) AS done
      FROM lesson_progress lp LEFT JOIN lessons l ON l.id = lp.lesson_id
      GROUP BY lp.enrollment_id) AS p
WHERE p.enrollment_id = enrollments.id;

CREATE TRIGGER enrolment_counts_progress_added AFTER INSERT ON lesson_progress
BEGIN
    UPDATE enrollments SET touched_lessons = touched_lessons + 1,
        completed_required_lessons = completed_required_lessons
            + (NEW.completed_at IS NOT NULL
               AND EXISTS (SELECT 1 FROM lessons WHERE id = NEW.lesson_id AND required = 1))
    WHERE id = NEW.enrollment_id;
END;

CREATE TRIGGER enrolment_counts_progress_changed
AFTER UPDATE OF completed_at, enrollment_id, lesson_id ON lesson_progress
WHEN (OLD.completed_at IS NULL) <> (NEW.completed_at IS NULL)
    OR OLD.enrollment_id <> NEW.enrollment_id OR OLD.lesson_id <> NEW.lesson_id
BEGIN
    UPDATE enrollments SET touched_lessons = touched_lessons - 1,
        completed_required_lessons = completed_required_lessons
            - (OLD.completed_at IS NOT NULL
               AND EXISTS (SELECT 1 FROM lessons WHERE id = OLD.lesson_id AND required = 1))
    WHERE id = OLD.enrollment_id;
    UPDATE enrollments SET touched_lessons = touched_lessons + 1,
        completed_required_lessons = completed_required_lessons
            + (NEW.completed_at IS NOT NULL
               AND EXISTS (SELECT 1 FROM lessons WHERE id = NEW.lesson_id AND required = 1))
    WHERE id = NEW.enrollment_id;
END;

CREATE TRIGGER enrolment_counts_progress_deleted AFTER DELETE ON lesson_progress
BEGIN
    UPDATE enrollments SET touched_lessons = touched_lessons - 1,
        completed_required_lessons = completed_required_lessons
            - (OLD.completed_at IS NOT NULL
               AND EXISTS (SELECT 1 FROM lessons WHERE id = OLD.lesson_id AND required = 1))
    WHERE id = OLD.enrollment_id;
END;

-- A lesson's progress goes before the lesson, while its `required` flag can still be read
-- (the foreign key's cascade would delete the rows after the lesson is gone).
CREATE TRIGGER enrolment_counts_lesson_deleted BEFORE DELETE ON lessons
BEGIN
    DELETE FROM lesson_progress WHERE lesson_id = OLD.id;
END;

CREATE TRIGGER enrolment_counts_lesson_required AFTER UPDATE OF required ON lessons
WHEN OLD.required <> NEW.required
BEGIN
    UPDATE enrollments SET completed_required_lessons = completed_required_lessons
        + CASE WHEN NEW.required = 1 THEN 1 ELSE -1 END
    WHERE id IN (SELECT enrollment_id FROM lesson_progress
                 WHERE lesson_id = NEW.id AND completed_at IS NOT NULL);
END;

-- How many enrolments (not revoked) of each course, by enrolled day, stand where: completed
-- or not, started (a lesson touched) or not, and how many required lessons they completed;
-- with their time spent. A funnel reads a few dozen rows instead of every enrolment.
CREATE TABLE course_standings (
    course_id          TEXT NOT NULL,
    enrolled_day       TEXT NOT NULL,
    completed          INTEGER NOT NULL,
    started            INTEGER NOT NULL,
    completed_required INTEGER NOT NULL,
    enrolments         INTEGER NOT NULL DEFAULT 0,
    time_spent_seconds INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (course_id, enrolled_day, completed, started, completed_required)
) WITHOUT ROWID;

INSERT INTO course_standings (course_id, enrolled_day, completed, started, completed_required,
    enrolments, time_spent_seconds)
SELECT course_id, substr(enrolled_at, 1, 10), status = 'completed', touched_lessons > 0,
    completed_required_lessons, COUNT(*), SUM(time_spent_seconds)
FROM enrollments WHERE status <> 'revoked' GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER course_standings_enrolment_added AFTER INSERT ON enrollments
WHEN NEW.status <> 'revoked'
BEGIN
    INSERT INTO course_standings (course_id, enrolled_day, completed, started,
        completed_required, enrolments, time_spent_seconds)
    VALUES (NEW.course_id, substr(NEW.enrolled_at, 1, 10), NEW.status = 'completed',
        NEW.touched_lessons > 0, NEW.completed_required_lessons, 1, NEW.time_spent_seconds)
    ON CONFLICT DO UPDATE SET enrolments = enrolments + 1,
        time_spent_seconds = time_spent_seconds + excluded.time_spent_seconds;
END;

-- An enrolment that keeps its place (a heartbeat adds time spent) changes one row; one that
-- moves leaves its old place and enters the new one.
CREATE TRIGGER course_standings_enrolment_stayed
AFTER UPDATE OF course_id, enrolled_at, status, touched_lessons, completed_required_lessons,
    time_spent_seconds ON enrollments
WHEN OLD.status <> 'revoked' AND NEW.status <> 'revoked'
    AND OLD.course_id = NEW.course_id
    AND substr(OLD.enrolled_at, 1, 10) = substr(NEW.enrolled_at, 1, 10)
    AND (OLD.status = 'completed') = (NEW.status = 'completed')
    AND (OLD.touched_lessons > 0) = (NEW.touched_lessons > 0)
    AND OLD.completed_required_lessons = NEW.completed_required_lessons
    AND OLD.time_spent_seconds <> NEW.time_spent_seconds
BEGIN
    UPDATE course_standings
    SET time_spent_seconds = time_spent_seconds + NEW.time_spent_seconds - OLD.time_spent_seconds
    WHERE course_id = NEW.course_id AND enrolled_day = substr(NEW.enrolled_at, 1, 10)
        AND completed = (NEW.status = 'completed') AND started = (NEW.touched_lessons > 0)
        AND completed_required = NEW.completed_required_lessons;
END;

CREATE TRIGGER course_standings_enrolment_left
AFTER UPDATE OF course_id, enrolled_at, status, touched_lessons, completed_required_lessons,
    time_spent_seconds ON enrollments
WHEN OLD.status <> 'revoked' AND NOT (OLD.status <> 'revoked' AND NEW.status <> 'revoked'
        AND OLD.course_id = NEW.course_id
        AND substr(OLD.enrolled_at, 1, 10) = substr(NEW.enrolled_at, 1, 10)
        AND (OLD.status = 'completed') = (NEW.status = 'completed')
        AND (OLD.touched_lessons > 0) = (NEW.touched_lessons > 0)
        AND OLD.completed_required_lessons = NEW.completed_required_lessons)
BEGIN
    UPDATE course_standings SET enrolments = enrolments - 1,
        time_spent_seconds = time_spent_seconds - OLD.time_spent_seconds
    WHERE course_id = OLD.course_id AND enrolled_day = substr(OLD.enrolled_at, 1, 10)
        AND completed = (OLD.status = 'completed') AND started = (OLD.touched_lessons > 0)
        AND completed_required = OLD.completed_required_lessons;
END;

CREATE TRIGGER course_standings_enrolment_entered
AFTER UPDATE OF course_id, enrolled_at, status, touched_lessons, completed_required_lessons,
    time_spent_seconds ON enrollments
WHEN NEW.status <> 'revoked' AND NOT (OLD.status <> 'revoked' AND NEW.status <> 'revoked'
        AND OLD.course_id = NEW.course_id
        AND substr(OLD.enrolled_at, 1, 10) = substr(NEW.enrolled_at, 1, 10)
        AND (OLD.status = 'completed') = (NEW.status = 'completed')
        AND (OLD.touched_lessons > 0) = (NEW.touched_lessons > 0)
        AND OLD.completed_required_lessons = NEW.completed_required_lessons)
BEGIN
    INSERT INTO course_standings (course_id, enrolled_day, completed, started,
        completed_required, enrolments, time_spent_seconds)
    VALUES (NEW.course_id, substr(NEW.enrolled_at, 1, 10), NEW.status = 'completed',
        NEW.touched_lessons > 0, NEW.completed_required_lessons, 1, NEW.time_spent_seconds)
    ON CONFLICT DO UPDATE SET enrolments = enrolments + 1,
        time_spent_seconds = time_spent_seconds + excluded.time_spent_seconds;
END;

CREATE TRIGGER course_standings_enrolment_deleted AFTER DELETE ON enrollments
WHEN OLD.status <> 'revoked'
BEGIN
    UPDATE course_standings SET enrolments = enrolments - 1,
        time_spent_seconds = time_spent_seconds - OLD.time_spent_seconds
    WHERE course_id = OLD.course_id AND enrolled_day = substr(OLD.enrolled_at, 1, 10)
        AND completed = (OLD.status = 'completed') AND started = (OLD.touched_lessons > 0)
        AND completed_required = OLD.completed_required_lessons;
END;

-- The days each enrolment has lesson progress last updated on, with how many lessons: the
-- learners active in a course over a range are the distinct enrolments with a day in it.
CREATE TABLE course_learner_days (
    course_id     TEXT NOT NULL,
    enrollment_id TEXT NOT NULL,
    day           TEXT NOT NULL,
    lessons       INTEGER NOT NULL,
    PRIMARY KEY (course_id, enrollment_id, day)
) WITHOUT ROWID;

INSERT INTO course_learner_days (course_id, enrollment_id, day, lessons)
SELECT e.course_id, lp.enrollment_id, substr(lp.updated_at, 1, 10), COUNT(*)
FROM lesson_progress lp JOIN enrollments e ON e.id = lp.enrollment_id GROUP BY 1, 2, 3;

CREATE TRIGGER course_learner_days_progress_added AFTER INSERT ON lesson_progress
BEGIN
    INSERT INTO course_learner_days (course_id, enrollment_id, day, lessons)
    SELECT course_id, NEW.enrollment_id, substr(NEW.updated_at, 1, 10), 1
    FROM enrollments WHERE id = NEW.enrollment_id AND true
    ON CONFLICT DO UPDATE SET lessons = lessons + 1;
END;

CREATE TRIGGER course_learner_days_progress_moved
AFTER UPDATE OF updated_at, enrollment_id ON lesson_progress
WHEN substr(OLD.updated_at, 1, 10) <> substr(NEW.updated_at, 1, 10)
    OR OLD.enrollment_id <> NEW.enrollment_id
BEGIN
    UPDATE course_learner_days SET lessons = lessons - 1
    WHERE course_id = (SELECT course_id FROM enrollments WHERE id = OLD.enrollment_id)
        AND enrollment_id = OLD.enrollment_id AND day = substr(OLD.updated_at, 1, 10);
    DELETE FROM course_learner_days
    WHERE course_id = (SELECT course_id FROM enrollments WHERE id = OLD.enrollment_id)
        AND enrollment_id = OLD.enrollment_id AND day = substr(OLD.updated_at, 1, 10)
        AND lessons = 0;
    INSERT INTO course_learner_days (course_id, enrollment_id, day, lessons)
    SELECT course_id, NEW.enrollment_id, substr(NEW.updated_at, 1, 10), 1
    FROM enrollments WHERE id = NEW.enrollment_id AND true
    ON CONFLICT DO UPDATE SET lessons = lessons + 1;
END;

CREATE TRIGGER course_learner_days_progress_deleted AFTER DELETE ON lesson_progress
BEGIN
    UPDATE course_learner_days SET lessons = lessons - 1
    WHERE course_id = (SELECT course_id FROM enrollments WHERE id = OLD.enrollment_id)
        AND enrollment_id = OLD.enrollment_id AND day = substr(OLD.updated_at, 1, 10);
    DELETE FROM course_learner_days
    WHERE course_id = (SELECT course_id FROM enrollments WHERE id = OLD.enrollment_id)
        AND enrollment_id = OLD.enrollment_id AND day = substr(OLD.updated_at, 1, 10)
        AND lessons = 0;
END;

-- An enrolment's progress cascades after the enrolment is gone, when its course can no
-- longer be looked up: its days go with it here.
CREATE TRIGGER course_learner_days_enrolment_deleted AFTER DELETE ON enrollments
BEGIN
    DELETE FROM course_learner_days WHERE course_id = OLD.course_id AND enrollment_id = OLD.id;
END;

CREATE TRIGGER course_learner_days_enrolment_moved AFTER UPDATE OF course_id ON enrollments
WHEN OLD.course_id <> NEW.course_id
BEGIN
    UPDATE course_learner_days SET course_id = NEW.course_id
    WHERE course_id = OLD.course_id AND enrollment_id = OLD.id;
END;

-- Sign-ups by day and role: the users report's sign-ups and its users by role.
CREATE TABLE signups_by_day (
    day   TEXT NOT NULL,
    role  TEXT NOT NULL,
    users INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, role)
) WITHOUT ROWID;

INSERT INTO signups_by_day (day, role, users)
SELECT substr(created_at, 1, 10), role, COUNT(*) FROM users GROUP BY 1, 2;

CREATE TRIGGER signups_by_day_user_added AFTER INSERT ON users
BEGIN
    INSERT INTO signups_by_day (day, role, users)
    VALUES (substr(NEW.created_at, 1, 10), NEW.role, 1)
    ON CONFLICT DO UPDATE SET users = users + 1;
END;

CREATE TRIGGER signups_by_day_user_changed AFTER UPDATE OF role, created_at ON users
WHEN OLD.role <> NEW.role OR OLD.created_at <> NEW.created_at
BEGIN
    UPDATE signups_by_day SET users = users - 1
    WHERE day = substr(OLD.created_at, 1, 10) AND role = OLD.role;
    INSERT INTO signups_by_day (day, role, users)
    VALUES (substr(NEW.created_at, 1, 10), NEW.role, 1)
    ON CONFLICT DO UPDATE SET users = users + 1;
END;

CREATE TRIGGER signups_by_day_user_deleted AFTER DELETE ON users
BEGIN
    UPDATE signups_by_day SET users = users - 1
    WHERE day = substr(OLD.created_at, 1, 10) AND role = OLD.role;
END;
