//! `/api/products`: the shop's goods.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common;
use crate::app::AppState;
use crate::auth::extract::ClientIp;
use crate::auth::{AuthUser, MaybeUser};
use crate::catalog::cache::PRODUCT_SOURCES;
use crate::catalog::listing::ListParams;
use crate::catalog::model::{Product, ProductView};
use crate::catalog::service::Author;
use crate::catalog::service::items;
use crate::catalog::service::shared::Removal;
use crate::catalog::validate::ProductBody;
use crate::http::{AppError, Json, ListResponse, Problem, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_products, create_product))
        .routes(routes!(get_product, update_product, delete_product))
}

/// List products: filters, sort, full-text search. Sends a weak ETag.
#[utoipa::path(get, path = "/api/products", tag = "catalogue", params(ListParams),
    responses(
        (status = 200, body = ListResponse<ProductView>),
        (status = 304, description = "not modified"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    Query(params): Query<ListParams>,
) -> Result<Response, AppError> {
    let key = common::sees_public_catalogue(&user)
        .then(|| format!("products?{}", query.unwrap_or_default()));
    // Listed inside the read, so a cached answer skips building the query too.
    common::cached_read(&state, &headers, key, PRODUCT_SOURCES, move |conn| {
        items::list::<Product>(conn, &params, &user)
    })
    .await
}

/// One product by id or slug (drafts only for their vendor and admins).
#[utoipa::path(get, path = "/api/products/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "id or slug")),
    responses(
        (status = 200, body = ProductView),
        (status = 304, description = "not modified"),
    ))]
pub async fn get_product(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let cache_key = common::sees_public_catalogue(&user).then(|| format!("product/{key}"));
    common::cached_read(&state, &headers, cache_key, PRODUCT_SOURCES, move |conn| {
        items::get::<Product>(conn, &key, &user)
    })
    .await
}

/// Create a product (admins and vendors); the caller is its vendor.
#[utoipa::path(post, path = "/api/products", tag = "catalogue", security(("bearer" = [])),
    request_body = ProductBody,
    responses(
        (status = 201, body = ProductView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "slug or sku taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_product(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<ProductBody>,
) -> Result<(StatusCode, Json<ProductView>), AppError> {
    let view = items::create::<Product>(&state, Author::new(user, ip), body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Update a product (admins, or its vendor; other vendors get 404). Send any fields.
#[utoipa::path(put, path = "/api/products/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ProductBody,
    responses(
        (status = 200, body = ProductView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_product(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(body): Json<ProductBody>,
) -> Result<Json<ProductView>, AppError> {
    let view = items::update::<Product>(&state, Author::new(user, ip), id, body).await?;
    Ok(Json(view))
}

/// Delete a product (admins). One that any order refers to is archived instead (200 with the
/// archived product); otherwise 204.
#[utoipa::path(delete, path = "/api/products/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "archived instead", body = ProductView),
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_product(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Removal<ProductView>, AppError> {
    items::delete::<Product>(&state, Author::new(user, ip), id).await
}
