//! Categories and tags: anyone reads, admins manage. A category may sit under another, never
//! under itself or one of its own sub-categories.

use rusqlite::Connection;
use serde::Deserialize;
use serde_json::json;

use super::Author;
use super::audit::{self as catalog_audit, Change};
use super::shared;
use crate::catalog::model::{CategoryView, TagView};
use crate::catalog::slug;
use crate::catalog::store::{self, Table, taxonomy as tstore};
use crate::catalog::validate::{nullable, short_text};
use crate::http::{AppError, ListResponse, PageParams};
use crate::state::AppState;
use crate::users::Role;

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

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagBody {
    pub name: String,
    /// Generated from the name when not given.
    pub slug: Option<String>,
}

/// Categories, flat, each naming its `parent_id` (roots first, then by position).
pub async fn categories(
    state: &AppState,
    params: PageParams,
) -> Result<ListResponse<CategoryView>, AppError> {
    let page = params.checked()?;
    state
        .db
        .read(move |conn| {
            let (items, total) = tstore::categories(conn, page)?;
            Ok(ListResponse::new(items, total, page))
        })
        .await
}

/// Every tag, by name.
pub async fn tags(state: &AppState, params: PageParams) -> Result<ListResponse<TagView>, AppError> {
    let page = params.checked()?;
    state
        .db
        .read(move |conn| {
            let (items, total) = tstore::tags(conn, page)?;
            Ok(ListResponse::new(items, total, page))
        })
        .await
}

/// Checks the parent (it exists and is not the category itself or below it).
fn check_parent(conn: &Connection, id: &str, parent: &str) -> Result<(), AppError> {
    if !store::exists(conn, Table::Categories, parent)? {
        return Err(AppError::field(
            "parent_id",
            crate::msg!("problem-no-category", id = parent),
        ));
    }
    if tstore::is_self_or_descendant(conn, id, parent)? {
        return Err(AppError::field(
            "parent_id",
            "a category cannot sit under itself or one of its sub-categories",
        ));
    }
    Ok(())
}

fn save_category(
    conn: &Connection,
    mut category: CategoryView,
    body: CategoryBody,
    is_new: bool,
) -> Result<CategoryView, AppError> {
    if let Some(name) = &body.name {
        category.name = short_text(name, "name", 100)?;
    }
    if let Some(parent) = body.parent_id {
        if let Some(p) = &parent {
            check_parent(conn, &category.id, p)?;
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
    category.slug = shared::choose_slug(
        conn,
        Table::Categories,
        body.slug.as_deref(),
        current.as_deref(),
        &category.name,
        &category.id,
    )?;
    tstore::save_category(conn, &category).map_err(|e| shared::unique_conflict(e, "categories"))?;
    Ok(category)
}

/// Creates a category (admins).
pub async fn create_category(
    state: &AppState,
    author: Author,
    body: CategoryBody,
) -> Result<CategoryView, AppError> {
    author.user.require(&[Role::Admin])?;
    let name = short_text(body.name.as_deref().unwrap_or(""), "name", 100)?;
    let now = state.now_text();
    let category = CategoryView {
        id: uuid::Uuid::now_v7().to_string(),
        name,
        slug: String::new(),
        parent_id: None,
        position: 0,
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    state
        .db
        .write(move |conn| {
            let saved = save_category(conn, category.clone(), body.clone(), true)?;
            let change = Change::new("category.created", "category", &saved.id)
                .after(category_summary(&saved));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            Ok(saved)
        })
        .await
}

/// Updates a category (admins).
pub async fn update_category(
    state: &AppState,
    author: Author,
    id: String,
    body: CategoryBody,
) -> Result<CategoryView, AppError> {
    author.user.require(&[Role::Admin])?;
    let now = state.now_text();
    state
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
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            Ok(saved)
        })
        .await
}

/// Deletes a category (admins); one with sub-categories is a 409. Products and courses in
/// it keep existing without a category.
pub async fn delete_category(state: &AppState, author: Author, id: String) -> Result<(), AppError> {
    author.user.require(&[Role::Admin])?;
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
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)
        })
        .await
}

/// Creates a tag (admins).
pub async fn create_tag(
    state: &AppState,
    author: Author,
    body: TagBody,
) -> Result<TagView, AppError> {
    author.user.require(&[Role::Admin])?;
    let name = short_text(&body.name, "name", 50)?;
    if let Some(s) = &body.slug {
        slug::check(s).map_err(|e| AppError::field("slug", e))?;
    }
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let id = uuid::Uuid::now_v7().to_string();
            let slug =
                shared::choose_slug(conn, Table::Tags, body.slug.as_deref(), None, &name, &id)?;
            let tag = TagView {
                id,
                name: name.clone(),
                slug,
            };
            tstore::insert_tag(conn, &tag, &now).map_err(|e| shared::unique_conflict(e, "tags"))?;
            let change = Change::new("tag.created", "tag", &tag.id)
                .after(json!({"name": tag.name, "slug": tag.slug}));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            Ok(tag)
        })
        .await
}

/// Deletes a tag by id or slug (admins); it is removed from every product and course.
pub async fn delete_tag(state: &AppState, author: Author, id: String) -> Result<(), AppError> {
    author.user.require(&[Role::Admin])?;
    let now = state.now_text();
    let deleted = state
        .db
        .write(move |conn| {
            let deleted = tstore::delete_tag(conn, &id)?;
            if deleted {
                let change =
                    Change::new("tag.deleted", "tag", &id).before(json!({"id_or_slug": id}));
                catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            }
            Ok(deleted)
        })
        .await?;
    if deleted {
        Ok(())
    } else {
        Err(AppError::NotFound("tag"))
    }
}

/// What the audit log keeps of a category before and after a change.
fn category_summary(c: &CategoryView) -> serde_json::Value {
    json!({"name": c.name, "slug": c.slug, "parent_id": c.parent_id})
}
