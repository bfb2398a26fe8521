//! The Stripe gateway (async-stripe): PaymentIntents for payments, Refunds for refunds, each
//! sent with an idempotency key derived from our own record's id.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_core::payment_intent::{CreatePaymentIntent, RetrievePaymentIntent};
use stripe_core::refund::CreateRefund;
use stripe_core::{PaymentIntent, PaymentIntentStatus};
use stripe_types::Currency;

use super::config::{GatewayKind, StripeConfig};
use super::gateway::{
    GatewayError, GatewayFuture, IntentState, PaymentGateway, RefundOutcome, SendRefund,
    StartPayment, Started,
};

pub struct StripeGateway {
    secret_key: String,
    api_base: String,
}

impl StripeGateway {
    pub fn new(config: &StripeConfig) -> StripeGateway {
        StripeGateway {
            secret_key: config.secret_key.clone(),
            api_base: config.api_base.clone(),
        }
    }

    /// One client (and connection pool) per API base and key, shared by every request.
    pub(crate) fn client(&self) -> Result<Client, GatewayError> {
        static CLIENTS: OnceLock<Mutex<HashMap<(String, String), Client>>> = OnceLock::new();
        let clients = CLIENTS.get_or_init(Default::default);
        let mut clients = clients.lock().unwrap_or_else(|p| p.into_inner());
        let key = (self.api_base.clone(), self.secret_key.clone());
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }
        let client = ClientBuilder::new(self.secret_key.as_str())
            .url(self.api_base.as_str())
            .build()
            .map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        clients.insert(key, client.clone());
        Ok(client)
    }
}

pub(crate) fn idempotent(key: String) -> Result<RequestStrategy, GatewayError> {
    IdempotencyKey::new(key)
        .map(RequestStrategy::Idempotent)
        .map_err(|e| GatewayError::Rejected(format!("idempotency key: {e}")))
}

pub(crate) fn api_error(e: StripeError) -> GatewayError {
    match e {
        StripeError::Stripe(err, status) if (400..500).contains(&status) => GatewayError::Rejected(
            err.message
                .clone()
                .unwrap_or_else(|| format!("status {status}")),
        ),
        other => GatewayError::Unavailable(other.to_string()),
    }
}

/// What a PaymentIntent means for the order.
pub fn intent_state(pi: &PaymentIntent) -> IntentState {
    match &pi.status {
        PaymentIntentStatus::Succeeded => IntentState::Succeeded {
            amount_cents: if pi.amount_received > 0 {
                pi.amount_received
            } else {
                pi.amount
            },
            currency: pi.currency.to_string().to_ascii_uppercase(),
        },
        PaymentIntentStatus::Canceled => IntentState::Canceled,
        PaymentIntentStatus::RequiresPaymentMethod => match &pi.last_payment_error {
            Some(error) => IntentState::Failed {
                message: error
                    .message
                    .clone()
                    .or_else(|| error.decline_code.clone())
                    .unwrap_or_else(|| "the payment was declined".into()),
            },
            None => IntentState::Open,
        },
        _ => IntentState::Open,
    }
}

impl PaymentGateway for StripeGateway {
    fn kind(&self) -> GatewayKind {
        GatewayKind::Stripe
    }

    fn start<'a>(&'a self, request: &'a StartPayment) -> GatewayFuture<'a, Started> {
        Box::pin(async move {
            let client = self.client()?;
            let currency: Currency = request
                .currency
                .to_ascii_lowercase()
                .parse()
                .unwrap_or_else(|never| match never {});
            let metadata = HashMap::from([
                ("order_id".to_string(), request.order_id.clone()),
                ("order_number".to_string(), request.order_number.clone()),
                ("payment_id".to_string(), request.payment_id.clone()),
            ]);
            let pi = CreatePaymentIntent::new(request.amount_cents, currency)
                .metadata(metadata)
                .customize()
                .request_strategy(idempotent(format!("payment-{}", request.payment_id))?)
                .send(&client)
                .await
                .map_err(api_error)?;
            Ok(Started {
                transaction_id: Some(pi.id.as_str().to_string()),
                client_secret: pi.client_secret.clone(),
            })
        })
    }

    fn check<'a>(&'a self, transaction_id: &'a str) -> GatewayFuture<'a, Option<IntentState>> {
        Box::pin(async move {
            let client = self.client()?;
            let pi = RetrievePaymentIntent::new(transaction_id)
                .send(&client)
                .await
                .map_err(api_error)?;
            Ok(Some(intent_state(&pi)))
        })
    }

    fn refund<'a>(&'a self, request: &'a SendRefund) -> GatewayFuture<'a, RefundOutcome> {
        Box::pin(async move {
            let client = self.client()?;
            let transaction_id = request.transaction_id.as_deref().ok_or_else(|| {
                GatewayError::Rejected("the payment has no Stripe PaymentIntent".into())
            })?;
            let refund = CreateRefund::new()
                .payment_intent(transaction_id)
                .amount(request.amount_cents)
                .metadata(HashMap::from([(
                    "refund_id".to_string(),
                    request.refund_id.clone(),
                )]))
                .customize()
                .request_strategy(idempotent(format!("refund-{}", request.refund_id))?)
                .send(&client)
                .await
                .map_err(api_error)?;
            let id = refund.id.as_str().to_string();
            Ok(refund_outcome(
                id,
                refund.status.as_deref(),
                refund.failure_reason,
            ))
        })
    }
}

/// Maps a Stripe Refund's status (`succeeded`, `pending`, `requires_action`, `failed`,
/// `canceled`) to what the refund flow does with it.
pub fn refund_outcome(id: String, status: Option<&str>, failure: Option<String>) -> RefundOutcome {
    match status {
        Some("succeeded") => RefundOutcome::Succeeded {
            gateway_refund_id: Some(id),
        },
        Some("failed") | Some("canceled") => RefundOutcome::Failed {
            gateway_refund_id: Some(id),
            message: failure.unwrap_or_else(|| "the refund failed at Stripe".into()),
        },
        _ => RefundOutcome::Pending {
            gateway_refund_id: id,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refund_statuses_map_to_what_the_refund_flow_does() {
        let id = || "re_1".to_string();
        assert_eq!(
            refund_outcome(id(), Some("succeeded"), None),
            RefundOutcome::Succeeded {
                gateway_refund_id: Some(id())
            }
        );
        for pending in [Some("pending"), Some("requires_action"), None] {
            assert_eq!(
                refund_outcome(id(), pending, None),
                RefundOutcome::Pending {
                    gateway_refund_id: id()
                },
                "{pending:?}"
            );
        }
        for failed in ["failed", "canceled"] {
            assert!(matches!(
                refund_outcome(id(), Some(failed), Some("expired_or_canceled_card".into())),
                RefundOutcome::Failed { message, .. } if message == "expired_or_canceled_card"
            ));
        }
    }
}
