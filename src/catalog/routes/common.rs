//! Helpers shared by the catalogue routes: ETags, viewers, reference checks and views.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::auth::AuthUser;
use crate::catalog::cache::Rendered;
use crate::catalog::listing::Viewer;
use crate::catalog::markdown;
use crate::catalog::model::{
    Course, CourseView, ImageView, PersonRef, Product, ProductView, public_media_url,
    rating_average,
};
use crate::catalog::store::{self, Table, TagLink, media as media_store, products as pstore};
use crate::http::{AppError, FieldError};
use crate::state::AppState;
use crate::users::Role;

/// Roles that may author courses and products.
pub const COURSE_AUTHORS: &[Role] = &[Role::Admin, Role::Instructor];
pub const PRODUCT_AUTHORS: &[Role] = &[Role::Admin, Role::Vendor];

/// Serializes `value` and hashes the body into a weak ETag.
pub fn render<T: Serialize>(value: &T) -> Result<Rendered, AppError> {
    let body = serde_json::to_vec(value).map_err(|e| AppError::Internal(e.into()))?;
    let digest = Sha256::digest(&body);
    Ok(Rendered {
        etag: format!("W/\"{}\"", hex::encode(&digest[..16])),
        body: body.into(),
    })
}

/// The JSON response for `rendered`; 304 when the client already has it.
pub fn respond(request_headers: &HeaderMap, rendered: Rendered) -> Response {
    let etag = rendered.etag;
    let matches = request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().trim_start_matches("W/"))
        .any(|v| v == "*" || v == etag.trim_start_matches("W/"));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            rendered.body,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("Authorization"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A JSON response with a weak ETag (a hash of the body); 304 when the client has it.
pub fn with_etag<T: Serialize>(request_headers: &HeaderMap, value: &T) -> Response {
    match render(value) {
        Ok(rendered) => respond(request_headers, rendered),
        Err(e) => e.into_response(),
    }
}

/// Whether what `user` is shown is what everyone is shown: anonymous visitors and students
/// own nothing in the catalogue, so their responses can be shared through the cache.
pub fn sees_public_catalogue(user: &Option<AuthUser>) -> bool {
    user.as_ref().is_none_or(|u| u.role == Role::Student)
}

/// Reads and renders a catalogue response, served from the response cache under `key`
/// while the `sources` tables are unchanged. `key` is `None` when the response depends on
/// who asks; it is then neither looked up nor stored.
pub async fn cached_read<T, F>(
    state: &AppState,
    request_headers: &HeaderMap,
    key: Option<String>,
    sources: &[&str],
    read: F,
) -> Result<Response, AppError>
where
    F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
    T: Serialize + Send + 'static,
{
    // Read before the data, so a write committed meanwhile leaves the stored entry stale.
    let generation = state.db.generation(sources);
    if let Some(hit) = key
        .as_deref()
        .and_then(|k| state.catalogue_cache.get(k, generation))
    {
        return Ok(respond(request_headers, hit));
    }
    let rendered = state.db.read(move |conn| render(&read(conn)?)).await?;
    if let Some(key) = key {
        state.catalogue_cache.put(key, generation, rendered.clone());
    }
    Ok(respond(request_headers, rendered))
}

/// What a lister may see: admins all, the owning role also their own, others published.
pub fn viewer(user: &Option<AuthUser>, owner_role: Role) -> Viewer {
    match user {
        Some(u) if u.is_admin() => Viewer::Admin,
        Some(u) if u.role == owner_role => Viewer::Owner(u.user_id.clone()),
        _ => Viewer::Public,
    }
}

/// Whether `user` is an admin or the owner `owner_id`.
pub fn may_manage(user: &Option<AuthUser>, owner_id: &str) -> bool {
    user.as_ref()
        .is_some_and(|u| u.is_admin() || u.user_id == owner_id)
}

/// The category, tags and media a product or course refers to must exist; media attached
/// by a non-admin must be their own upload.
pub struct Refs<'a> {
    pub category_id: Option<&'a str>,
    pub tag_ids: &'a [String],
    /// (field name, media ids)
    pub media: Vec<(&'static str, Vec<String>)>,
}

pub fn check_refs(conn: &Connection, refs: &Refs<'_>, user: &AuthUser) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if let Some(category) = refs.category_id
        && !store::exists(conn, Table::Categories, category)?
    {
        errors.push(FieldError::new(
            "category_id",
            format!("no category `{category}`"),
        ));
    }
    let missing = store::missing_ids(conn, Table::Tags, refs.tag_ids)?;
    if !missing.is_empty() {
        errors.push(FieldError::new(
            "tag_ids",
            format!("unknown tags: {}", missing.join(", ")),
        ));
    }
    for (field, ids) in &refs.media {
        let missing = store::missing_ids(conn, Table::Media, ids)?;
        if !missing.is_empty() {
            errors.push(FieldError::new(
                *field,
                format!("unknown media: {}", missing.join(", ")),
            ));
            continue;
        }
        if !user.is_admin() {
            let foreign = media_store::not_owned(conn, ids, &user.user_id)?;
            if !foreign.is_empty() {
                errors.push(FieldError::new(
                    *field,
                    format!(
                        "you can attach only your own uploads: {}",
                        foreign.join(", ")
                    ),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Views of a page of products: tags and images fetched once for the whole page.
pub fn product_views(
    conn: &Connection,
    products: Vec<Product>,
    user: &Option<AuthUser>,
) -> Result<Vec<ProductView>, AppError> {
    let ids: Vec<String> = products.iter().map(|p| p.id.clone()).collect();
    let mut tags = store::tags_for(conn, TagLink::Products, &ids)?;
    let mut images = pstore::images_for(conn, &ids)?;
    Ok(products
        .into_iter()
        .map(|p| {
            let private = may_manage(user, &p.vendor_id);
            ProductView {
                description_html: markdown::render(&p.description),
                tags: tags.remove(&p.id).unwrap_or_default(),
                images: images
                    .remove(&p.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|media_id| ImageView {
                        url: public_media_url(&media_id),
                        media_id,
                    })
                    .collect(),
                has_download: p.download_media_id.is_some(),
                download_media_id: p.download_media_id.filter(|_| private),
                id: p.id,
                name: p.name,
                slug: p.slug,
                description: p.description,
                kind: p.kind,
                price_cents: p.price_cents,
                currency: p.currency,
                stock_quantity: p.stock_quantity,
                sku: p.sku,
                category_id: p.category_id,
                status: p.status,
                vendor_id: p.vendor_id,
                sales_count: p.sales_count,
                created_at: p.created_at,
                updated_at: p.updated_at,
            }
        })
        .collect())
}

/// Views of a page of courses, with tags fetched once for the whole page.
pub fn course_views(conn: &Connection, courses: Vec<Course>) -> Result<Vec<CourseView>, AppError> {
    let ids: Vec<String> = courses.iter().map(|c| c.id.clone()).collect();
    let mut tags = store::tags_for(conn, TagLink::Courses, &ids)?;
    Ok(courses
        .into_iter()
        .map(|c| CourseView {
            description_html: markdown::render(&c.description),
            tags: tags.remove(&c.id).unwrap_or_default(),
            cover_url: c.cover_media_id.as_deref().map(public_media_url),
            rating_average: rating_average(c.rating_sum, c.rating_count),
            instructor: PersonRef {
                id: c.instructor_id.clone(),
                name: c.instructor_name,
            },
            id: c.id,
            title: c.title,
            slug: c.slug,
            description: c.description,
            price_cents: c.price_cents,
            currency: c.currency,
            instructor_id: c.instructor_id,
            category_id: c.category_id,
            cover_media_id: c.cover_media_id,
            level: c.level,
            status: c.status,
            rating_count: c.rating_count,
            lesson_count: c.lesson_count,
            total_duration_seconds: c.total_duration_seconds,
            enrollment_count: c.enrollment_count,
            created_at: c.created_at,
            updated_at: c.updated_at,
        })
        .collect())
}

/// Picks the slug: the given one must be free (409 naming `slug`), else one is derived.
pub fn choose_slug(
    conn: &Connection,
    table: Table,
    given: Option<&str>,
    current: Option<&str>,
    source: &str,
    id: &str,
) -> Result<String, AppError> {
    match (given, current) {
        (Some(slug), _) => {
            if store::slug_taken(conn, table, slug, id)? {
                Err(AppError::conflict_on(
                    "slug",
                    format!("the slug `{slug}` is taken"),
                ))
            } else {
                Ok(slug.to_string())
            }
        }
        (None, Some(current)) => Ok(current.to_string()),
        (None, None) => Ok(store::free_slug(
            conn,
            table,
            &crate::catalog::slug::slugify(source),
            id,
        )?),
    }
}

/// Maps UNIQUE failures of `table` to 409s naming the field.
pub fn unique_conflict(e: rusqlite::Error, table: &str) -> AppError {
    use crate::http::error::is_unique_violation;
    if is_unique_violation(&e, &format!("{table}.slug")) {
        AppError::conflict_on("slug", "this slug is taken")
    } else if is_unique_violation(&e, &format!("{table}.sku")) {
        AppError::conflict_on("sku", "another product has this SKU")
    } else {
        e.into()
    }
}

/// What deleting a catalogue item did: it is gone, or something still refers to it and it
/// was archived instead (answered with the archived item).
pub enum Removal<V> {
    Deleted,
    Archived(Box<V>),
}

impl<V: Serialize> IntoResponse for Removal<V> {
    fn into_response(self) -> Response {
        match self {
            Removal::Deleted => StatusCode::NO_CONTENT.into_response(),
            Removal::Archived(view) => crate::http::Json(*view).into_response(),
        }
    }
}

/// Deletes an item unless `referenced`, falling back to archiving it when the delete hits a
/// foreign key (a reference the caller's check did not know of). True when archived.
pub fn delete_or_archive(
    referenced: bool,
    delete: impl FnOnce() -> rusqlite::Result<()>,
    archive: impl FnOnce() -> rusqlite::Result<()>,
) -> Result<bool, AppError> {
    let mut archived = referenced;
    if !archived && let Err(e) = delete() {
        if store::is_foreign_key_violation(&e) {
            archived = true;
        } else {
            return Err(e.into());
        }
    }
    if archived {
        archive()?;
    }
    Ok(archived)
}
