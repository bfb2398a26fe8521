//! Products: the shop's goods, as an [`Item`]; `items::{list, get, create, update, delete}`
//! do the rest (`items::create::<Product>`).

use rusqlite::Connection;
use serde_json::Value;

use super::items::{Defaults, Item};
use super::shared::{self, PRODUCT_AUTHORS, Refs};
use crate::auth::AuthUser;
use crate::catalog::listing::{ListSql, Target};
use crate::catalog::model::{Product, ProductView, Status};
use crate::catalog::store::{self, Table, TagLink, products as pstore};
use crate::catalog::validate::{ProductBody, ProductDraft};
use crate::http::AppError;
use crate::users::Role;

impl Item for Product {
    type Body = ProductBody;
    type Draft = ProductDraft;
    type View = ProductView;

    const NAME: &'static str = "product";
    const TABLE: Table = Table::Products;
    const TAGS: TagLink = TagLink::Products;
    const TARGET: Target = Target::Products;
    const AUTHORS: &'static [Role] = PRODUCT_AUTHORS;
    const OWNER_ROLE: Role = Role::Vendor;

    fn id(&self) -> &str {
        &self.id
    }
    fn owner_id(&self) -> &str {
        &self.vendor_id
    }
    fn status(&self) -> Status {
        self.status
    }
    fn slug(&self) -> &str {
        &self.slug
    }
    fn touch(&mut self, now: &str) {
        self.updated_at = now.to_string();
    }

    fn fetch(conn: &Connection, key: &str) -> rusqlite::Result<Option<Self>> {
        pstore::get(conn, key)
    }
    fn page(conn: &Connection, sql: &ListSql) -> rusqlite::Result<(Vec<Self>, i64)> {
        pstore::list(conn, sql)
    }
    fn views(
        conn: &Connection,
        items: Vec<Self>,
        viewer: &Option<AuthUser>,
    ) -> Result<Vec<ProductView>, AppError> {
        shared::product_views(conn, items, viewer)
    }

    fn draft(body: ProductBody) -> Result<ProductDraft, AppError> {
        ProductDraft::create(body)
    }
    fn blank(id: String, owner: &str, site: &Defaults, now: &str, draft: &ProductDraft) -> Self {
        let currency = site.currency.as_str();
        Product {
            id,
            vendor_id: owner.to_string(),
            name: String::new(),
            slug: String::new(),
            description: String::new(),
            kind: draft.kind,
            price_cents: 0,
            currency: currency.to_string(),
            stock_quantity: None,
            sku: None,
            category_id: None,
            status: Status::Draft,
            download_media_id: None,
            sales_count: 0,
            created_at: now.to_string(),
            updated_at: now.to_string(),
        }
    }
    fn redraft(&self, conn: &Connection, body: ProductBody) -> Result<ProductDraft, AppError> {
        let ids = vec![self.id.clone()];
        let tag_ids = store::tags_for(conn, TagLink::Products, &ids)?
            .remove(&self.id)
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.id)
            .collect();
        let image_ids = pstore::images_for(conn, &ids)?
            .remove(&self.id)
            .unwrap_or_default();
        let mut draft = ProductDraft::from_existing(self, tag_ids, image_ids);
        draft.apply(body)?;
        Ok(draft)
    }
    fn refs(draft: &ProductDraft) -> Refs<'_> {
        let mut media = vec![("image_ids", draft.image_ids.clone())];
        if let Some(download) = &draft.download_media_id {
            media.push(("download_media_id", vec![download.clone()]));
        }
        Refs {
            category_id: draft.category_id.as_deref(),
            tag_ids: &draft.tag_ids,
            media,
        }
    }
    fn slug_source(draft: &ProductDraft) -> (Option<&str>, &str) {
        (draft.slug.as_deref(), &draft.name)
    }
    fn fill(&mut self, draft: &ProductDraft, slug: String) {
        self.slug = slug;
        self.name = draft.name.clone();
        self.description = draft.description.clone();
        self.kind = draft.kind;
        self.price_cents = draft.price_cents;
        self.stock_quantity = draft.stock_quantity;
        self.sku = draft.sku.clone();
        self.category_id = draft.category_id.clone();
        self.status = draft.status;
        self.download_media_id = draft.download_media_id.clone();
    }
    fn insert(conn: &Connection, item: &Self) -> rusqlite::Result<()> {
        pstore::insert(conn, item)
    }
    fn update(conn: &Connection, item: &Self) -> rusqlite::Result<()> {
        pstore::update(conn, item)
    }
    fn write_extras(conn: &Connection, id: &str, draft: &ProductDraft) -> rusqlite::Result<()> {
        pstore::set_images(conn, id, &draft.image_ids)
    }
    fn tag_ids(draft: &ProductDraft) -> &[String] {
        &draft.tag_ids
    }

    fn referenced(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
        pstore::product_is_referenced(conn, id)
    }
    fn delete(conn: &Connection, id: &str) -> rusqlite::Result<()> {
        pstore::delete(conn, id)
    }
    fn archive(conn: &Connection, id: &str, now: &str) -> rusqlite::Result<()> {
        pstore::set_status(conn, id, Status::Archived, now)
    }
    fn summary(&self) -> Value {
        serde_json::json!({
            "name": self.name,
            "price_cents": self.price_cents,
            "status": self.status.as_str(),
            "stock_quantity": self.stock_quantity,
        })
    }
}
