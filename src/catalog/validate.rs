//! Request bodies for products and courses, and the rules that check them. Create and
//! update share one body type: create fills a draft from defaults, update from the stored
//! row; then the whole draft is checked.

use serde::{Deserialize, Deserializer};

use super::model::{Course, Level, Product, ProductKind, Status};
use super::slug;
use crate::http::{AppError, FieldError};

/// For nullable fields of partial updates: absent -> None, null -> Some(None).
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

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

fn required<T: Clone>(value: &Option<T>, field: &str, errors: &mut Vec<FieldError>) -> Option<T> {
    if value.is_none() {
        errors.push(FieldError::new(field, "is required"));
    }
    value.clone()
}

fn dedup(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let id = id.trim().to_string();
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

fn check_text(value: &str, field: &str, max: usize, errors: &mut Vec<FieldError>) {
    let len = value.chars().count();
    if len == 0 || len > max {
        errors.push(FieldError::new(
            field,
            format!("must be 1 to {max} characters"),
        ));
    }
}

fn check_common(
    slug_value: &Option<String>,
    description: &str,
    price_cents: i64,
    tag_ids: &[String],
    errors: &mut Vec<FieldError>,
) {
    if let Some(s) = slug_value
        && let Err(e) = slug::check(s)
    {
        errors.push(FieldError::new("slug", e));
    }
    if description.chars().count() > 50_000 {
        errors.push(FieldError::new(
            "description",
            "must be at most 50000 characters",
        ));
    }
    if !(0..=1_000_000_000).contains(&price_cents) {
        errors.push(FieldError::new(
            "price_cents",
            "must be between 0 and 1000000000 (cents)",
        ));
    }
    if tag_ids.len() > 20 {
        errors.push(FieldError::new("tag_ids", "at most 20 tags"));
    }
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

/// `POST /api/courses` (title and price_cents required) and `PUT /api/courses/:id`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseBody {
    pub title: Option<String>,
    /// Generated from the title when not given.
    pub slug: Option<String>,
    pub description: Option<String>,
    /// 0 means free.
    pub price_cents: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub category_id: Option<Option<String>>,
    pub tag_ids: Option<Vec<String>>,
    /// Media id of the cover image.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub cover_media_id: Option<Option<String>>,
    pub level: Option<Level>,
    pub status: Option<Status>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CourseDraft {
    pub title: String,
    pub slug: Option<String>,
    pub description: String,
    pub price_cents: i64,
    pub category_id: Option<String>,
    pub tag_ids: Vec<String>,
    pub cover_media_id: Option<String>,
    pub level: Level,
    pub status: Status,
}

impl CourseDraft {
    pub fn create(body: CourseBody) -> Result<CourseDraft, AppError> {
        let mut errors = Vec::new();
        let title = required(&body.title, "title", &mut errors);
        let price = required(&body.price_cents, "price_cents", &mut errors);
        let (Some(title), Some(price_cents)) = (title, price) else {
            return Err(AppError::Validation(errors));
        };
        let mut draft = CourseDraft {
            title,
            slug: None,
            description: String::new(),
            price_cents,
            category_id: None,
            tag_ids: Vec::new(),
            cover_media_id: None,
            level: Level::All,
            status: Status::Draft,
        };
        draft.apply(body)?;
        Ok(draft)
    }

    pub fn from_existing(c: &Course, tag_ids: Vec<String>) -> CourseDraft {
        CourseDraft {
            title: c.title.clone(),
            slug: None,
            description: c.description.clone(),
            price_cents: c.price_cents,
            category_id: c.category_id.clone(),
            tag_ids,
            cover_media_id: c.cover_media_id.clone(),
            level: c.level,
            status: c.status,
        }
    }

    pub fn apply(&mut self, body: CourseBody) -> Result<(), AppError> {
        if let Some(v) = body.title {
            self.title = v;
        }
        self.title = self.title.trim().to_string();
        if let Some(v) = body.slug {
            self.slug = Some(v.trim().to_string());
        }
        if let Some(v) = body.description {
            self.description = v;
        }
        if let Some(v) = body.price_cents {
            self.price_cents = v;
        }
        if let Some(v) = body.category_id {
            self.category_id = v;
        }
        if let Some(v) = body.tag_ids {
            self.tag_ids = dedup(&v);
        }
        if let Some(v) = body.cover_media_id {
            self.cover_media_id = v;
        }
        if let Some(v) = body.level {
            self.level = v;
        }
        if let Some(v) = body.status {
            self.status = v;
        }
        let mut errors = Vec::new();
        check_text(&self.title, "title", 200, &mut errors);
        check_common(
            &self.slug,
            &self.description,
            self.price_cents,
            &self.tag_ids,
            &mut errors,
        );
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

/// Trims a short text field and checks its length.
pub fn short_text(value: &str, field: &str, max: usize) -> Result<String, AppError> {
    let mut errors = Vec::new();
    let value = value.trim().to_string();
    check_text(&value, field, max, &mut errors);
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(AppError::Validation(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_product_needs_name_kind_and_price() {
        let e = ProductDraft::create(ProductBody::default()).unwrap_err();
        assert_eq!(fields(e), ["name", "kind", "price_cents"]);
    }

    #[test]
    fn stock_rules_follow_the_kind() {
        let physical = ProductBody {
            name: Some("Mug".into()),
            kind: Some(ProductKind::Physical),
            price_cents: Some(900),
            ..Default::default()
        };
        assert_eq!(
            fields(ProductDraft::create(physical.clone()).unwrap_err()),
            ["stock_quantity"]
        );
        let negative = ProductBody {
            stock_quantity: Some(Some(-1)),
            price_cents: Some(-5),
            ..physical.clone()
        };
        assert_eq!(
            fields(ProductDraft::create(negative).unwrap_err()),
            ["price_cents", "stock_quantity"]
        );
        let digital = ProductBody {
            kind: Some(ProductKind::Digital),
            stock_quantity: Some(Some(3)),
            ..physical
        };
        assert_eq!(
            fields(ProductDraft::create(digital).unwrap_err()),
            ["stock_quantity"]
        );
    }

    #[test]
    fn updates_merge_over_the_stored_values_and_are_rechecked() {
        let mut draft = CourseDraft::create(CourseBody {
            title: Some(" Rust ".into()),
            price_cents: Some(0),
            tag_ids: Some(vec!["a".into(), "a".into(), "b".into()]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(draft.title, "Rust");
        assert_eq!(draft.tag_ids, ["a", "b"]);
        let bad = CourseBody {
            slug: Some("Not A Slug".into()),
            ..Default::default()
        };
        assert_eq!(fields(draft.apply(bad).unwrap_err()), ["slug"]);
    }
}
