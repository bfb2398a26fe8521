//! SQL for quiz attempts.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

/// A learner's standing on one quiz.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuizStanding {
    pub lesson_id: String,
    pub attempts: i64,
    pub best_score_percent: Option<i64>,
    pub passed: bool,
}

pub struct NewAttempt<'a> {
    pub enrollment_id: &'a str,
    pub lesson_id: &'a str,
    pub score_percent: i64,
    pub passed: bool,
    pub correct_count: i64,
    pub answers: &'a str,
}

pub fn insert_attempt(conn: &Connection, a: &NewAttempt<'_>, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO quiz_attempts (id, enrollment_id, lesson_id, score_percent, passed, correct_count, answers, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        uuid::Uuid::now_v7().to_string(),
        a.enrollment_id,
        a.lesson_id,
        a.score_percent,
        a.passed,
        a.correct_count,
        a.answers,
        now
    ])?;
    Ok(())
}

pub fn standing(
    conn: &Connection,
    enrollment_id: &str,
    lesson_id: &str,
) -> rusqlite::Result<QuizStanding> {
    conn.prepare_cached(
        "SELECT COUNT(*), MAX(score_percent), COALESCE(MAX(passed), 0) FROM quiz_attempts
         WHERE enrollment_id = ?1 AND lesson_id = ?2",
    )?
    .query_row([enrollment_id, lesson_id], |r| {
        Ok(QuizStanding {
            lesson_id: lesson_id.to_string(),
            attempts: r.get(0)?,
            best_score_percent: r.get(1)?,
            passed: r.get(2)?,
        })
    })
}

/// Standing on every quiz of the course an enrolment has attempted.
pub fn standings(conn: &Connection, enrollment_id: &str) -> rusqlite::Result<Vec<QuizStanding>> {
    conn.prepare_cached(
        "SELECT lesson_id, COUNT(*), MAX(score_percent), MAX(passed) FROM quiz_attempts
         WHERE enrollment_id = ?1 GROUP BY lesson_id ORDER BY lesson_id",
    )?
    .query_map([enrollment_id], |r| {
        Ok(QuizStanding {
            lesson_id: r.get(0)?,
            attempts: r.get(1)?,
            best_score_percent: r.get(2)?,
            passed: r.get(3)?,
        })
    })?
    .collect()
}
