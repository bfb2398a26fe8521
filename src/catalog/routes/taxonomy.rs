//! `/api/categories` and `/api/tags`: anyone reads, admins manage.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit::{self as catalog_audit, Change};
use super::common;
use crate::auth::AuthUser;
use crate::auth::extract::ClientIp;
use crate::catalog::model::{CategoryView, TagView};
use crate::catalog::slug;
use crate::catalog::store::{self, Table, taxonomy as tstore};
use crate::catalog::validate::{nullable, short_text};
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query};
use crate::state::AppState;
use crate::users::Role;

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
    let page = params.checked()?;
    let list = state
        .db
        .read(move |conn| {
            let (items, total) = tstore::categories(conn, page)?;
            Ok(ListResponse::new(items, total, page))
        })
        .await?;
    Ok(common::with_etag(&headers, &list))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryBody {
    pub name: Option<String>,
    pub slug: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub parent_id: Option<Option<String>>,
    pub position: Option<i64>,
}

fn save_category(
    conn: &rusqlite::Connection,
    mut category: CategoryView,
    body: CategoryBody,
    is_new: bool,
) -> Result<CategoryView, AppError> {
    if let Some(name) = &body.name {
        category.name = short_text(name, "name", 100)?;
    }
    if let Some(parent) = body.parent_id {
        if let Some(p) = &parent {
            if !store::exists(conn, Table::Categories, p)? {
                return Err(AppError::field("parent_id", format!("no category `{p}`")));
            }
            if tstore::is_self_or_descendant(conn, &category.id, p)? {
                return Err(AppError::field(
                    "parent_id",
                    "a category cannot sit under itself or one of its sub-categories",
                ));
            }
        }
        category.parent_id = parent;
    }
    if let Some(position) = body.position {
        category.position = position;
    }
    if let Some(s) = &body.slug {
        slug::check(s).map_err(|e| AppError::field("slug", e))?;
    }
    let current = (!is_new).then(|| category.slug.clone());
    category.slug = common::choose_slug(
        conn,
        Table::Categories,
        body.slug.as_deref(),
        current.as_deref(),
        &category.name,
        &category.id,
    )?;
    tstore::save_category(conn, &category).map_err(|e| common::unique_conflict(e, "categories"))?;
    Ok(category)
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
    user.require(&[Role::Admin])?;
    let name = short_text(body.name.as_deref().unwrap_or(""), "name", 100)?;
    let now = state.now_text();
    let category = CategoryView {
        id: uuid::Uuid::now_v7().to_string(),
        name,
        slug: String::new(),
        parent_id: None,
        position: 0,
        created_at: now.clone(),
        updated_at: now,
    };
    let view = state
        .db
        .write(move |conn| {
            let saved = save_category(conn, category.clone(), body.clone(), true)?;
            let change = Change::new("category.created", "category", &saved.id)
                .after(category_summary(&saved));
            catalog_audit::record(conn, &saved.created_at, &user, ip.as_deref(), change)?;
            Ok(saved)
        })
        .await?;
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
    user.require(&[Role::Admin])?;
    let now = state.now_text();
    let view = state
        .db
        .write(move |conn| {
            let mut category =
                tstore::category(conn, &id)?.ok_or(AppError::NotFound("category"))?;
            let before = category_summary(&category);
            category.updated_at = now.clone();
            let saved = save_category(conn, category, body.clone(), false)?;
            let change = Change::new("category.updated", "category", &saved.id)
                .before(before)
                .after(category_summary(&saved));
            catalog_audit::record(conn, &now, &user, ip.as_deref(), change)?;
            Ok(saved)
        })
        .await?;
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
    user.require(&[Role::Admin])?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let category = tstore::category(conn, &id)?.ok_or(AppError::NotFound("category"))?;
            if tstore::has_children(conn, &category.id)? {
                return Err(AppError::conflict(
                    "this category has sub-categories; move or delete them first",
                ));
            }
            tstore::delete_category(conn, &category.id)?;
            let change = Change::new("category.deleted", "category", &category.id)
                .before(category_summary(&category));
            catalog_audit::record(conn, &now, &user, ip.as_deref(), change)
        })
        .await?;
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
    let page = params.checked()?;
    let list = state
        .db
        .read(move |conn| {
            let (items, total) = tstore::tags(conn, page)?;
            Ok(ListResponse::new(items, total, page))
        })
        .await?;
    Ok(common::with_etag(&headers, &list))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagBody {
    pub name: String,
    /// Generated from the name when not given.
    pub slug: Option<String>,
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
    user.require(&[Role::Admin])?;
    let name = short_text(&body.name, "name", 50)?;
    if let Some(s) = &body.slug {
        slug::check(s).map_err(|e| AppError::field("slug", e))?;
    }
    let now = state.now_text();
    let view = state
        .db
        .write(move |conn| {
            let id = uuid::Uuid::now_v7().to_string();
            let slug =
                common::choose_slug(conn, Table::Tags, body.slug.as_deref(), None, &name, &id)?;
            let tag = TagView {
                id,
                name: name.clone(),
                slug,
            };
            tstore::insert_tag(conn, &tag, &now).map_err(|e| common::unique_conflict(e, "tags"))?;
            let change = Change::new("tag.created", "tag", &tag.id)
                .after(serde_json::json!({"name": tag.name, "slug": tag.slug}));
            catalog_audit::record(conn, &now, &user, ip.as_deref(), change)?;
            Ok(tag)
        })
        .await?;
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
    user.require(&[Role::Admin])?;
    let now = state.now_text();
    let deleted = state
        .db
        .write(move |conn| {
            let deleted = tstore::delete_tag(conn, &id)?;
            if deleted {
                let change = Change::new("tag.deleted", "tag", &id)
                    .before(serde_json::json!({"id_or_slug": id}));
                catalog_audit::record(conn, &now, &user, ip.as_deref(), change)?;
            }
            Ok(deleted)
        })
        .await?;
    if deleted {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound("tag"))
    }
}

/// What the audit log keeps of a category before and after a change.
fn category_summary(c: &CategoryView) -> serde_json::Value {
    serde_json::json!({"name": c.name, "slug": c.slug, "parent_id": c.parent_id})
}
