//! What products and courses share, written once: list, get, create, update and delete over
//! the [`Item`] trait, which `products` and `courses` fill in with what differs.

use rusqlite::Connection;
use serde_json::Value;

use super::Author;
use super::audit::{self as catalog_audit, Change};
use super::shared::{self, Refs, Removal};
use crate::auth::AuthUser;
use crate::catalog::listing::{self, ListParams, ListSql, Target};
use crate::catalog::model::Status;
use crate::catalog::store::{self, Table, TagLink};
use crate::http::{AppError, ListResponse};
use crate::state::AppState;
use crate::users::Role;

/// A sellable catalogue item (a product or a course) as the shared paths need to know it.
pub trait Item: Sized + Clone + Send + Sync + 'static {
    /// The create/update request body.
    type Body: Clone + Send + Sync + 'static;
    /// The body checked and merged over the stored item, before references are checked.
    type Draft: Send + Sync + 'static;
    /// What callers are answered with.
    type View: Send + 'static;

    /// `product` or `course`: the 404's noun and the audit actions' prefix.
    const NAME: &'static str;
    const TABLE: Table;
    const TAGS: TagLink;
    const TARGET: Target;
    /// Who may create items (besides the owner rule for updates).
    const AUTHORS: &'static [Role];
    /// The role that owns items of this kind (vendors own products, instructors courses).
    const OWNER_ROLE: Role;

    fn id(&self) -> &str;
    fn owner_id(&self) -> &str;
    fn status(&self) -> Status;
    fn slug(&self) -> &str;
    fn touch(&mut self, now: &str);

    fn fetch(conn: &Connection, key: &str) -> rusqlite::Result<Option<Self>>;
    fn page(conn: &Connection, sql: &ListSql) -> rusqlite::Result<(Vec<Self>, i64)>;
    fn views(
        conn: &Connection,
        items: Vec<Self>,
        viewer: &Option<AuthUser>,
    ) -> Result<Vec<Self::View>, AppError>;

    /// A new draft from a create body (required fields checked).
    fn draft(body: Self::Body) -> Result<Self::Draft, AppError>;
    /// A blank item owned by `owner`, filled from the draft by [`Item::fill`].
    /// A new item before the draft fills it; `site` holds the school's defaults (currency,
    /// language).
    fn blank(id: String, owner: &str, site: &Defaults, now: &str, draft: &Self::Draft) -> Self;
    /// The stored item as a draft, with `body` applied and the whole rechecked.
    fn redraft(&self, conn: &Connection, body: Self::Body) -> Result<Self::Draft, AppError>;
    /// The draft's references (category, tags, media) to check before writing.
    fn refs(draft: &Self::Draft) -> Refs<'_>;
    /// The slug asked for and the text a slug is derived from.
    fn slug_source(draft: &Self::Draft) -> (Option<&str>, &str);
    /// Copies the draft's fields (all but the slug) onto the item.
    fn fill(&mut self, draft: &Self::Draft, slug: String);
    fn insert(conn: &Connection, item: &Self) -> rusqlite::Result<()>;
    fn update(conn: &Connection, item: &Self) -> rusqlite::Result<()>;
    /// Writes what lives beside the row (a product's images).
    fn write_extras(conn: &Connection, id: &str, draft: &Self::Draft) -> rusqlite::Result<()>;
    fn tag_ids(draft: &Self::Draft) -> &[String];

    /// Whether something refers to the item, so deleting it archives it instead.
    fn referenced(conn: &Connection, id: &str) -> rusqlite::Result<bool>;
    fn delete(conn: &Connection, id: &str) -> rusqlite::Result<()>;
    fn archive(conn: &Connection, id: &str, now: &str) -> rusqlite::Result<()>;
    /// What the audit log keeps of the item before and after a change.
    fn summary(&self) -> Value;
}

/// One page of items as `viewer` may see them (drafts only to their owner and admins).
pub fn list<I: Item>(
    conn: &Connection,
    params: &ListParams,
    viewer: &Option<AuthUser>,
) -> Result<ListResponse<I::View>, AppError> {
    let sql = listing::build(params, I::TARGET, &shared::viewer(viewer, I::OWNER_ROLE))?;
    let page = sql.page;
    let (items, total) = I::page(conn, &sql)?;
    Ok(ListResponse::new(
        I::views(conn, items, viewer)?,
        total,
        page,
    ))
}

/// One item by id or slug; a draft is a 404 except to its owner and admins.
pub fn get<I: Item>(
    conn: &Connection,
    key: &str,
    viewer: &Option<AuthUser>,
) -> Result<I::View, AppError> {
    let item = I::fetch(conn, key)?
        .filter(|i| i.status() == Status::Published || shared::may_manage(viewer, i.owner_id()))
        .ok_or(AppError::NotFound(I::NAME))?;
    one_view::<I>(conn, item, viewer)
}

