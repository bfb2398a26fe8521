//! Bundle services: list and show (drafts only to their owner and admins), and create,
//! update and delete by admins and instructors, each one audited write.

use rusqlite::Connection;
use serde_json::{Value, json};

use super::model::{Bundle, BundleBody, BundleFilters, BundleView};
use super::products::check_products;
use super::store::{self, ListQuery};
use super::validate::{Draft, Writer, check_courses};
use crate::auth::AuthUser;
use crate::catalog::model::Status;
use crate::catalog::service::Author;
use crate::catalog::service::audit::{self as catalog_audit, Change};
use crate::catalog::service::shared::{self, Removal};
use crate::catalog::store::Table;
use crate::http::{AppError, ListResponse, PageParams};
use crate::state::AppState;
use crate::users::Role;

/// Who may write bundles.
const AUTHORS: &[Role] = &[Role::Admin, Role::Instructor];

fn view(conn: &Connection, b: Bundle) -> Result<BundleView, AppError> {
    let courses = store::courses(conn, &b.id)?;
    let products = store::products(conn, &b.id)?;
    let courses_value_cents: i64 = courses.iter().map(|c| c.price_cents).sum();
    let products_value_cents: i64 = products.iter().map(|p| p.price_cents).sum();
    Ok(BundleView {
        savings_cents: (courses_value_cents + products_value_cents - b.price_cents).max(0),
        courses_value_cents,
        products_value_cents,
        courses,
        products,
        id: b.id,
        slug: b.slug,
        name: b.name,
        description: b.description,
        price_cents: b.price_cents,
        currency: b.currency,
        status: b.status,
        owner_id: b.owner_id,
        created_at: b.created_at,
        updated_at: b.updated_at,
    })
}

fn summary(conn: &Connection, b: &Bundle) -> Result<Value, AppError> {
    let course_ids: Vec<String> = store::courses(conn, &b.id)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let product_ids: Vec<String> = store::products(conn, &b.id)?
        .into_iter()
        .map(|p| p.id)
        .collect();
    Ok(json!({
        "name": b.name, "slug": b.slug, "price_cents": b.price_cents,
        "status": b.status.as_str(), "course_ids": course_ids, "product_ids": product_ids,
    }))
}

/// One page of bundles: the public sees published ones, an instructor also their own, an
/// admin every one (`status` filters for staff).
pub fn list(
    conn: &Connection,
    filters: &BundleFilters,
    viewer: &Option<AuthUser>,
) -> Result<ListResponse<BundleView>, AppError> {
    let page = PageParams {
        page: filters.page,
        per_page: filters.per_page,
    }
    .checked()?;
    let admin = viewer.as_ref().is_some_and(AuthUser::is_admin);
    let instructor = viewer.as_ref().filter(|u| u.role == Role::Instructor);
    let status = match (admin || instructor.is_some(), filters.status) {
        (true, asked) => asked.map(Status::as_str),
        (false, _) => Some(Status::Published.as_str()),
    };
    let query = ListQuery {
        status,
        owner_or_published: instructor.map(|u| u.user_id.as_str()),
        words: filters
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty()),
        course_id: filters.course_id.as_deref(),
        page,
    };
    let (bundles, total) = store::list(conn, &query)?;
    let items = bundles
        .into_iter()
        .map(|b| view(conn, b))
        .collect::<Result<_, _>>()?;
    Ok(ListResponse::new(items, total, page))
}

/// One bundle by id or slug; a draft is a 404 except to its owner and admins.
pub fn get(
    conn: &Connection,
    key: &str,
    viewer: &Option<AuthUser>,
) -> Result<BundleView, AppError> {
    let bundle = store::fetch(conn, key)?
        .filter(|b| b.status == Status::Published || shared::may_manage(viewer, &b.owner_id))
        .ok_or(AppError::NotFound("bundle"))?;
    view(conn, bundle)
}

/// A bundle on sale by id: published, and every course in it published (the rule the cart and
/// checkout apply); `None` otherwise. Payment plans for a bundle ask this.
pub fn for_sale(conn: &Connection, id: &str) -> Result<Option<BundleView>, AppError> {
    let Some(bundle) =
        store::fetch(conn, id)?.filter(|b| b.id == id && b.status == Status::Published)
    else {
        return Ok(None);
    };
    let view = view(conn, bundle)?;
    let whole = view.courses.iter().all(|c| c.status == Status::Published);
    Ok(whole.then_some(view))
}

