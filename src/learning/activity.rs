//! What learners do inside a course, as services run in one write transaction each:
//! progress heartbeats, quiz attempts, assignment submissions and grading.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::completion::{self, Evidence, NotThisWay};
use super::grading::{self, GivenAnswer, Question, QuestionResult};
use super::model::{LessonType, ProgressView, Submission, SubmissionStatus};
use super::service::{self, complete_lesson, learner_access};
use super::store::{courses, enrollments, progress as progress_store, quiz, submissions};
use crate::access::Gate;
use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::{AppError, FieldError};

/// A progress report from the player (validated by the route).
#[derive(Debug, Clone)]
pub struct ProgressInput {
    pub lesson_id: String,
    pub completed: bool,
    pub time_spent_seconds: Option<i64>,
}

/// Records a heartbeat and/or a learner-completed lesson; returns the new progress.
pub fn record_progress(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
    input: &ProgressInput,
    gate: Gate,
) -> Result<ProgressView, AppError> {
    let now = gate.now;
    if !crate::catalog::store::exists(conn, crate::catalog::store::Table::Courses, course_id)? {
        return Err(AppError::NotFound("course"));
    }
    let mut enrollment = service::open_enrollment(conn, user_id, course_id, gate)?;
    let lesson = courses::lesson(conn, &input.lesson_id)?
        .filter(|l| l.course_id == course_id)
        .ok_or_else(|| AppError::field("lesson_id", "is not a lesson of this course"))?;
    service::drip_gate(&enrollment, &lesson, now)?;
    let now_text = rfc3339(now);
    if input.completed
        && completion::lesson_completed(lesson.content_type, Evidence::MarkedDone)
            .map_err(|NotThisWay(how)| AppError::field("completed", how))?
    {
        complete_lesson(conn, &mut enrollment, &lesson.id, &now_text)?;
    }
    let (heartbeat_at, credited) = match input.time_spent_seconds {
        Some(reported) => {
            let previous = enrollment
                .last_heartbeat_at
                .as_deref()
                .or(Some(enrollment.enrolled_at.as_str()))
                .and_then(parse_rfc3339);
            let credited = super::progress::credited_seconds(reported, previous, now);
            progress_store::add_time(conn, &enrollment.id, &lesson.id, credited, &now_text)?;
            (Some(now_text.as_str()), credited)
        }
        None => (None, 0),
    };
    enrollments::record_activity(
        conn,
        &enrollment.id,
        &lesson.id,
        heartbeat_at,
        credited,
        &now_text,
    )?;
    enrollment.note_activity(&lesson.id, heartbeat_at, credited);
    service::progress_view(conn, &enrollment)
}

/// The graded result of a quiz attempt.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttemptResult {
    pub score_percent: i64,
    pub passed: bool,
    pub attempts_used: i64,
    /// `null` when attempts are unlimited.
    pub attempts_left: Option<i64>,
    pub correct_count: i64,
    pub best_score_percent: i64,
    pub question_results: Vec<QuestionResult>,
    /// The course progress after this attempt.
    pub progress: ProgressView,
}

/// Grades and stores a quiz attempt; a passing one completes the lesson.
pub fn submit_attempt(
    conn: &Connection,
    user_id: &str,
    lesson_id: &str,
    answers: &[GivenAnswer],
    gate: Gate,
) -> Result<AttemptResult, AppError> {
    let now = gate.now;
    let lesson = service::lesson_of_kind(conn, lesson_id, LessonType::Quiz, "quiz")?;
    let mut enrollment = learner_access(conn, user_id, &lesson, gate)?;
    let questions: Vec<Question> = courses::questions(conn, lesson_id)?
        .into_iter()
        .map(|q| Question {
            option_count: q
                .options
                .as_deref()
                .and_then(|o| serde_json::from_str::<Vec<serde_json::Value>>(o).ok())
                .map_or(0, |o| o.len()),
            key: serde_json::from_str(&q.answer).unwrap_or(serde_json::Value::Null),
            id: q.id,
            kind: q.kind,
            points: q.points,
        })
        .collect();
    if questions.is_empty() {
        return Err(AppError::conflict("this quiz has no questions yet"));
    }
    let before = quiz::standing(conn, &enrollment.id, lesson_id)?;
    if let Some(max) = lesson.max_attempts
        && before.attempts >= max
    {
        return Err(AppError::conflict(crate::msg!(
            "problem-attempts-used",
            max = max
        )));
    }
    let grade = grading::grade(&questions, answers).map_err(AppError::Validation)?;
    let passed = completion::quiz_passes(grade.score_percent, lesson.pass_percent);
    let now_text = rfc3339(now);
    let answers_json = serde_json::to_string(answers).map_err(|e| AppError::Internal(e.into()))?;
    quiz::insert_attempt(
        conn,
        &quiz::NewAttempt {
            enrollment_id: &enrollment.id,
            lesson_id,
            score_percent: grade.score_percent,
            passed,
            correct_count: grade.correct_count,
            answers: &answers_json,
        },
        &now_text,
    )?;
    if passed {
        complete_lesson(conn, &mut enrollment, lesson_id, &now_text)?;
    }
    enrollments::record_activity(conn, &enrollment.id, lesson_id, None, 0, &now_text)?;
    enrollment.note_activity(lesson_id, None, 0);
    let used = before.attempts + 1;
    Ok(AttemptResult {
        score_percent: grade.score_percent,
        passed,
        attempts_used: used,
        attempts_left: lesson.max_attempts.map(|max| (max - used).max(0)),
        correct_count: grade.correct_count,
        best_score_percent: before
            .best_score_percent
            .unwrap_or(0)
            .max(grade.score_percent),
        question_results: grade.results,
        progress: service::progress_view(conn, &enrollment)?,
    })
}

