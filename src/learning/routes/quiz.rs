//! Quiz endpoints: the questions without answers, and graded attempts.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::http::{AppError, Json, Problem};
use crate::learning::activity::{self, AttemptResult};
use crate::learning::grading::GivenAnswer;
use crate::learning::model::LessonType;
use crate::learning::service;
use crate::learning::store::{courses, enrollments, quiz};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_quiz))
        .routes(routes!(post_attempt))
}

/// A question as learners see it: never its answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuizQuestion {
    pub id: String,
    pub kind: String,
    pub prompt: String,
    pub options: Option<Vec<String>>,
    pub points: i64,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuizView {
    pub lesson_id: String,
    pub title: String,
    pub pass_percent: Option<i64>,
    pub max_attempts: Option<i64>,
    /// The caller's attempts so far (0 for the instructor and admins).
    pub attempts_used: i64,
    pub best_score_percent: Option<i64>,
    pub passed: bool,
    pub questions: Vec<QuizQuestion>,
}

/// A quiz's questions (without answers) for an enrolled learner, the owner or an admin.
#[utoipa::path(get, path = "/api/lessons/{lessonId}/quiz", tag = "learning", security(("bearer" = [])),
    params(("lessonId" = String, Path)),
    responses(
        (status = 200, body = QuizView),
        (status = 403, description = "not enrolled, revoked, or not open yet (`available_at`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_quiz(
    State(state): State<AppState>,
    user: AuthUser,
    Path(lesson_id): Path<String>,
) -> Result<Json<QuizView>, AppError> {
    let gate = crate::access::Gate::of(&state);
    let view = state
        .db
        .read(move |conn| {
            let lesson = service::lesson_of_kind(conn, &lesson_id, LessonType::Quiz, "quiz")?;
            service::content_access(conn, &user.user_id, user.is_admin(), &lesson, gate)?;
            let standing = match enrollments::find(conn, &user.user_id, &lesson.course_id)? {
                Some(e) => quiz::standing(conn, &e.id, &lesson.id)?,
                None => quiz::QuizStanding::default(),
            };
            let questions = courses::questions(conn, &lesson.id)?
                .into_iter()
                .map(|q| QuizQuestion {
                    options: q
                        .options
                        .as_deref()
                        .and_then(|o| serde_json::from_str(o).ok()),
                    id: q.id,
                    kind: q.kind,
                    prompt: q.prompt,
                    points: q.points,
                })
                .collect();
            Ok(QuizView {
                lesson_id: lesson.id,
                title: lesson.title,
                pass_percent: lesson.pass_percent,
                max_attempts: lesson.max_attempts,
                attempts_used: standing.attempts,
                best_score_percent: standing.best_score_percent,
                passed: standing.passed,
                questions,
            })
        })
        .await?;
    Ok(Json(view))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttemptRequest {
    pub answers: Vec<GivenAnswer>,
}

/// Submit answers; graded on the server. A passing attempt completes the lesson.
#[utoipa::path(post, path = "/api/lessons/{lessonId}/quiz/attempts", tag = "learning", security(("bearer" = [])),
    params(("lessonId" = String, Path)), request_body = AttemptRequest,
    responses(
        (status = 201, body = AttemptResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "no attempts left", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "unknown question or misshapen answer", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn post_attempt(
    State(state): State<AppState>,
    user: AuthUser,
    Path(lesson_id): Path<String>,
    Json(body): Json<AttemptRequest>,
) -> Result<(StatusCode, Json<AttemptResult>), AppError> {
    if body.answers.len() > 500 {
        return Err(AppError::field("answers", "must have at most 500 answers"));
    }
    let gate = crate::access::Gate::of(&state);
    let result = state
        .db
        .write(move |conn| {
            activity::submit_attempt(conn, &user.user_id, &lesson_id, &body.answers, gate)
        })
        .await?;
    crate::mail::wake(&state);
    Ok((StatusCode::CREATED, Json(result)))
}
