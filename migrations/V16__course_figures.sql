-- Performance (issue 11): course cards read their lesson count and total duration from the
-- course row, kept current by triggers on lessons, instead of counting lessons per card.
ALTER TABLE courses ADD COLUMN lesson_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE courses ADD COLUMN total_duration_seconds INTEGER NOT NULL DEFAULT 0;

UPDATE courses SET
    lesson_count = (SELECT COUNT(*) FROM lessons l WHERE l.course_id = courses.id),
    total_duration_seconds =
        (SELECT COALESCE(SUM(l.duration_seconds), 0) FROM lessons l WHERE l.course_id = courses.id);

CREATE TRIGGER lessons_figures_insert AFTER INSERT ON lessons BEGIN
    UPDATE courses SET lesson_count = lesson_count + 1,
        total_duration_seconds = total_duration_seconds + new.duration_seconds
    WHERE id = new.course_id;
END;

CREATE TRIGGER lessons_figures_delete AFTER DELETE ON lessons BEGIN
    UPDATE courses SET lesson_count = lesson_count - 1,
        total_duration_seconds = total_duration_seconds - old.duration_seconds
    WHERE id = old.course_id;
END;

CREATE TRIGGER lessons_figures_update AFTER UPDATE OF course_id, duration_seconds ON lessons BEGIN
    UPDATE courses SET lesson_count = lesson_count - 1,
        total_duration_seconds = total_duration_seconds - old.duration_seconds
    WHERE id = old.course_id;
    UPDATE courses SET lesson_count = lesson_count + 1,
        total_duration_seconds = total_duration_seconds + new.duration_seconds
    WHERE id = new.course_id;
END;
