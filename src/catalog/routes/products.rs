//! `/api/products`: the shop's goods.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit::{self as catalog_audit, Change};
use super::common::{self, PRODUCT_AUTHORS, Refs, Removal};
use crate::auth::extract::ClientIp;
use crate::auth::{AuthUser, MaybeUser};
use crate::catalog::cache::PRODUCT_SOURCES;
use crate::catalog::listing::{self, ListParams, Target};
use crate::catalog::model::{Product, ProductView, Status};
use crate::catalog::store::{self, Table, TagLink, products as pstore};
use crate::catalog::validate::{ProductBody, ProductDraft};
use crate::http::{AppError, Json, ListResponse, Problem, Query};
use crate::state::AppState;
use crate::users::Role;

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
    // Built inside the read, so a cached answer skips it: only a query that built once was
    // stored under its key.
    common::cached_read(&state, &headers, key, PRODUCT_SOURCES, move |conn| {
        let sql = listing::build(
            &params,
            Target::Products,
            &common::viewer(&user, Role::Vendor),
        )?;
        let page = sql.page;
        let (items, total) = pstore::list(conn, &sql)?;
        Ok(ListResponse::new(
            common::product_views(conn, items, &user)?,
            total,
            page,
        ))
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
        let product = pstore::get(conn, &key)?
            .filter(|p| p.status == Status::Published || common::may_manage(&user, &p.vendor_id))
            .ok_or(AppError::NotFound("product"))?;
        one_view(conn, product, &user)
    })
    .await
}

fn one_view(
    conn: &rusqlite::Connection,
    product: Product,
    user: &Option<AuthUser>,
) -> Result<ProductView, AppError> {
    common::product_views(conn, vec![product], user)?
        .pop()
        .ok_or(AppError::NotFound("product"))
}

/// Checks references, settles the slug and writes the product with its tags and images.
fn save(
    conn: &rusqlite::Connection,
    draft: &ProductDraft,
    product: &mut Product,
    user: &AuthUser,
    is_new: bool,
) -> Result<(), AppError> {
    let mut media = vec![("image_ids", draft.image_ids.clone())];
    if let Some(download) = &draft.download_media_id {
        media.push(("download_media_id", vec![download.clone()]));
    }
    common::check_refs(
        conn,
        &Refs {
            category_id: draft.category_id.as_deref(),
            tag_ids: &draft.tag_ids,
            media,
        },
        user,
    )?;
    let current = (!is_new).then(|| product.slug.clone());
    product.slug = common::choose_slug(
        conn,
        Table::Products,
        draft.slug.as_deref(),
        current.as_deref(),
        &draft.name,
        &product.id,
    )?;
    product.name = draft.name.clone();
    product.description = draft.description.clone();
    product.kind = draft.kind;
    product.price_cents = draft.price_cents;
    product.stock_quantity = draft.stock_quantity;
    product.sku = draft.sku.clone();
    product.category_id = draft.category_id.clone();
    product.status = draft.status;
    product.download_media_id = draft.download_media_id.clone();
    let written = if is_new {
        pstore::insert(conn, product)
    } else {
        pstore::update(conn, product)
    };
    written.map_err(|e| common::unique_conflict(e, "products"))?;
    store::set_tags(conn, TagLink::Products, &product.id, &draft.tag_ids)?;
    pstore::set_images(conn, &product.id, &draft.image_ids)?;
    Ok(())
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
    user.require(PRODUCT_AUTHORS)?;
    let draft = ProductDraft::create(body)?;
    let now = state.now_text();
    let product = Product {
        id: uuid::Uuid::now_v7().to_string(),
        vendor_id: user.user_id.clone(),
        name: String::new(),
        slug: String::new(),
        description: String::new(),
        kind: draft.kind,
        price_cents: 0,
        currency: state.config.store.currency.clone(),
        stock_quantity: None,
        sku: None,
        category_id: None,
        status: Status::Draft,
        download_media_id: None,
        sales_count: 0,
        created_at: now.clone(),
        updated_at: now,
    };
    let view = state
        .db
        .write(move |conn| {
            let mut product = product.clone();
            save(conn, &draft, &mut product, &user, true)?;
            let stored = pstore::get(conn, &product.id)?.ok_or(AppError::NotFound("product"))?;
            let change =
                Change::new("product.created", "product", &stored.id).after(summary(&stored));
            catalog_audit::record(conn, &stored.created_at, &user, ip.as_deref(), change)?;
            one_view(conn, stored, &Some(user.clone()))
        })
        .await?;
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
    user.require(PRODUCT_AUTHORS)?;
    let now = state.now_text();
    let view = state
        .db
        .write(move |conn| {
            let caller = Some(user.clone());
            let mut product = pstore::get(conn, &id)?
                .filter(|p| common::may_manage(&caller, &p.vendor_id))
                .ok_or(AppError::NotFound("product"))?;
            let ids = vec![product.id.clone()];
            let tag_ids = store::tags_for(conn, TagLink::Products, &ids)?
                .remove(&product.id)
                .unwrap_or_default()
                .into_iter()
                .map(|t| t.id)
                .collect();
            let image_ids = pstore::images_for(conn, &ids)?
                .remove(&product.id)
                .unwrap_or_default();
            let mut draft = ProductDraft::from_existing(&product, tag_ids, image_ids);
            draft.apply(body.clone())?;
            let before = summary(&product);
            product.updated_at = now.clone();
            save(conn, &draft, &mut product, &user, false)?;
            let stored = pstore::get(conn, &product.id)?.ok_or(AppError::NotFound("product"))?;
            let change = Change::new("product.updated", "product", &stored.id)
                .before(before)
                .after(summary(&stored));
            catalog_audit::record(conn, &now, &user, ip.as_deref(), change)?;
            one_view(conn, stored, &caller)
        })
        .await?;
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
    user.require(&[Role::Admin])?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let product = pstore::get(conn, &id)?.ok_or(AppError::NotFound("product"))?;
            let archived = common::delete_or_archive(
                pstore::product_is_referenced(conn, &product.id)?,
                || pstore::delete(conn, &product.id),
                || pstore::set_status(conn, &product.id, Status::Archived, &now),
            )?;
            let action = if archived {
                "product.archived"
            } else {
                "product.deleted"
            };
            let change = Change::new(action, "product", &product.id).before(summary(&product));
            catalog_audit::record(conn, &now, &user, ip.as_deref(), change)?;
            if !archived {
                return Ok(Removal::Deleted);
            }
            let stored = pstore::get(conn, &product.id)?.ok_or(AppError::NotFound("product"))?;
            Ok(Removal::Archived(Box::new(one_view(
                conn,
                stored,
                &Some(user.clone()),
            )?)))
        })
        .await
}

/// What the audit log keeps of a product before and after a change.
fn summary(p: &Product) -> serde_json::Value {
    serde_json::json!({
        "name": p.name,
        "price_cents": p.price_cents,
        "status": p.status.as_str(),
        "stock_quantity": p.stock_quantity,
    })
}
