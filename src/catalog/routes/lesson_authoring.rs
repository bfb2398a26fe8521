//! Lesson authoring for a course's instructor and admins: create, update, delete and
//! reorder lessons, with quiz questions and audit rows.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::auth::extract::ClientIp;
use crate::catalog::lesson::LessonBody;
use crate::catalog::outline::{LessonView, SectionView};
use crate::catalog::service::{Author, lessons};
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_lesson))
        .routes(routes!(update_lesson, delete_lesson))
        .routes(routes!(reorder_lessons))
}

/// Add a lesson at the end of a section.
#[utoipa::path(post, path = "/api/courses/{course_id}/lessons", tag = "course content",
    security(("bearer" = [])), params(("course_id" = String, Path)), request_body = LessonBody,
    responses(
        (status = 201, body = LessonView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_lesson(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(course_id): Path<String>,
    Json(body): Json<LessonBody>,
) -> Result<(StatusCode, Json<LessonView>), AppError> {
    let view = lessons::create(&state, Author::new(user, ip), course_id, body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Update a lesson (any fields; `questions` replaces them all; a new `section_id` moves it
/// to the end of that section).
#[utoipa::path(put, path = "/api/courses/{course_id}/lessons/{lesson_id}", tag = "course content",
    security(("bearer" = [])),
    params(("course_id" = String, Path), ("lesson_id" = String, Path)), request_body = LessonBody,
    responses(
        (status = 200, body = LessonView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_lesson(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path((course_id, lesson_id)): Path<(String, String)>,
    Json(body): Json<LessonBody>,
) -> Result<Json<LessonView>, AppError> {
    let author = Author::new(user, ip);
    let view = lessons::update(&state, author, course_id, lesson_id, body).await?;
    Ok(Json(view))
}

/// Delete a lesson; the rest of its section closes ranks.
#[utoipa::path(delete, path = "/api/courses/{course_id}/lessons/{lesson_id}", tag = "course content",
    security(("bearer" = [])),
    params(("course_id" = String, Path), ("lesson_id" = String, Path)),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "learners have records for it", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_lesson(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path((course_id, lesson_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    lessons::delete(&state, Author::new(user, ip), course_id, lesson_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderLessons {
    pub section_id: String,
    /// Every lesson id of the section, in the new order.
    pub lesson_ids: Vec<String>,
}

/// Put a section's lessons in a new order; answers with the whole authoring outline.
#[utoipa::path(post, path = "/api/courses/{course_id}/lessons/reorder", tag = "course content",
    security(("bearer" = [])), params(("course_id" = String, Path)), request_body = ReorderLessons,
    responses(
        (status = 200, body = Vec<SectionView>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reorder_lessons(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(course_id): Path<String>,
    Json(body): Json<ReorderLessons>,
) -> Result<Json<Vec<SectionView>>, AppError> {
    let author = Author::new(user, ip);
    let (section_id, lesson_ids) = (body.section_id, body.lesson_ids);
    let view = lessons::reorder(&state, author, course_id, section_id, lesson_ids).await?;
    Ok(Json(view))
}
