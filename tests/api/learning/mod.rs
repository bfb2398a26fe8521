//! Learning tests: enrolment, progress, drip, quizzes, assignments, certificates, reviews.
//! Courses are built by inserting rows directly (the catalogue API lives elsewhere).

mod access;
mod bad_input;
pub mod captions;
mod reviews;
mod rules;
mod scenario;

use schoolhouse::users::Role;
use serde_json::{Value, json};

use crate::support::{TestApp, TestUser, uuid_suffix};

pub async fn instructor(app: &TestApp) -> TestUser {
    app.user(
        Role::Instructor,
        &format!("instructor-{}@example.com", uuid_suffix()),
    )
    .await
}

/// Inserts a course with one section; returns its id.
pub async fn course(app: &TestApp, instructor_id: &str, price_cents: i64, status: &str) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let (course_id, instructor_id, status) =
        (id.clone(), instructor_id.to_string(), status.to_string());
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO courses (id, instructor_id, title, slug, price_cents, currency, status, created_at, updated_at)
                 VALUES (?1, ?2, 'Sourdough Basics', ?1, ?3, 'USD', ?4, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                rusqlite::params![course_id, instructor_id, price_cents, status],
            )?;
            conn.execute(
                "INSERT INTO sections (id, course_id, title, position, created_at, updated_at)
                 VALUES (?1, ?1, 'Week 1', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                [&course_id],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    id
}

/// What kind of lesson to insert.
#[derive(Clone, Copy)]
pub struct Spec {
    pub kind: &'static str,
    pub required: bool,
    pub days: i64,
    pub pass_percent: Option<i64>,
    pub max_attempts: Option<i64>,
    pub max_score: Option<i64>,
    pub pass_score: Option<i64>,
}

pub fn spec(kind: &'static str) -> Spec {
    Spec {
        kind,
        required: true,
        days: 0,
        pass_percent: None,
        max_attempts: None,
        max_score: None,
        pass_score: None,
    }
}

/// Inserts a lesson at the end of the course's section; returns its id.
pub async fn lesson(app: &TestApp, course_id: &str, s: Spec) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let (lesson_id, course_id) = (id.clone(), course_id.to_string());
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO lessons (id, course_id, section_id, title, content_type, position, required,
                     available_after_days, pass_percent, max_attempts, max_score, pass_score, created_at, updated_at)
                 VALUES (?1, ?2, ?2, 'A lesson', ?3,
                     (SELECT COUNT(*) FROM lessons WHERE course_id = ?2), ?4, ?5, ?6, ?7, ?8, ?9,
                     '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                rusqlite::params![
                    lesson_id, course_id, s.kind, s.required, s.days, s.pass_percent,
                    s.max_attempts, s.max_score, s.pass_score
                ],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    id
}

/// Inserts a quiz question; `options` is `null` for true/false and short text.
pub async fn question(
    app: &TestApp,
    lesson_id: &str,
    kind: &str,
    options: Value,
    answer: Value,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let (question_id, lesson_id, kind) = (id.clone(), lesson_id.to_string(), kind.to_string());
    let options = (!options.is_null()).then(|| options.to_string());
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO quiz_questions (id, lesson_id, position, kind, prompt, options, answer)
                 VALUES (?1, ?2, (SELECT COUNT(*) FROM quiz_questions WHERE lesson_id = ?2), ?3, 'Q?', ?4, ?5)",
                rusqlite::params![question_id, lesson_id, kind, options, answer.to_string()],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    id
}

/// `(rating_sum, rating_count)` of a course as stored.
pub async fn rating(app: &TestApp, course_id: &str) -> (i64, i64) {
    let course_id = course_id.to_string();
    app.state
        .db
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT rating_sum, rating_count FROM courses WHERE id = ?1",
                [course_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .await
        .unwrap()
}

pub async fn enroll(app: &TestApp, course_id: &str, user: &TestUser) -> Value {
    let (status, body) = app
        .post(
            &format!("/api/courses/{course_id}/enroll"),
            json!({}),
            Some(&user.token),
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{body}");
    body
}

/// Marks a reading or video lesson complete; returns the progress.
pub async fn complete(app: &TestApp, course_id: &str, lesson_id: &str, user: &TestUser) -> Value {
    let (status, body) = app
        .post(
            &format!("/api/courses/{course_id}/progress"),
            json!({ "lesson_id": lesson_id, "completed": true }),
            Some(&user.token),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    body
}
