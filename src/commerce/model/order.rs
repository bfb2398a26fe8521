//! Order types: the checkout request, the order views the API answers, status changes and list filters.

use serde::{Deserialize, Serialize};

use super::{AddToCart, Address, ItemType, check_quantity};
use crate::commerce::lifecycle::OrderStatus;
use crate::http::FieldError;

/// `POST /api/orders`. Unknown fields (such as tampered totals) are ignored on purpose:
/// the server always computes the amounts.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CreateOrder {
    pub coupon_code: Option<String>,
    pub shipping_address: Option<Address>,
    pub shipping_method: Option<String>,
    pub billing_country: Option<String>,
    /// The buyer's EU VAT number, prefix included (`FR12345678901`); with `[tax.eu_vat]` on,
    /// checked through VIES, and a valid one from another member state than the school's
    /// gets the reverse charge (0 %). Ignored when EU VAT is off.
    #[schema(max_length = 40)]
    pub vat_number: Option<String>,
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
            crate::msg!("problem-max-lines", max = MAX_ORDER_LINES),
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
    /// `physical_product`, `digital_product`, `course` or `bundle`.
    pub item_kind: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub tax_rate_bps: i64,
    pub total_cents: i64,
    pub vendor_id: Option<String>,
    /// A product a bundle included: the bundle's line (this line's amounts are 0; the
    /// bundle's line carries the money). Null for lines bought on their own.
    #[serde(default)]
    pub bundle_item_id: Option<String>,
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
    /// Notes for the buyer at checkout, e.g. prices that changed since the cart was viewed,
    /// in the request's language.
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
    pub status: crate::payments::lifecycle::RefundStatus,
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
