//! Bundle types: the stored row, the view answered to callers and the request body.

use serde::{Deserialize, Serialize};

use crate::catalog::model::Status;

/// A product a bundle includes, as the catalogue shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BundleProductView {
    pub id: String,
    pub slug: String,
    pub name: String,
    /// `digital` (downloaded from the order) or `physical` (shipped, from stock).
    pub kind: String,
    /// The product's own price.
    pub price_cents: i64,
    pub status: Status,
    /// Units in stock (physical goods); null: unlimited.
    pub stock_quantity: Option<i64>,
}

/// A stored bundle.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub price_cents: i64,
    pub currency: String,
    pub status: Status,
    pub owner_id: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A course a bundle grants, as the catalogue shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BundleCourseView {
    pub id: String,
    pub slug: String,
    pub title: String,
    /// The course's own price.
    pub price_cents: i64,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BundleView {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub price_cents: i64,
    pub currency: String,
    pub status: Status,
    /// The admin or instructor who made it.
    pub owner_id: String,
    /// The courses it grants, in the order given.
    pub courses: Vec<BundleCourseView>,
    /// The products it includes, in the order given (each once).
    pub products: Vec<BundleProductView>,
    /// What its courses cost one by one.
    pub courses_value_cents: i64,
    /// What its products cost one by one.
    pub products_value_cents: i64,
    /// What buying the bundle saves over buying its courses and products one by one (never
    /// below 0).
    pub savings_cents: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// Create or update a bundle. Creating needs `name`, `price_cents` and `course_ids`; an
/// update changes only the fields sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleBody {
    pub name: Option<String>,
    /// Lower-case letters, digits and dashes; derived from the name when left out.
    pub slug: Option<String>,
    pub description: Option<String>,
    /// In the store currency's minor units, at least 0.
    pub price_cents: Option<i64>,
    /// 1 to 50 distinct published courses; an instructor may bundle only their own.
    pub course_ids: Option<Vec<String>>,
    /// 0 to 20 distinct published products in the store currency, each included once; the
    /// bundle's owner must own them (vendor) unless an admin writes it.
    pub product_ids: Option<Vec<String>>,
    /// `draft` (default), `published` or `archived`.
    pub status: Option<Status>,
}

/// `GET /api/bundles` filters.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BundleFilters {
    /// Words the name or description must contain.
    pub q: Option<String>,
    /// Staff only: `draft`, `published` or `archived` (the public sees published bundles).
    pub status: Option<Status>,
    /// Bundles granting this course.
    pub course_id: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}
