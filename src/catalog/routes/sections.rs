//! `/api/courses/:courseId/sections`: authoring a course's sections (owner and admins).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::auth::extract::ClientIp;
use crate::catalog::outline::SectionView;
use crate::catalog::service::{Author, sections};
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sections, create_section))
        .routes(routes!(update_section, delete_section))
        .routes(routes!(reorder_sections))
}

/// Sections of a course with their lessons (authoring view).
#[utoipa::path(get, path = "/api/courses/{course_id}/sections", tag = "course content",
    security(("bearer" = [])), params(("course_id" = String, Path)),
    responses(
        (status = 200, body = Vec<SectionView>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_sections(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
) -> Result<Json<Vec<SectionView>>, AppError> {
    Ok(Json(sections::list(&state, user, course_id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionBody {
    pub title: String,
}

/// Add a section at the end of the course.
#[utoipa::path(post, path = "/api/courses/{course_id}/sections", tag = "course content",
    security(("bearer" = [])), params(("course_id" = String, Path)), request_body = SectionBody,
    responses(
        (status = 201, body = SectionView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_section(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(course_id): Path<String>,
    Json(body): Json<SectionBody>,
) -> Result<(StatusCode, Json<SectionView>), AppError> {
    let author = Author::new(user, ip);
    let view = sections::create(&state, author, course_id, &body.title).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Rename a section.
#[utoipa::path(put, path = "/api/courses/{course_id}/sections/{section_id}", tag = "course content",
    security(("bearer" = [])),
    params(("course_id" = String, Path), ("section_id" = String, Path)), request_body = SectionBody,
    responses(
        (status = 200, body = SectionView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_section(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path((course_id, section_id)): Path<(String, String)>,
    Json(body): Json<SectionBody>,
) -> Result<Json<SectionView>, AppError> {
    let author = Author::new(user, ip);
    let view = sections::rename(&state, author, course_id, section_id, &body.title).await?;
    Ok(Json(view))
}

/// Delete a section with its lessons; the others close ranks.
#[utoipa::path(delete, path = "/api/courses/{course_id}/sections/{section_id}", tag = "course content",
    security(("bearer" = [])),
    params(("course_id" = String, Path), ("section_id" = String, Path)),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "learners have progress in its lessons", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_section(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path((course_id, section_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    sections::delete(&state, Author::new(user, ip), course_id, section_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderSections {
    /// Every section id of the course, in the new order.
    pub section_ids: Vec<String>,
}

/// Put the sections in a new order.
#[utoipa::path(post, path = "/api/courses/{course_id}/sections/reorder", tag = "course content",
    security(("bearer" = [])), params(("course_id" = String, Path)), request_body = ReorderSections,
    responses(
        (status = 200, body = Vec<SectionView>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reorder_sections(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(course_id): Path<String>,
    Json(body): Json<ReorderSections>,
) -> Result<Json<Vec<SectionView>>, AppError> {
    let author = Author::new(user, ip);
    let view = sections::reorder(&state, author, course_id, body.section_ids).await?;
    Ok(Json(view))
}
