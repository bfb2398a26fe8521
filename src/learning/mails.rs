//! Learning mail: queues the learner's mail for a completed course or a graded assignment
//! into the outbox, inside the write transaction of the event.

use rusqlite::Connection;

use super::model::{Certificate, Enrollment, Submission};
use super::store::courses;
use crate::http::AppError;
use crate::mail::context::enqueue_with;
use crate::mail::events::{self, Grade};

/// "You completed the course": certificate, verification link and an invitation to review.
pub fn course_completed(
    conn: &Connection,
    enrollment: &Enrollment,
    certificate: &Certificate,
    now: &str,
) -> Result<(), AppError> {
    let Some(learner) = crate::users::store::by_id(conn, &enrollment.user_id)? else {
        return Ok(());
    };
    let title = courses::course(conn, &enrollment.course_id)?
        .map(|c| c.title)
        .unwrap_or_default();
    enqueue_with(conn, now, &learner.email, |ctx| {
        events::course_completed(
            ctx,
            &learner.name,
            &enrollment.course_id,
            &title,
            &certificate.serial,
        )
    })?;
    Ok(())
}

/// "Your assignment was graded", with the grade and the grader's feedback.
pub fn assignment_graded(
    conn: &Connection,
    submission: &Submission,
    now: &str,
) -> Result<(), AppError> {
    let Some(learner) = crate::users::store::by_id(conn, &submission.user_id)? else {
        return Ok(());
    };
    let course_title = courses::course(conn, &submission.course_id)?
        .map(|c| c.title)
        .unwrap_or_default();
    let lesson = courses::lesson(conn, &submission.lesson_id)?;
    let grade = Grade {
        name: &learner.name,
        course_id: &submission.course_id,
        course_title: &course_title,
        lesson_id: &submission.lesson_id,
        lesson_title: lesson
            .as_ref()
            .map(|l| l.title.as_str())
            .unwrap_or_default(),
        score: submission.score.unwrap_or(0),
        max_score: lesson.as_ref().and_then(|l| l.max_score).unwrap_or(100),
        passed: submission.passed.unwrap_or(false),
        feedback: submission.feedback.as_deref().unwrap_or_default(),
    };
    enqueue_with(conn, now, &learner.email, |ctx| {
        events::assignment_graded(ctx, &grade)
    })?;
    Ok(())
}
