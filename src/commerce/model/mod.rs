//! Commerce types: cart and order views, request bodies, and status/kind SQL mappings.

use serde::{Deserialize, Serialize};

use super::pricing::ItemKind;
use crate::http::FieldError;
use crate::status::status_enum;

mod address;
mod order;

pub use address::*;
pub use order::*;

/// Most units of one item a cart line may hold.
pub const MAX_QUANTITY: i64 = 1000;

status_enum!(
    /// What a cart line refers to.
    pub enum ItemType: "item type" { Product => "product", Course => "course", Bundle => "bundle" }
);

pub fn kind_as_str(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::PhysicalProduct => "physical_product",
        ItemKind::DigitalProduct => "digital_product",
        ItemKind::Course => "course",
        ItemKind::Bundle => "bundle",
    }
}

pub fn parse_kind(text: &str) -> Option<ItemKind> {
    match text {
        "physical_product" => Some(ItemKind::PhysicalProduct),
        "digital_product" => Some(ItemKind::DigitalProduct),
        "course" => Some(ItemKind::Course),
        "bundle" => Some(ItemKind::Bundle),
        _ => None,
    }
}

/// A sellable catalogue entry as checkout sees it.
#[derive(Debug, Clone)]
pub struct CatalogItem {
    pub item_type: ItemType,
    pub id: String,
    pub name: String,
    pub kind: ItemKind,
    pub price_cents: i64,
    pub status: crate::catalog::model::Status,
    /// `None` means unlimited (digital goods, courses).
    pub stock: Option<i64>,
    pub vendor_id: String,
    /// Physical units one unit of it ships: 1 for a physical product, a bundle's physical
    /// products, else 0.
    pub ships: i64,
}

/// A stored cart line.
#[derive(Debug, Clone)]
pub struct CartRow {
    pub id: String,
    pub item_type: ItemType,
    pub item_id: String,
    pub quantity: i64,
    pub price_seen_cents: i64,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddToCart {
    pub item_type: ItemType,
    pub item_id: String,
    /// Defaults to 1; courses are always 1.
    pub quantity: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCartItem {
    pub quantity: i64,
}

/// Checks a requested quantity against the bounds every cart line obeys.
pub fn check_quantity(quantity: i64) -> Result<u32, FieldError> {
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(FieldError::new(
            "quantity",
            crate::msg!("problem-between", min = 1, max = MAX_QUANTITY),
        ));
    }
    u32::try_from(quantity).map_err(|_| FieldError::new("quantity", "is too large"))
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CartItemView {
    pub id: String,
    pub item_type: ItemType,
    pub item_id: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    /// After discount, and with tax when prices exclude it; 0 when unavailable.
    pub line_total_cents: i64,
    /// Whether the line can be bought as it stands (published, in stock, not yet enrolled).
    pub available: bool,
    /// `course`, `bundle`, `physical` or `digital`; null only when the item no longer exists.
    pub kind: Option<CartItemKind>,
    /// The products a bundle includes (shipped or downloadable with it); empty otherwise.
    pub includes: Vec<IncludedProduct>,
}

/// A product a bundle includes, as the cart lists it under the bundle.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IncludedProduct {
    pub id: String,
    pub name: String,
    /// `physical` (shipped) or `digital` (downloaded from the order).
    pub kind: CartItemKind,
}

/// What a cart line is, so the UI knows whether it ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CartItemKind {
    Course,
    /// Several courses at one price.
    Bundle,
    Physical,
    Digital,
}

impl From<ItemKind> for CartItemKind {
    fn from(kind: ItemKind) -> Self {
        match kind {
            ItemKind::Course => CartItemKind::Course,
            ItemKind::Bundle => CartItemKind::Bundle,
            ItemKind::PhysicalProduct => CartItemKind::Physical,
            ItemKind::DigitalProduct => CartItemKind::Digital,
        }
    }
}

/// A shipping method the buyer can choose, priced for the cart as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ShippingOption {
    pub id: String,
    pub name: String,
    pub cents: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CartView {
    pub items: Vec<CartItemView>,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub shipping_cents: i64,
    pub total_cents: i64,
    pub currency: String,
    pub prices_include_tax: bool,
    pub coupon_code: Option<String>,
    pub shipping_method: Option<String>,
    pub warnings: Vec<String>,
    /// Methods that ship to the given country (all of them while no country is given),
    /// each with what it would cost for this cart; empty when nothing has to be shipped.
    pub shipping_methods: Vec<ShippingOption>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CartQuery {
    pub coupon_code: Option<String>,
    /// ISO 3166-1 alpha-2 country for tax and shipping.
    pub country: Option<String>,
    pub shipping_method: Option<String>,
}

#[cfg(test)]
mod tests;
