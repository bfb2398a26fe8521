//! Commerce types: cart and order views, request bodies, and status/kind SQL mappings.

use std::fmt;
use std::str::FromStr;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

use super::lifecycle::OrderStatus;
use super::pricing::ItemKind;
use crate::http::FieldError;

/// Most units of one item a cart line may hold.
pub const MAX_QUANTITY: i64 = 1000;

/// What a cart line refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemType {
    Product,
    Course,
}

impl ItemType {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemType::Product => "product",
            ItemType::Course => "course",
        }
    }
}

impl fmt::Display for ItemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ItemType {
    type Err = String;

    fn from_str(s: &str) -> Result<ItemType, String> {
        match s {
            "product" => Ok(ItemType::Product),
            "course" => Ok(ItemType::Course),
            other => Err(format!("unknown item type `{other}`")),
        }
    }
}

impl FromSql for ItemType {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map_err(|e: String| FromSqlError::Other(e.into()))
    }
}

impl rusqlite::ToSql for ItemType {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl FromSql for OrderStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map_err(|e: super::lifecycle::ParseStatusError| FromSqlError::Other(e.into()))
    }
}

impl FromSql for super::lifecycle::RefundStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map_err(|e: super::lifecycle::ParseStatusError| FromSqlError::Other(e.into()))
    }
}

impl rusqlite::ToSql for OrderStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

pub fn kind_as_str(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::PhysicalProduct => "physical_product",
        ItemKind::DigitalProduct => "digital_product",
        ItemKind::Course => "course",
    }
}

pub fn parse_kind(text: &str) -> Option<ItemKind> {
    match text {
        "physical_product" => Some(ItemKind::PhysicalProduct),
        "digital_product" => Some(ItemKind::DigitalProduct),
        "course" => Some(ItemKind::Course),
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
    /// `draft`, `published` or `archived`.
    pub status: String,
    /// `None` means unlimited (digital goods, courses).
    pub stock: Option<i64>,
    pub vendor_id: String,
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
            format!("must be between 1 and {MAX_QUANTITY}"),
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
    /// `course`, `physical` or `digital`; null only when the item no longer exists.
    pub kind: Option<CartItemKind>,
}

/// What a cart line is, so the UI knows whether it ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CartItemKind {
    Course,
    Physical,
    Digital,
}

impl From<ItemKind> for CartItemKind {
    fn from(kind: ItemKind) -> Self {
        match kind {
            ItemKind::Course => CartItemKind::Course,
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

/// A postal address for physical goods.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Address {
    pub name: String,
    pub line1: String,
    #[serde(default)]
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, any case (stored upper-case).
    pub country: String,
}

impl Address {
    /// Trims every part, upper-cases the country and names each invalid field.
    pub fn normalized(&self) -> Result<Address, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut required = |field: &str, value: &str, max: usize| -> String {
            let value = value.trim().to_string();
            if value.is_empty() {
                errors.push(FieldError::new(
                    format!("shipping_address.{field}"),
                    "is required",
                ));
            } else if value.chars().count() > max {
                errors.push(FieldError::new(
                    format!("shipping_address.{field}"),
                    format!("must be at most {max} characters"),
                ));
            }
            value
        };
        let name = required("name", &self.name, 200);
        let line1 = required("line1", &self.line1, 200);
        let city = required("city", &self.city, 100);
        let postal_code = required("postal_code", &self.postal_code, 20);
        let line2 = self
            .line2
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string);
        if line2.as_ref().is_some_and(|l| l.chars().count() > 200) {
            errors.push(FieldError::new(
                "shipping_address.line2",
                "must be at most 200 characters",
            ));
        }
        let country = match normalize_country(&self.country) {
            Some(c) => c,
            None => {
                errors.push(FieldError::new(
                    "shipping_address.country",
                    "must be a two-letter ISO 3166-1 country code such as DE",
                ));
                String::new()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Address {
            name,
            line1,
            line2,
            city,
            postal_code,
            country,
        })
    }
}

/// `Some("DE")` for an ISO 3166-1 alpha-2 code in any case; `None` for codes no country has
/// (`XX`) and for names (`Germany`).
pub fn normalize_country(raw: &str) -> Option<String> {
    isocountry::CountryCode::for_alpha2_caseless(raw.trim())
        .ok()
        .map(|country| country.alpha2().to_string())
}

/// `POST /api/orders`. Unknown fields (such as tampered totals) are ignored on purpose:
/// the server always computes the amounts.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CreateOrder {
    pub coupon_code: Option<String>,
    pub shipping_address: Option<Address>,
    pub shipping_method: Option<String>,
    pub billing_country: Option<String>,
    /// Buy these items now ("Buy now", "Enroll") instead of the cart, which is left as it is.
    /// Each line is checked as adding it to the cart would check it.
    #[schema(max_items = 100)]
    pub items: Option<Vec<AddToCart>>,
}

/// Most lines one "buy now" order may hold.
pub const MAX_ORDER_LINES: usize = 100;

