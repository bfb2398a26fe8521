//! `/api/courses`: the school's courses.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common;
use crate::app::AppState;
use crate::auth::extract::ClientIp;
use crate::auth::{AuthUser, MaybeUser};
use crate::catalog::cache::COURSE_SOURCES;
use crate::catalog::listing::ListParams;
use crate::catalog::model::{Course, CourseView};
use crate::catalog::service::Author;
use crate::catalog::service::items;
use crate::catalog::service::shared::Removal;
use crate::catalog::validate::CourseBody;
use crate::http::{AppError, Json, ListResponse, Problem, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_courses, create_course))
        .routes(routes!(get_course, update_course, delete_course))
}

/// List courses: filters, sort, full-text search. Sends a weak ETag.
#[utoipa::path(get, path = "/api/courses", tag = "catalogue", params(ListParams),
    responses(
        (status = 200, body = ListResponse<CourseView>),
        (status = 304, description = "not modified"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_courses(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    Query(params): Query<ListParams>,
) -> Result<Response, AppError> {
    let key = common::sees_public_catalogue(&user)
        .then(|| format!("courses?{}", query.unwrap_or_default()));
    // Listed inside the read, so a cached answer skips building the query too.
    common::cached_read(&state, &headers, key, COURSE_SOURCES, move |conn| {
        items::list::<Course>(conn, &params, &user)
    })
    .await
}

/// One course by id or slug (drafts only for their instructor and admins).
#[utoipa::path(get, path = "/api/courses/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "id or slug")),
    responses(
        (status = 200, body = CourseView),
        (status = 304, description = "not modified"),
    ))]
pub async fn get_course(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let cache_key = common::sees_public_catalogue(&user).then(|| format!("course/{key}"));
    common::cached_read(&state, &headers, cache_key, COURSE_SOURCES, move |conn| {
        items::get::<Course>(conn, &key, &user)
    })
    .await
}

/// Create a course (admins and instructors); the caller is its instructor.
#[utoipa::path(post, path = "/api/courses", tag = "catalogue", security(("bearer" = [])),
    request_body = CourseBody,
    responses(
        (status = 201, body = CourseView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "slug taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_course(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<CourseBody>,
) -> Result<(StatusCode, Json<CourseView>), AppError> {
    let view = items::create::<Course>(&state, Author::new(user, ip), body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Update a course (admins, or its instructor; other instructors get 404). Send any fields.
#[utoipa::path(put, path = "/api/courses/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CourseBody,
    responses(
        (status = 200, body = CourseView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_course(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(body): Json<CourseBody>,
) -> Result<Json<CourseView>, AppError> {
    let view = items::update::<Course>(&state, Author::new(user, ip), id, body).await?;
    Ok(Json(view))
}

/// Delete a course (admins). A course anyone is or was enrolled in is archived instead (200
/// with the archived course); otherwise it goes with its sections and lessons (204).
#[utoipa::path(delete, path = "/api/courses/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "archived instead", body = CourseView),
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_course(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Removal<CourseView>, AppError> {
    items::delete::<Course>(&state, Author::new(user, ip), id).await
}
