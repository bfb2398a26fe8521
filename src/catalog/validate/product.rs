//! A product's body and draft: name, kind and price required on create; stock follows the
//! kind (physical: counted, digital: unlimited); a download only for digital goods.

use serde::Deserialize;

use super::{check_common, check_text, dedup, nullable, required};
use crate::catalog::model::{Product, ProductKind, Status};
use crate::http::{AppError, FieldError};

/// `POST /api/products` (name, kind and price_cents required) and `PUT /api/products/:id`
/// (any subset).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductBody {
    pub name: Option<String>,
    /// Generated from the name when not given.
    pub slug: Option<String>,
    pub description: Option<String>,
    pub kind: Option<ProductKind>,
    pub price_cents: Option<i64>,
    /// Physical: required, >= 0. Digital: null (unlimited).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub stock_quantity: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub sku: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub category_id: Option<Option<String>>,
    pub tag_ids: Option<Vec<String>>,
    /// Media ids of the images, in display order.
    pub image_ids: Option<Vec<String>>,
    /// Digital goods: the media id of the file buyers download.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub download_media_id: Option<Option<String>>,
    pub status: Option<Status>,
}

/// A product as it will be stored (before existence checks of referenced rows).
#[derive(Debug, Clone, PartialEq)]
pub struct ProductDraft {
    pub name: String,
    pub slug: Option<String>,
    pub description: String,
    pub kind: ProductKind,
    pub price_cents: i64,
    pub stock_quantity: Option<i64>,
    pub sku: Option<String>,
    pub category_id: Option<String>,
    pub tag_ids: Vec<String>,
    pub image_ids: Vec<String>,
    pub download_media_id: Option<String>,
    pub status: Status,
}

impl ProductDraft {
    /// A new product from a create body.
    pub fn create(body: ProductBody) -> Result<ProductDraft, AppError> {
        let mut errors = Vec::new();
        let name = required(&body.name, "name", &mut errors);
        let kind = required(&body.kind, "kind", &mut errors);
        let price = required(&body.price_cents, "price_cents", &mut errors);
        let (Some(name), Some(kind), Some(price_cents)) = (name, kind, price) else {
            return Err(AppError::Validation(errors));
        };
        let mut draft = ProductDraft {
            name,
            slug: None,
            description: String::new(),
            kind,
            price_cents,
            stock_quantity: None,
            sku: None,
            category_id: None,
            tag_ids: Vec::new(),
            image_ids: Vec::new(),
            download_media_id: None,
            status: Status::Draft,
        };
        draft.apply(body)?;
        Ok(draft)
    }

    /// The stored product, to be updated.
    pub fn from_existing(p: &Product, tag_ids: Vec<String>, image_ids: Vec<String>) -> Self {
        ProductDraft {
            name: p.name.clone(),
            slug: None,
            description: p.description.clone(),
            kind: p.kind,
            price_cents: p.price_cents,
            stock_quantity: p.stock_quantity,
            sku: p.sku.clone(),
            category_id: p.category_id.clone(),
            tag_ids,
            image_ids,
            download_media_id: p.download_media_id.clone(),
            status: p.status,
        }
    }

    /// Applies the given fields, then checks the whole product.
    pub fn apply(&mut self, body: ProductBody) -> Result<(), AppError> {
        if let Some(v) = body.name {
            self.name = v;
        }
        self.name = self.name.trim().to_string();
        if let Some(v) = body.slug {
            self.slug = Some(v.trim().to_string());
        }
        if let Some(v) = body.description {
            self.description = v;
        }
        if let Some(v) = body.kind {
            self.kind = v;
        }
        if let Some(v) = body.price_cents {
            self.price_cents = v;
        }
        if let Some(v) = body.stock_quantity {
            self.stock_quantity = v;
        }
        if let Some(v) = body.sku {
            self.sku = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        }
        if let Some(v) = body.category_id {
            self.category_id = v;
        }
        if let Some(v) = body.tag_ids {
            self.tag_ids = dedup(&v);
        }
        if let Some(v) = body.image_ids {
            self.image_ids = dedup(&v);
        }
        if let Some(v) = body.download_media_id {
            self.download_media_id = v;
        }
        if let Some(v) = body.status {
            self.status = v;
        }
        self.check()
    }

    /// The whole product's rules: name 1 to 200 characters, the shared rules, stock by kind,
    /// a download only for digital goods, a SKU of at most 64 characters, at most 20 images.
    fn check(&self) -> Result<(), AppError> {
        let mut errors = Vec::new();
        check_text(&self.name, "name", 200, &mut errors);
        check_common(
            &self.slug,
            &self.description,
            self.price_cents,
            &self.tag_ids,
            &mut errors,
        );
        match (self.kind, self.stock_quantity) {
            (ProductKind::Physical, None) => errors.push(FieldError::new(
                "stock_quantity",
                "is required for physical products",
            )),
            (ProductKind::Physical, Some(n)) if n < 0 => {
                errors.push(FieldError::new("stock_quantity", "must not be negative"))
            }
            (ProductKind::Digital, Some(_)) => errors.push(FieldError::new(
                "stock_quantity",
                "must be null for digital products (their stock is unlimited)",
            )),
            _ => {}
        }
        if self.kind == ProductKind::Physical && self.download_media_id.is_some() {
            errors.push(FieldError::new(
                "download_media_id",
                "applies to digital products only",
            ));
        }
        if self.sku.as_ref().is_some_and(|s| s.chars().count() > 64) {
            errors.push(FieldError::new("sku", "must be at most 64 characters"));
        }
        if self.image_ids.len() > 20 {
            errors.push(FieldError::new("image_ids", "at most 20 images"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(errors))
        }
    }
}
