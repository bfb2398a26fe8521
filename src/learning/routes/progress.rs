//! Progress endpoints: read progress, report heartbeats and learner-completed lessons.

use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::http::{AppError, FieldError, Json, Problem};
use crate::learning::activity::{self, ProgressInput};
use crate::learning::model::ProgressView;
use crate::learning::progress::MAX_REPORTED_SECONDS;
use crate::learning::service;
use crate::learning::store::courses;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_progress, post_progress))
}

/// The caller's progress in a course.
#[utoipa::path(get, path = "/api/courses/{courseId}/progress", tag = "learning", security(("bearer" = [])),
    params(("courseId" = String, Path)),
    responses(
        (status = 200, body = ProgressView),
        (status = 403, description = "not enrolled or revoked", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_progress(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
) -> Result<Json<ProgressView>, AppError> {
    let view = state
        .db
        .read(move |conn| {
            courses::course(conn, &course_id)?.ok_or(AppError::NotFound("course"))?;
            let enrollment = service::active_enrollment(conn, &user.user_id, &course_id)?;
            service::progress_view(conn, &enrollment)
        })
        .await?;
    Ok(Json(view))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressRequest {
    pub lesson_id: String,
    /// `true` completes a reading or video lesson (quiz and assignment lessons complete by
    /// passing); `false` or absent changes nothing. Completion cannot be undone.
    pub completed: Option<bool>,
    /// Seconds watched/read since the previous heartbeat (0..=86400); the server credits at
    /// most the wall time since that heartbeat and at most 300 s.
    pub time_spent_seconds: Option<i64>,
}

/// Report activity on a lesson: a time heartbeat and/or completion.
#[utoipa::path(post, path = "/api/courses/{courseId}/progress", tag = "learning", security(("bearer" = [])),
    params(("courseId" = String, Path)), request_body = ProgressRequest,
    responses(
        (status = 200, body = ProgressView),
        (status = 403, description = "not enrolled, revoked, or the lesson is not open yet (`available_at`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn post_progress(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
    Json(body): Json<ProgressRequest>,
) -> Result<Json<ProgressView>, AppError> {
    if let Some(seconds) = body.time_spent_seconds
        && !(0..=MAX_REPORTED_SECONDS).contains(&seconds)
    {
        return Err(AppError::Validation(vec![FieldError::new(
            "time_spent_seconds",
            crate::msg!("problem-between", min = 0, max = MAX_REPORTED_SECONDS),
        )]));
    }
    let input = ProgressInput {
        lesson_id: body.lesson_id,
        completed: body.completed.unwrap_or(false),
        time_spent_seconds: body.time_spent_seconds,
    };
    let gate = crate::access::Gate::of(&state);
    // The view is built inside the write: a read after the commit would add a thread hop
    // to every heartbeat, which measured slower than the writer doing it.
    let view = state
        .db
        .write(move |conn| activity::record_progress(conn, &user.user_id, &course_id, &input, gate))
        .await?;
    crate::mail::wake(&state);
    Ok(Json(view))
}
