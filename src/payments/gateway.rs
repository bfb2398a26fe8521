//! The `PaymentGateway` trait: what the payment and refund flows ask of a gateway, and the
//! gateway chosen for a payment by configuration.

use std::future::Future;
use std::pin::Pin;

use super::config::{GatewayKind, PaymentsConfig};

pub type GatewayFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, GatewayError>> + Send + 'a>>;

/// What a payment attempt asks the gateway for.
#[derive(Debug, Clone)]
pub struct StartPayment {
    pub payment_id: String,
    pub order_id: String,
    pub order_number: String,
    pub amount_cents: i64,
    /// ISO 4217, any case.
    pub currency: String,
}

/// The gateway's answer to a new attempt.
#[derive(Debug, Clone, Default)]
pub struct Started {
    pub transaction_id: Option<String>,
    pub client_secret: Option<String>,
}

/// The state of an attempt at the gateway, as far as the order is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntentState {
    /// The money was received.
    Succeeded { amount_cents: i64, currency: String },
    /// The last try failed; the buyer may retry.
    Failed { message: String },
    /// Nothing decided yet (waiting for the buyer, 3-D Secure, processing).
    Open,
    /// Cancelled at the gateway: it can no longer succeed.
    Canceled,
}

/// A refund to send back through the gateway.
#[derive(Debug, Clone)]
pub struct SendRefund {
    pub refund_id: String,
    pub transaction_id: Option<String>,
    pub amount_cents: i64,
}

/// The gateway's answer to a refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOutcome {
    Succeeded {
        gateway_refund_id: Option<String>,
    },
    /// Accepted; the result arrives later (`refund.updated`).
    Pending {
        gateway_refund_id: String,
    },
    Failed {
        gateway_refund_id: Option<String>,
        message: String,
    },
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum GatewayError {
    /// The gateway refused the request (bad id, amount too large ...).
    #[error("the payment provider refused the request: {0}")]
    Rejected(String),
    /// The gateway could not be reached or answered nonsense; retrying may work.
    #[error("the payment provider is unavailable: {0}")]
    Unavailable(String),
}

impl GatewayError {
    /// The error for the reader: the provider's own answer is quoted as it came.
    pub fn message(&self) -> crate::http::Message {
        match self {
            GatewayError::Rejected(why) => {
                crate::msg!("problem-gateway-refused", cause = why.as_str())
            }
            GatewayError::Unavailable(why) => {
                crate::msg!("problem-gateway-unavailable", cause = why.as_str())
            }
        }
    }
}

impl From<GatewayError> for crate::http::AppError {
    fn from(e: GatewayError) -> Self {
        tracing::warn!(error = %e, "payment gateway error");
        crate::http::Problem::new(axum::http::StatusCode::BAD_GATEWAY, e.message()).into_error()
    }
}

/// A way to take and return money.
pub trait PaymentGateway: Send + Sync {
    fn kind(&self) -> GatewayKind;

    /// Opens an attempt for the amount; retried calls with the same payment id must not
    /// charge twice.
    fn start<'a>(&'a self, request: &'a StartPayment) -> GatewayFuture<'a, Started>;

    /// Asks the gateway about an attempt; `None` when the gateway has nothing to tell
    /// (manual payments are decided by staff).
    fn check<'a>(&'a self, transaction_id: &'a str) -> GatewayFuture<'a, Option<IntentState>>;

    /// Pays money back; retried calls with the same refund id must not refund twice.
    fn refund<'a>(&'a self, request: &'a SendRefund) -> GatewayFuture<'a, RefundOutcome>;
}

/// The gateway implementation for `kind` as configured.
pub fn gateway_for(config: &PaymentsConfig, kind: GatewayKind) -> Box<dyn PaymentGateway> {
    match kind {
        GatewayKind::Stripe => Box::new(super::stripe::StripeGateway::new(&config.stripe)),
        GatewayKind::Paypal => Box::new(super::paypal::gateway::PaypalGateway::new(&config.paypal)),
        GatewayKind::Manual => Box::new(super::manual::ManualGateway),
    }
}
