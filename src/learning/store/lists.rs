//! SQL answering a whole page of enrolments at once (my courses, a course's students), so
//! list endpoints run a fixed number of queries whatever the page size.

use std::collections::HashMap;

use rusqlite::Connection;

use super::quiz::QuizStanding;

/// What a list row shows about one enrolment besides the enrolment itself.
#[derive(Debug, Clone)]
pub struct EnrollmentFigures {
    pub course_title: String,
    pub required_lessons: i64,
    pub completed_required: i64,
    pub certificate_serial: Option<String>,
    /// Whether the learner has reviewed the course.
    pub reviewed: bool,
}

pub const FIGURES_SQL: &str = "SELECT e.id, c.title,
        (SELECT COUNT(*) FROM lessons l WHERE l.course_id = e.course_id AND l.required = 1),
        (SELECT COUNT(*) FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id
          WHERE p.enrollment_id = e.id AND p.completed_at IS NOT NULL
            AND l.course_id = e.course_id AND l.required = 1),
        (SELECT ct.serial FROM certificates ct
          WHERE ct.enrollment_id = e.id AND ct.revoked_at IS NULL LIMIT 1),
        EXISTS (SELECT 1 FROM reviews rv WHERE rv.user_id = e.user_id AND rv.course_id = e.course_id)
     FROM enrollments e JOIN courses c ON c.id = e.course_id
     WHERE e.id IN (SELECT value FROM json_each(?1))";

fn ids_json(ids: &[String]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

/// Course title, progress counts and current certificate of each enrolment in `ids`.
pub fn figures(
    conn: &Connection,
    ids: &[String],
) -> rusqlite::Result<HashMap<String, EnrollmentFigures>> {
    conn.prepare_cached(FIGURES_SQL)?
        .query_map([ids_json(ids)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                EnrollmentFigures {
                    course_title: r.get(1)?,
                    required_lessons: r.get(2)?,
                    completed_required: r.get(3)?,
                    certificate_serial: r.get(4)?,
                    reviewed: r.get(5)?,
                },
            ))
        })?
        .collect()
}

pub const STANDINGS_SQL: &str =
    "SELECT enrollment_id, lesson_id, COUNT(*), MAX(score_percent), MAX(passed)
     FROM quiz_attempts WHERE enrollment_id IN (SELECT value FROM json_each(?1))
     GROUP BY enrollment_id, lesson_id ORDER BY enrollment_id, lesson_id";

/// Quiz standings (per quiz lesson) of each enrolment in `ids`.
pub fn standings(
    conn: &Connection,
    ids: &[String],
) -> rusqlite::Result<HashMap<String, Vec<QuizStanding>>> {
    let mut out: HashMap<String, Vec<QuizStanding>> = HashMap::new();
    let mut stmt = conn.prepare_cached(STANDINGS_SQL)?;
    let rows = stmt.query_map([ids_json(ids)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            QuizStanding {
                lesson_id: r.get(1)?,
                attempts: r.get(2)?,
                best_score_percent: r.get(3)?,
                passed: r.get(4)?,
            },
        ))
    })?;
    for row in rows {
        let (id, standing) = row?;
        out.entry(id).or_default().push(standing);
    }
    Ok(out)
}