/// Checks the shape of a "buy now" order's lines: how many, their quantities, ids, repeats.
pub fn check_order_lines(items: &[AddToCart]) -> Result<(), Vec<FieldError>> {
    if items.is_empty() {
        return Err(vec![FieldError::new(
            "items",
            "must name at least one item",
        )]);
    }
    if items.len() > MAX_ORDER_LINES {
        return Err(vec![FieldError::new(
            "items",
            format!("may hold at most {MAX_ORDER_LINES} lines"),
        )]);
    }
    let mut errors = Vec::new();
    for (index, line) in items.iter().enumerate() {
        let at = |field: &str| format!("items[{index}].{field}");
        if let Err(e) = check_quantity(line.quantity.unwrap_or(1)) {
            errors.push(FieldError::new(at("quantity"), e.message));
        }
        let id = line.item_id.trim();
        if id.is_empty() {
            errors.push(FieldError::new(at("item_id"), "is required"));
        } else if items[..index]
            .iter()
            .any(|l| l.item_type == line.item_type && l.item_id.trim() == id)
        {
            errors.push(FieldError::new(at("item_id"), "is already listed above"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderItemView {
    pub id: String,
    pub item_type: ItemType,
    pub item_id: String,
    /// `physical_product`, `digital_product` or `course`.
    pub item_kind: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub tax_rate_bps: i64,
    pub total_cents: i64,
    pub vendor_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderEventView {
    pub from: Option<String>,
    pub to: String,
    pub actor_id: Option<String>,
    pub note: Option<String>,
    pub at: String,
}

/// An order as stored, without items and events.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderSummary {
    pub id: String,
    pub number: String,
    pub user_id: String,
    pub email: String,
    #[schema(value_type = String)]
    pub status: OrderStatus,
    pub currency: String,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub shipping_cents: i64,
    pub total_cents: i64,
    pub prices_include_tax: bool,
    pub coupon_code: Option<String>,
    #[serde(skip)]
    pub coupon_id: Option<String>,
    pub shipping_method: Option<String>,
    pub shipping_address: Option<Address>,
    pub billing_country: Option<String>,
    pub tracking_number: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub paid_at: Option<String>,
}

/// The full order: what `GET /api/orders/:id` and checkout answer.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderView {
    #[serde(flatten)]
    pub order: OrderSummary,
    pub items: Vec<OrderItemView>,
    pub events: Vec<OrderEventView>,
    /// Notes for the buyer at checkout, e.g. prices that changed since the cart was viewed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Payment attempts for this order, oldest first (staff confirm a manual one from here).
    #[serde(default)]
    pub payments: Vec<OrderPaymentView>,
    /// Refund requests for this order, oldest first, so the buyer can follow each to its end.
    #[serde(default)]
    pub refunds: Vec<OrderRefundView>,
}

/// A payment attempt as the order view lists it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderPaymentView {
    pub id: String,
    /// `stripe`, `paypal` or `manual`.
    pub gateway: String,
    /// pending, completed, failed, refunded or partially_refunded.
    pub status: String,
    pub amount_cents: i64,
    pub refunded_cents: i64,
    pub currency: String,
    pub created_at: String,
    pub completed_at: Option<String>,
    /// The gateway's id: Stripe PaymentIntent, PayPal order.
    pub transaction_id: Option<String>,
    /// PayPal: the capture holding the money (refunds go through it).
    pub capture_id: Option<String>,
}

/// A refund request as the order view lists it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderRefundView {
    pub id: String,
    /// requested, return_requested, return_received, approved, processed, rejected or failed.
    #[schema(value_type = String)]
    pub status: super::lifecycle::RefundStatus,
    pub amount_cents: i64,
    /// The order items it covers.
    pub item_ids: Vec<String>,
    pub reason: String,
    /// Staff's note on the decision (the reasons, when the policy refused it).
    pub decision_note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub processed_at: Option<String>,
}

impl OrderView {
    pub fn has_physical_items(&self) -> bool {
        self.items.iter().any(|i| i.item_kind == "physical_product")
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// The new status, e.g. `shipped`.
    pub status: String,
    pub tracking_number: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListQuery {
    pub status: Option<String>,
    /// Orders created at or after this time (RFC 3339 or YYYY-MM-DD).
    pub from: Option<String>,
    /// Orders created before this time (RFC 3339 or YYYY-MM-DD, a date meaning its end).
    pub to: Option<String>,
    /// Part of the order number or the buyer's email.
    pub q: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Filters for the order list, checked.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    /// `None` for admins; otherwise the caller, who sees their own orders and (vendors)
    /// orders holding their products.
    pub viewer: Option<String>,
}

/// `SH-000123`.
pub fn format_order_number(n: i64) -> String {
    format!("SH-{n:06}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_codes_of_real_countries_are_countries() {
        assert_eq!(normalize_country(" de "), Some("DE".into()));
        assert_eq!(normalize_country("GE"), Some("GE".into()));
        for not_one in ["XX", "ZZ", "Germany", "D", "", "DEU"] {
            assert_eq!(normalize_country(not_one), None, "{not_one}");
        }
    }

    use super::*;

    #[test]
    fn order_numbers_are_zero_padded() {
        assert_eq!(format_order_number(1), "SH-000001");
        assert_eq!(format_order_number(1234567), "SH-1234567");
    }

    #[test]
    fn quantities_outside_the_bounds_are_refused() {
        assert!(check_quantity(0).is_err());
        assert!(check_quantity(-3).is_err());
        assert!(check_quantity(1001).is_err());
        assert_eq!(check_quantity(1000), Ok(1000));
    }

    #[test]
    fn addresses_name_every_bad_field() {
        let address = Address {
            name: " ".into(),
            line1: "1 Main St".into(),
            line2: Some("  ".into()),
            city: "Berlin".into(),
            postal_code: "10115".into(),
            country: "Germany".into(),
        };
        let errors = address.normalized().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["shipping_address.name", "shipping_address.country"]
        );
        let ok = Address {
            name: "Ada".into(),
            country: "de".into(),
            ..address
        }
        .normalized()
        .unwrap();
        assert_eq!((ok.country.as_str(), ok.line2), ("DE", None));
    }
}
