//! Payment and refund records, and what the API shows of them.

use serde::{Deserialize, Serialize};

use super::config::GatewayKind;
pub use super::lifecycle::{PaymentStatus, RefundStatus};

/// A payments row.
#[derive(Debug, Clone)]
pub struct Payment {
    pub id: String,
    pub order_id: String,
    pub user_id: String,
    pub gateway: GatewayKind,
    pub status: PaymentStatus,
    pub amount_cents: i64,
    pub currency: String,
    pub refunded_cents: i64,
    pub transaction_id: Option<String>,
    pub client_secret: Option<String>,
    pub failure_message: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
}

/// A payment as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaymentView {
    pub id: String,
    pub order_id: String,
    pub gateway: GatewayKind,
    /// pending, completed, failed, refunded or partially_refunded.
    #[schema(value_type = String)]
    pub status: PaymentStatus,
    pub amount_cents: i64,
    pub refunded_cents: i64,
    pub currency: String,
    /// The gateway's id (Stripe PaymentIntent id, PayPal order id); null for manual payments.
    pub transaction_id: Option<String>,
    /// For Stripe.js (`stripe.confirmPayment`); only shown to the buyer while pending.
    pub client_secret: Option<String>,
    /// PayPal: where to send the buyer to approve the payment; only shown to the buyer while
    /// pending.
    pub approve_url: Option<String>,
    /// Stripe publishable key for Stripe.js.
    pub publishable_key: Option<String>,
    /// How to pay a manual payment.
    pub instructions: Option<String>,
    /// Why the last attempt failed (declined card ...).
    pub failure_message: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
}

impl PaymentView {
    /// `config` supplies the publishable key and manual instructions; `for_buyer` decides
    /// whether the client secret is shown.
    pub fn new(p: &Payment, config: &super::config::PaymentsConfig, for_buyer: bool) -> Self {
        let pending = p.status == PaymentStatus::Pending;
        PaymentView {
            id: p.id.clone(),
            order_id: p.order_id.clone(),
            gateway: p.gateway,
            status: p.status,
            amount_cents: p.amount_cents,
            refunded_cents: p.refunded_cents,
            currency: p.currency.clone(),
            transaction_id: p.transaction_id.clone(),
            // For PayPal the column holds the approval link, shown as `approve_url`.
            client_secret: p
                .client_secret
                .clone()
                .filter(|_| for_buyer && pending && p.gateway != GatewayKind::Paypal),
            approve_url: p
                .client_secret
                .clone()
                .filter(|_| for_buyer && pending && p.gateway == GatewayKind::Paypal),
            publishable_key: (p.gateway == GatewayKind::Stripe)
                .then(|| config.stripe.publishable_key.clone()),
            instructions: (p.gateway == GatewayKind::Manual)
                .then(|| config.manual.instructions.clone()),
            failure_message: p.failure_message.clone(),
            created_at: p.created_at.clone(),
            updated_at: p.updated_at.clone(),
            completed_at: p.completed_at.clone(),
        }
    }
}

/// A refunds row with the order items it covers.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Refund {
    pub id: String,
    pub order_id: String,
    /// The order's number, e.g. `SH-000042`.
    pub order_number: String,
    /// ISO 4217 code of the order's (and the refund's) currency.
    pub currency: String,
    pub payment_id: String,
    pub user_id: String,
    /// requested, return_requested, return_received, approved, rejected, processed or failed.
    #[schema(value_type = String)]
    pub status: RefundStatus,
    pub amount_cents: i64,
    pub reason: String,
    /// `{eligible, reasons: [{code, message, ...}], return_required}` as decided at request time.
    #[schema(value_type = Object)]
    pub eligibility: serde_json::Value,
    /// The order items refunded.
    pub item_ids: Vec<String>,
    /// The gateway's refund id (Stripe `re_...`).
    pub gateway_refund_id: Option<String>,
    pub failure_message: Option<String>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub processed_at: Option<String>,
    /// Sent back automatically: the money arrived for an order that could not take it.
    #[serde(skip)]
    pub automatic: bool,
}

/// An order's facts the payment and refund flows need (read from commerce's tables).
#[derive(Debug, Clone)]
pub struct OrderFacts {
    pub id: String,
    pub number: String,
    pub user_id: String,
    pub status: crate::commerce::lifecycle::OrderStatus,
    pub total_cents: i64,
    pub shipping_cents: i64,
    pub prices_include_tax: bool,
    pub currency: String,
    pub paid_at: Option<String>,
}

/// An order item, for refunds.
#[derive(Debug, Clone)]
pub struct OrderItemFacts {
    pub id: String,
    /// physical_product, digital_product or course.
    pub item_kind: String,
    pub item_id: String,
    pub quantity: i64,
    /// Unit price × quantity; the line's share of the order discount; its tax.
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
}
