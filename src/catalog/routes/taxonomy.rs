//! `/api/categories` and `/api/tags`: anyone reads, admins manage.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common;
use crate::auth::AuthUser;
use crate::auth::extract::ClientIp;
use crate::catalog::model::{CategoryView, TagView};
pub use crate::catalog::service::taxonomy::{CategoryBody, TagBody};
use crate::catalog::service::{Author, taxonomy};
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_categories, create_category))
        .routes(routes!(update_category, delete_category))
        .routes(routes!(list_tags, create_tag))
        .routes(routes!(delete_tag))
}

/// Categories, flat, each naming its `parent_id` (roots first, then by position).
#[utoipa::path(get, path = "/api/categories", tag = "catalogue", params(PageParams),
    responses((status = 200, body = ListResponse<CategoryView>), (status = 304, description = "not modified")))]
pub async fn list_categories(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<PageParams>,
) -> Result<Response, AppError> {
    let list = taxonomy::categories(&state, params).await?;
    Ok(common::with_etag(&headers, &list))
}

/// Create a category (admins).
#[utoipa::path(post, path = "/api/categories", tag = "catalogue", security(("bearer" = [])),
    request_body = CategoryBody,
    responses(
        (status = 201, body = CategoryView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_category(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<CategoryBody>,
) -> Result<(StatusCode, Json<CategoryView>), AppError> {
    let view = taxonomy::create_category(&state, Author::new(user, ip), body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Update a category (admins).
#[utoipa::path(put, path = "/api/categories/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CategoryBody,
    responses(
        (status = 200, body = CategoryView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_category(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(body): Json<CategoryBody>,
) -> Result<Json<CategoryView>, AppError> {
    let view = taxonomy::update_category(&state, Author::new(user, ip), id, body).await?;
    Ok(Json(view))
}

/// Delete a category (admins); one with sub-categories is a 409. Products and courses in it
/// keep existing without a category.
#[utoipa::path(delete, path = "/api/categories/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "has sub-categories", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_category(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    taxonomy::delete_category(&state, Author::new(user, ip), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every tag, by name.
#[utoipa::path(get, path = "/api/tags", tag = "catalogue", params(PageParams),
    responses((status = 200, body = ListResponse<TagView>), (status = 304, description = "not modified")))]
pub async fn list_tags(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<PageParams>,
) -> Result<Response, AppError> {
    let list = taxonomy::tags(&state, params).await?;
    Ok(common::with_etag(&headers, &list))
}

/// Create a tag (admins).
#[utoipa::path(post, path = "/api/tags", tag = "catalogue", security(("bearer" = [])),
    request_body = TagBody,
    responses(
        (status = 201, body = TagView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_tag(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<TagBody>,
) -> Result<(StatusCode, Json<TagView>), AppError> {
    let view = taxonomy::create_tag(&state, Author::new(user, ip), body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Delete a tag by id or slug (admins); it is removed from every product and course.
#[utoipa::path(delete, path = "/api/tags/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_tag(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    taxonomy::delete_tag(&state, Author::new(user, ip), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
