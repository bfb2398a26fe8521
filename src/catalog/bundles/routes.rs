//! `/api/bundles`: list, show, create, update and delete bundles.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::{BundleBody, BundleFilters, BundleView};
use super::service;
use crate::auth::extract::ClientIp;
use crate::auth::{AuthUser, MaybeUser};
use crate::catalog::service::Author;
use crate::catalog::service::shared::Removal;
use crate::http::{AppError, Json, ListResponse, Problem, Query};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bundles, create_bundle))
        .routes(routes!(get_bundle, update_bundle, delete_bundle))
}

/// List bundles, newest first: published ones (an instructor also sees their own, an admin
/// every one), filtered by words (`q`), a course they grant, or status (staff).
#[utoipa::path(get, path = "/api/bundles", tag = "catalogue", params(BundleFilters),
    responses(
        (status = 200, body = ListResponse<BundleView>),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_bundles(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(filters): Query<BundleFilters>,
) -> Result<Json<ListResponse<BundleView>>, AppError> {
    let list = state
        .db
        .read(move |conn| service::list(conn, &filters, &user))
        .await?;
    Ok(Json(list))
}

/// One bundle by id or slug, with its courses (drafts only for their owner and admins).
#[utoipa::path(get, path = "/api/bundles/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "id or slug")),
    responses(
        (status = 200, body = BundleView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_bundle(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(key): Path<String>,
) -> Result<Json<BundleView>, AppError> {
    let view = state
        .db
        .read(move |conn| service::get(conn, &key, &user))
        .await?;
    Ok(Json(view))
}

/// Create a bundle (admins and instructors; an instructor bundles only their own courses).
#[utoipa::path(post, path = "/api/bundles", tag = "catalogue", security(("bearer" = [])),
    request_body = BundleBody,
    responses(
        (status = 201, body = BundleView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "slug taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_bundle(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<BundleBody>,
) -> Result<(StatusCode, Json<BundleView>), AppError> {
    let view = service::create(&state, Author::new(user, ip), body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Update a bundle (admins, or its owner; others get 404). Send any fields; orders already
/// placed keep the courses the bundle held when they were placed.
#[utoipa::path(put, path = "/api/bundles/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = BundleBody,
    responses(
        (status = 200, body = BundleView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_bundle(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(body): Json<BundleBody>,
) -> Result<Json<BundleView>, AppError> {
    let view = service::update(&state, Author::new(user, ip), id, body).await?;
    Ok(Json(view))
}

/// Delete a bundle (admins, or its owner). A bundle an order names is archived instead (200
/// with the archived bundle); otherwise it is gone (204).
#[utoipa::path(delete, path = "/api/bundles/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "archived instead", body = BundleView),
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_bundle(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Removal<BundleView>, AppError> {
    service::delete(&state, Author::new(user, ip), id).await
}