fn one_view<I: Item>(
    conn: &Connection,
    item: I,
    viewer: &Option<AuthUser>,
) -> Result<I::View, AppError> {
    I::views(conn, vec![item], viewer)?
        .pop()
        .ok_or(AppError::NotFound(I::NAME))
}

fn stored_view<I: Item>(
    conn: &Connection,
    id: &str,
    viewer: &AuthUser,
) -> Result<I::View, AppError> {
    let stored = I::fetch(conn, id)?.ok_or(AppError::NotFound(I::NAME))?;
    one_view::<I>(conn, stored, &Some(viewer.clone()))
}

/// Checks references, settles the slug and writes the item with its tags (and extras).
fn save<I: Item>(
    conn: &Connection,
    draft: &I::Draft,
    item: &mut I,
    user: &AuthUser,
    is_new: bool,
) -> Result<(), AppError> {
    shared::check_refs(conn, &I::refs(draft), user)?;
    let current = (!is_new).then(|| item.slug().to_string());
    let (given, source) = I::slug_source(draft);
    let slug = shared::choose_slug(conn, I::TABLE, given, current.as_deref(), source, item.id())?;
    item.fill(draft, slug);
    let written = if is_new {
        I::insert(conn, item)
    } else {
        I::update(conn, item)
    };
    written.map_err(|e| shared::unique_conflict(e, I::TABLE.name()))?;
    store::set_tags(conn, I::TAGS, item.id(), I::tag_ids(draft))?;
    I::write_extras(conn, item.id(), draft)?;
    Ok(())
}

/// The school's defaults a new item starts from.
pub struct Defaults {
    pub currency: String,
    pub language: String,
}

fn action<I: Item>(verb: &str) -> String {
    format!("{}.{verb}", I::NAME)
}

/// Creates an item owned by the caller (who must be one of [`Item::AUTHORS`]).
pub async fn create<I: Item>(
    state: &AppState,
    author: Author,
    body: I::Body,
) -> Result<I::View, AppError> {
    author.user.require(I::AUTHORS)?;
    let draft = I::draft(body)?;
    let now = state.now_text();
    let id = uuid::Uuid::now_v7().to_string();
    let site = Defaults {
        currency: state.config.store.currency.clone(),
        language: state.config.site.default_locale.clone(),
    };
    let blank = I::blank(id, &author.user.user_id, &site, &now, &draft);
    state
        .db
        .write(move |conn| {
            let mut item = blank.clone();
            save(conn, &draft, &mut item, &author.user, true)?;
            let stored = I::fetch(conn, item.id())?.ok_or(AppError::NotFound(I::NAME))?;
            let created = action::<I>("created");
            let change = Change::new(&created, I::NAME, stored.id()).after(stored.summary());
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            one_view::<I>(conn, stored, &Some(author.user.clone()))
        })
        .await
}

/// Updates an item (admins, or its owner; anyone else's item is a 404). Any fields.
pub async fn update<I: Item>(
    state: &AppState,
    author: Author,
    id: String,
    body: I::Body,
) -> Result<I::View, AppError> {
    author.user.require(I::AUTHORS)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let caller = Some(author.user.clone());
            let mut item = I::fetch(conn, &id)?
                .filter(|i| shared::may_manage(&caller, i.owner_id()))
                .ok_or(AppError::NotFound(I::NAME))?;
            let draft = item.redraft(conn, body.clone())?;
            let before = item.summary();
            item.touch(&now);
            save(conn, &draft, &mut item, &author.user, false)?;
            let stored = I::fetch(conn, item.id())?.ok_or(AppError::NotFound(I::NAME))?;
            let updated = action::<I>("updated");
            let change = Change::new(&updated, I::NAME, stored.id())
                .before(before)
                .after(stored.summary());
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            one_view::<I>(conn, stored, &caller)
        })
        .await
}

/// Deletes an item (admins); one that something refers to is archived instead.
pub async fn delete<I: Item>(
    state: &AppState,
    author: Author,
    id: String,
) -> Result<Removal<I::View>, AppError> {
    author.user.require(&[Role::Admin])?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let item = I::fetch(conn, &id)?.ok_or(AppError::NotFound(I::NAME))?;
            let archived = shared::delete_or_archive(
                I::referenced(conn, item.id())?,
                || I::delete(conn, item.id()),
                || I::archive(conn, item.id(), &now),
            )?;
            let verb = action::<I>(if archived { "archived" } else { "deleted" });
            let change = Change::new(&verb, I::NAME, item.id()).before(item.summary());
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            if !archived {
                return Ok(Removal::Deleted);
            }
            let view = stored_view::<I>(conn, item.id(), &author.user)?;
            Ok(Removal::Archived(Box::new(view)))
        })
        .await
}