/// An assignment hand-in, validated by the route.
#[derive(Debug, Clone)]
pub struct SubmissionInput {
    pub text: Option<String>,
    pub url: Option<String>,
    pub media_id: Option<String>,
}

/// Hands in an assignment: replaces the open submission if there is one, else opens a new
/// one. Returns the submission and whether it is new. 409 once a grade has passed.
pub fn submit_assignment(
    conn: &Connection,
    user_id: &str,
    lesson_id: &str,
    input: SubmissionInput,
    gate: Gate,
) -> Result<(Submission, bool), AppError> {
    let now = gate.now;
    let lesson = service::lesson_of_kind(conn, lesson_id, LessonType::Assignment, "assignment")?;
    let enrollment = learner_access(conn, user_id, &lesson, gate)?;
    if let Some(media_id) = &input.media_id
        && !courses::media_exists(conn, media_id)?
    {
        return Err(AppError::field("media_id", "no uploaded file has this id"));
    }
    let existing = submissions::for_enrollment_lesson(conn, &enrollment.id, lesson_id)?;
    if existing.iter().any(|s| s.passed == Some(true)) {
        return Err(AppError::conflict(
            "this assignment has already been graded as passed",
        ));
    }
    let now_text = rfc3339(now);
    enrollments::record_activity(conn, &enrollment.id, lesson_id, None, 0, &now_text)?;
    if let Some(open) = existing
        .iter()
        .find(|s| s.status == SubmissionStatus::Submitted)
    {
        let mut updated = open.clone();
        updated.text = input.text;
        updated.url = input.url;
        updated.media_id = input.media_id;
        submissions::update_content(conn, &updated, &now_text)?;
        let stored = submissions::by_id(conn, &open.id)?.ok_or(AppError::NotFound("submission"))?;
        return Ok((stored, false));
    }
    let submission = Submission {
        id: uuid::Uuid::now_v7().to_string(),
        lesson_id: lesson_id.to_string(),
        course_id: lesson.course_id.clone(),
        user_id: user_id.to_string(),
        text: input.text,
        url: input.url,
        media_id: input.media_id,
        status: SubmissionStatus::Submitted,
        score: None,
        passed: None,
        feedback: None,
        graded_at: None,
        submitted_at: now_text.clone(),
        updated_at: now_text,
        enrollment_id: enrollment.id,
    };
    submissions::insert(conn, &submission)?;
    Ok((submission, true))
}

/// Grades an open submission of a course the grader owns (404 otherwise); a score at or
/// above the pass score completes the lesson for the learner.
pub fn grade_submission(
    conn: &Connection,
    grader_id: &str,
    is_admin: bool,
    submission_id: &str,
    score: i64,
    feedback: &str,
    now: &str,
) -> Result<Submission, AppError> {
    let submission =
        submissions::by_id(conn, submission_id)?.ok_or(AppError::NotFound("submission"))?;
    match service::owned_course(conn, grader_id, is_admin, &submission.course_id) {
        Err(AppError::NotFound(_)) => return Err(AppError::NotFound("submission")),
        other => other?,
    };
    if submission.status == SubmissionStatus::Graded {
        return Err(AppError::conflict(
            "this submission has already been graded",
        ));
    }
    let lesson =
        courses::lesson(conn, &submission.lesson_id)?.ok_or(AppError::NotFound("lesson"))?;
    let max_score = lesson.max_score.unwrap_or(100);
    if !(0..=max_score).contains(&score) {
        return Err(AppError::Validation(vec![FieldError::new(
            "score",
            crate::msg!("problem-between", min = 0, max = max_score),
        )]));
    }
    let passed = completion::assignment_passes(score, lesson.pass_score);
    submissions::set_grade(conn, submission_id, score, passed, feedback, grader_id, now)?;
    if passed
        && let Some(mut enrollment) =
            enrollments::find(conn, &submission.user_id, &submission.course_id)?
        && enrollment.status.has_access()
    {
        complete_lesson(conn, &mut enrollment, &submission.lesson_id, now)?;
    }
    let graded =
        submissions::by_id(conn, submission_id)?.ok_or(AppError::NotFound("submission"))?;
    super::mails::assignment_graded(conn, &graded, now)?;
    Ok(graded)
}
