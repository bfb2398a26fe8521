//! `/api/courses/:courseId/lessons`: the outline for everyone and lesson content for those
//! allowed (authoring is in `lesson_authoring`).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common;
use crate::auth::MaybeUser;
use crate::catalog::outline::{LessonView, OutlineView};
use crate::catalog::service::content;
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_outline))
        .routes(routes!(get_lesson))
        .merge(super::lesson_authoring::router())
}

/// The outline: sections and lessons with their lock state for the caller, and the content
/// of the lessons the caller may open (enrolled, owner, admin, or preview lessons). Quiz
/// answers are never included. Sends a weak ETag.
#[utoipa::path(get, path = "/api/courses/{course_id}/lessons", tag = "course content",
    params(("course_id" = String, Path)),
    responses(
        (status = 200, body = OutlineView),
        (status = 304, description = "not modified"),
    ))]
pub async fn get_outline(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(course_id): Path<String>,
) -> Result<Response, AppError> {
    let view = content::outline(&state, user, course_id).await?;
    Ok(common::with_etag(&headers, &view))
}

/// One lesson with its content; 403 when locked (not enrolled, or not open yet). Managers
/// (owner and admins) also get the Markdown source and the correct quiz answers.
#[utoipa::path(get, path = "/api/courses/{course_id}/lessons/{lesson_id}", tag = "course content",
    params(("course_id" = String, Path), ("lesson_id" = String, Path)),
    responses(
        (status = 200, body = LessonView),
        (status = 403, description = "locked: not enrolled, or not open yet (`available_at`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_lesson(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path((course_id, lesson_id)): Path<(String, String)>,
) -> Result<Json<LessonView>, AppError> {
    Ok(Json(
        content::lesson(&state, user, course_id, lesson_id).await?,
    ))
}
