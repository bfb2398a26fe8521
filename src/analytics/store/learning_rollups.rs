//! SQL of the learning rollups (V40): each enrolment's lesson counts, the standings of each
//! course's enrolments, the days learners were active in a course and the sign-ups by day;
//! their recomputation, and the report figures read from them. Triggers keep them in every
//! write; see the migration for what counts.

use rusqlite::{Connection, params};

use crate::analytics::figures::EnrolmentStanding;
use crate::analytics::model::{CourseActivity, RoleCount};
use crate::analytics::period::DateRange;

/// Rows a rebuild corrected or wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rebuilt {
    /// Enrolments whose lesson counts were wrong.
    pub enrolments_corrected: usize,
    pub standings: usize,
    pub learner_days: usize,
    pub signup_days: usize,
}

/// Recomputes every learning rollup from the enrolments, lesson progress and users, in the
/// caller's transaction.
pub fn rebuild(conn: &Connection) -> rusqlite::Result<Rebuilt> {
    let counted = "SELECT e.id, COALESCE(p.touched, 0) AS touched, COALESCE(p.done, 0) AS done
        FROM enrollments e LEFT JOIN (
            SELECT lp.enrollment_id, COUNT(*) AS touched,
                SUM(lp.completed_at IS NOT NULL AND l.required = 1) AS done
            FROM lesson_progress lp LEFT JOIN lessons l ON l.id = lp.lesson_id
            GROUP BY lp.enrollment_id) p ON p.enrollment_id = e.id";
    let enrolments_corrected = conn.execute(
        &format!(
            "UPDATE enrollments SET touched_lessons = c.touched,
                completed_required_lessons = c.done
             FROM ({counted}) AS c
             WHERE c.id = enrollments.id AND (enrollments.touched_lessons <> c.touched
                OR enrollments.completed_required_lessons <> c.done)"
        ),
        [],
    )?;
    conn.execute_batch(
        "DELETE FROM course_standings; DELETE FROM course_learner_days;
         DELETE FROM signups_by_day;",
    )?;
    let standings = conn.execute(
        "INSERT INTO course_standings (course_id, enrolled_day, completed, started,
            completed_required, enrolments, time_spent_seconds)
         SELECT course_id, substr(enrolled_at, 1, 10), status = 'completed',
            touched_lessons > 0, completed_required_lessons, COUNT(*), SUM(time_spent_seconds)
         FROM enrollments WHERE status <> 'revoked' GROUP BY 1, 2, 3, 4, 5",
        [],
    )?;
    let learner_days = conn.execute(
        "INSERT INTO course_learner_days (course_id, enrollment_id, day, lessons)
         SELECT e.course_id, lp.enrollment_id, substr(lp.updated_at, 1, 10), COUNT(*)
         FROM lesson_progress lp JOIN enrollments e ON e.id = lp.enrollment_id
         GROUP BY 1, 2, 3",
        [],
    )?;
    let signup_days = conn.execute(
        "INSERT INTO signups_by_day (day, role, users)
         SELECT substr(created_at, 1, 10), role, COUNT(*) FROM users GROUP BY 1, 2",
        [],
    )?;
    Ok(Rebuilt {
        enrolments_corrected,
        standings,
        learner_days,
        signup_days,
    })
}

/// Where a course's enrolments (not revoked; enrolled within `range` when given) stand,
/// grouped alike: a few dozen rows whatever the number of learners.
pub fn standings(
    conn: &Connection,
    course_id: &str,
    range: Option<&DateRange>,
) -> rusqlite::Result<Vec<EnrolmentStanding>> {
    let required: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM lessons WHERE course_id = ?1 AND required = 1")?
        .query_row([course_id], |r| r.get(0))?;
    conn.prepare_cached(
        "SELECT completed, started, completed_required, SUM(enrolments),
            SUM(time_spent_seconds)
         FROM course_standings
         WHERE course_id = ?1 AND (?2 IS NULL OR enrolled_day >= ?2)
           AND (?3 IS NULL OR enrolled_day < ?3)
         GROUP BY 1, 2, 3 HAVING SUM(enrolments) > 0",
    )?
    .query_map(
        params![
            course_id,
            range.map(DateRange::start_day),
            range.map(DateRange::end_day)
        ],
        |r| {
            Ok(EnrolmentStanding {
                required_lessons: required,
                completed: r.get(0)?,
                started: r.get(1)?,
                completed_required: r.get(2)?,
                enrolments: r.get(3)?,
                time_spent_seconds: r.get(4)?,
            })
        },
    )?
    .collect()
}

/// `(course_id, enrolments)` of every course with enrolments (not revoked) in the range, as
/// a query for `?12` (first day) and `?13` (the day after the range).
pub const ENROLMENTS_PER_COURSE: &str = "SELECT course_id, SUM(enrolments) AS enrolments
    FROM course_standings WHERE enrolled_day >= ?12 AND enrolled_day < ?13
    GROUP BY course_id HAVING SUM(enrolments) > 0";

/// Learners who worked on a lesson of each course in the range (whose progress on a lesson
/// was last updated in it), busiest first.
pub fn learners_active_per_course(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
) -> rusqlite::Result<Vec<CourseActivity>> {
    conn.prepare_cached(
        "SELECT c.id, c.title, a.learners FROM (
            SELECT course_id, COUNT(*) AS learners FROM (
                SELECT DISTINCT course_id, enrollment_id FROM course_learner_days
                WHERE day >= ?1 AND day < ?2)
            GROUP BY course_id) a
         JOIN courses c ON c.id = a.course_id
         WHERE ?3 IS NULL OR c.instructor_id = ?3
         ORDER BY 3 DESC, c.title, c.id",
    )?
    .query_map(params![range.start_day(), range.end_day(), owner], |r| {
        Ok(CourseActivity {
            course_id: r.get(0)?,
            title: r.get(1)?,
            active_learners: r.get(2)?,
        })
    })?
    .collect()
}

/// The whole school's users by role.
pub fn users_by_role(conn: &Connection) -> rusqlite::Result<Vec<RoleCount>> {
    conn.prepare_cached(
        "SELECT role, SUM(users) FROM signups_by_day GROUP BY role HAVING SUM(users) > 0
         ORDER BY role",
    )?
    .query_map([], |r| {
        Ok(RoleCount {
            role: r.get(0)?,
            users: r.get(1)?,
        })
    })?
    .collect()
}

/// `(day, sign-ups)` of the whole school in the range.
pub fn daily_signups(conn: &Connection, range: &DateRange) -> rusqlite::Result<Vec<(String, i64)>> {
    conn.prepare_cached(
        "SELECT day, SUM(users) FROM signups_by_day WHERE day >= ?1 AND day < ?2
         GROUP BY day HAVING SUM(users) > 0",
    )?
    .query_map(params![range.start_day(), range.end_day()], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?
    .collect()
}