/// Checks the draft's courses and slug, then writes the bundle and its courses.
fn save(
    conn: &Connection,
    user: &AuthUser,
    draft: &Draft,
    b: &mut Bundle,
    is_new: bool,
) -> Result<(), AppError> {
    let writer = if user.is_admin() {
        Writer::Admin
    } else {
        Writer::Instructor(&user.user_id)
    };
    check_courses(writer, &store::course_facts(conn, &draft.course_ids)?)?;
    check_products(
        writer,
        &b.currency,
        &store::product_facts(conn, &draft.product_ids)?,
    )?;
    let current = (!is_new).then(|| b.slug.clone());
    b.slug = shared::choose_slug(
        conn,
        Table::Bundles,
        draft.slug.as_deref(),
        current.as_deref(),
        &draft.name,
        &b.id,
    )?;
    b.name = draft.name.clone();
    b.description = draft.description.clone();
    b.price_cents = draft.price_cents;
    b.status = draft.status;
    let written = if is_new {
        store::insert(conn, b)
    } else {
        store::update(conn, b)
    };
    written.map_err(|e| shared::unique_conflict(e, "bundles"))?;
    store::set_courses(conn, &b.id, &draft.course_ids)?;
    store::set_products(conn, &b.id, &draft.product_ids)?;
    Ok(())
}

/// Creates a bundle owned by the caller (an admin or an instructor).
pub async fn create(
    state: &AppState,
    author: Author,
    body: BundleBody,
) -> Result<BundleView, AppError> {
    author.user.require(AUTHORS)?;
    let draft = Draft::new(body)?;
    let now = state.now_text();
    let blank = Bundle {
        id: uuid::Uuid::now_v7().to_string(),
        slug: String::new(),
        name: String::new(),
        description: String::new(),
        price_cents: 0,
        currency: state.config.store.currency.clone(),
        status: Status::Draft,
        owner_id: author.user.user_id.clone(),
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    state
        .db
        .write(move |conn| {
            let mut bundle = blank.clone();
            save(conn, &author.user, &draft, &mut bundle, true)?;
            let change =
                Change::new("bundle.created", "bundle", &bundle.id).after(summary(conn, &bundle)?);
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            view(conn, bundle)
        })
        .await
}

/// Updates a bundle (admins, or its owner; anyone else's is a 404). Any fields.
pub async fn update(
    state: &AppState,
    author: Author,
    id: String,
    body: BundleBody,
) -> Result<BundleView, AppError> {
    author.user.require(AUTHORS)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let caller = Some(author.user.clone());
            let mut bundle = store::fetch(conn, &id)?
                .filter(|b| shared::may_manage(&caller, &b.owner_id))
                .ok_or(AppError::NotFound("bundle"))?;
            let course_ids = store::courses(conn, &bundle.id)?
                .into_iter()
                .map(|c| c.id)
                .collect();
            let product_ids = store::products(conn, &bundle.id)?
                .into_iter()
                .map(|p| p.id)
                .collect();
            let draft = Draft::of(&bundle, course_ids, product_ids).apply(body.clone())?;
            let before = summary(conn, &bundle)?;
            bundle.updated_at = now.clone();
            save(conn, &author.user, &draft, &mut bundle, false)?;
            let change = Change::new("bundle.updated", "bundle", &bundle.id)
                .before(before)
                .after(summary(conn, &bundle)?);
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            view(conn, bundle)
        })
        .await
}

/// Deletes a bundle (admins, or its owner); one that an order names is archived instead, so
/// what was bought stays readable.
pub async fn delete(
    state: &AppState,
    author: Author,
    id: String,
) -> Result<Removal<BundleView>, AppError> {
    author.user.require(AUTHORS)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let caller = Some(author.user.clone());
            let bundle = store::fetch(conn, &id)?
                .filter(|b| shared::may_manage(&caller, &b.owner_id))
                .ok_or(AppError::NotFound("bundle"))?;
            let before = summary(conn, &bundle)?;
            let archived = shared::delete_or_archive(
                store::ordered(conn, &bundle.id)?,
                || store::delete(conn, &bundle.id),
                || store::archive(conn, &bundle.id, &now),
            )?;
            let verb = if archived {
                "bundle.archived"
            } else {
                "bundle.deleted"
            };
            let change = Change::new(verb, "bundle", &bundle.id).before(before);
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            if !archived {
                return Ok(Removal::Deleted);
            }
            let stored = store::fetch(conn, &bundle.id)?.ok_or(AppError::NotFound("bundle"))?;
            Ok(Removal::Archived(Box::new(view(conn, stored)?)))
        })
        .await
}
