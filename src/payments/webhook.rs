//! `POST /api/payments/webhook`: Stripe events, signature-checked before anything else,
//! stored by event id in the same transaction as their effect (a duplicate is a no-op), and
//! applied monotonically.

use serde::Serialize;
use stripe_webhook::{Event, EventObject, Webhook, WebhookError};

use super::gateway::{IntentState, RefundOutcome};
use super::memberships;
use super::refunds::{self, By, Ending};
use super::service::{Applied, apply_intent};
use super::store::{self, EventRecord};
use super::stripe::{intent_state, refund_outcome};
use crate::commerce::service::Actor;
use crate::http::AppError;
use crate::state::AppState;

/// The answer to Stripe (and to tests): what became of the event.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookAck {
    pub event_id: String,
    /// applied outcome (`completed`, `failed`, `no_change`, `amount_mismatch`, `refund_processed` ...),
    /// `duplicate` for an event seen before, `ignored` for types and objects not ours.
    pub outcome: String,
}

/// What an event asks of us, independent of the Stripe types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayEvent {
    Intent {
        transaction_id: String,
        state: IntentState,
    },
    ChargeRefunded {
        transaction_id: String,
        amount_refunded: i64,
    },
    Refund {
        gateway_refund_id: String,
        outcome: RefundOutcome,
    },
    Other,
}

fn classify(event: Event) -> GatewayEvent {
    match event.data.object {
        EventObject::PaymentIntentSucceeded(pi) => {
            let state = match intent_state(&pi) {
                s @ IntentState::Succeeded { .. } => s,
                _ => IntentState::Succeeded {
                    amount_cents: pi.amount_received.max(pi.amount),
                    currency: pi.currency.to_string().to_ascii_uppercase(),
                },
            };
            GatewayEvent::Intent {
                transaction_id: pi.id.as_str().to_string(),
                state,
            }
        }
        EventObject::PaymentIntentPaymentFailed(pi) => {
            let message = pi
                .last_payment_error
                .as_ref()
                .and_then(|e| e.message.clone().or_else(|| e.decline_code.clone()))
                .unwrap_or_else(|| "the payment failed".into());
            GatewayEvent::Intent {
                transaction_id: pi.id.as_str().to_string(),
                state: IntentState::Failed { message },
            }
        }
        EventObject::ChargeRefunded(charge) => match &charge.payment_intent {
            Some(pi) => GatewayEvent::ChargeRefunded {
                transaction_id: pi.id().as_str().to_string(),
                amount_refunded: charge.amount_refunded,
            },
            None => GatewayEvent::Other,
        },
        EventObject::RefundUpdated(r) => GatewayEvent::Refund {
            gateway_refund_id: r.id.as_str().to_string(),
            outcome: refund_outcome(
                r.id.as_str().to_string(),
                r.status.as_deref(),
                r.failure_reason.clone(),
            ),
        },
        EventObject::RefundFailed(r) => GatewayEvent::Refund {
            gateway_refund_id: r.id.as_str().to_string(),
            outcome: RefundOutcome::Failed {
                gateway_refund_id: Some(r.id.as_str().to_string()),
                message: r
                    .failure_reason
                    .clone()
                    .unwrap_or_else(|| "the refund failed at Stripe".into()),
            },
        },
        _ => GatewayEvent::Other,
    }
}

const HANDLED: &[&str] = &[
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.refunded",
    "refund.updated",
    "refund.failed",
];

/// The event's id, type and meaning, once its signature and age check out (400 otherwise,
/// and for a handled type that cannot be read).
fn verify(
    body: &str,
    signature: &str,
    secret: &str,
) -> Result<(String, String, GatewayEvent), AppError> {
    let verified = match Webhook::construct_event(body, signature, secret) {
        Ok(event) => (
            event.id.as_str().to_string(),
            event.type_.to_string(),
            classify(event),
        ),
        Err(WebhookError::BadParse(e)) => {
            // Signed and fresh, but of a shape we do not model: fine unless we handle it.
            let head: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            let kind = head["type"].as_str().unwrap_or_default().to_string();
            let id = head["id"].as_str().unwrap_or_default().to_string();
            if id.is_empty() || HANDLED.contains(&kind.as_str()) {
                return Err(AppError::BadRequest(crate::msg!(
                    "problem-event-unreadable",
                    cause = e.to_string()
                )));
            }
            (id, kind, GatewayEvent::Other)
        }
        Err(e) => {
            return Err(AppError::BadRequest(crate::msg!(
                "problem-stripe-signature",
                cause = e.to_string()
            )));
        }
    };
    Ok(verified)
}

/// Verifies and applies one delivery. Bad signatures, stale timestamps (over 300 s) and
/// unreadable handled events are 400; everything else is acknowledged.
pub async fn receive(
    state: &AppState,
    signature: &str,
    body: String,
) -> Result<WebhookAck, AppError> {
    let secret = &state.config.payments.stripe.webhook_secret;
    if !state
        .config
        .payments
        .enabled(super::config::GatewayKind::Stripe)
        || secret.is_empty()
    {
        return Err(AppError::BadRequest(
            "Stripe is not enabled on this server".into(),
        ));
    }
    let (event_id, kind, event) = verify(&body, signature, secret)?;
    let billing = billing_event(&kind, &body)?;
    let grace_days = state.config.memberships.grace_days;
    let now = state.now_text();
    let id = event_id.clone();
    let (outcome, payment_id, follow_up) = state
        .db
        .write(move |conn| {
            if store::event_seen(conn, &id)? {
                return Ok(("duplicate".to_string(), None, None));
            }
            let (outcome, payment_id, refund_id, follow_up) = match &billing {
                Some(b) => {
                    let applied = memberships::events::apply(conn, b, grace_days, &now)?;
                    (applied.outcome, None, None, applied.follow_up)
                }
                None => {
                    let (outcome, payment_id, refund_id) = apply(conn, &event, &now)?;
                    (outcome, payment_id, refund_id, None)
                }
            };
            store::record_event(
                conn,
                &EventRecord {
                    id: &id,
                    kind: &kind,
                    payment_id: payment_id.as_deref(),
                    refund_id: refund_id.as_deref(),
                    outcome,
                },
                &now,
            )?;
            Ok((outcome.to_string(), payment_id, follow_up))
        })
        .await?;
    if let Some(follow_up) = follow_up {
        memberships::service::follow_up(state, follow_up).await;
    }
    if outcome == Applied::Completed.as_str() {
        // The card's country is EU VAT evidence; asking Stripe must not delay the answer.
        let state = state.clone();
        tokio::spawn(async move { super::card_country::sweep(&state).await });
    }
    if let (Some(payment_id), true) = (payment_id, outcome == Applied::OrderNotPayable.as_str()) {
        // Stripe gets its answer only after the refund was sent; a retry is a duplicate.
        super::stray::send(state, &payment_id).await;
    }
    crate::mail::wake(state);
    Ok(WebhookAck { event_id, outcome })
}

/// A Stripe Billing event memberships handle, read from the verified body's JSON (the
/// emulator's and Stripe's shapes differ too much for the typed events).
fn billing_event(
    kind: &str,
    body: &str,
) -> Result<Option<memberships::events::BillingEvent>, AppError> {
    if !memberships::events::KINDS.contains(&kind) {
        return Ok(None);
    }
    let event: serde_json::Value = serde_json::from_str(body).map_err(|e| {
        AppError::BadRequest(crate::msg!(
            "problem-event-unreadable",
            cause = e.to_string()
        ))
    })?;
    Ok(memberships::events::classify(kind, &event))
}

type Effect = (&'static str, Option<String>, Option<String>);

fn apply(conn: &rusqlite::Connection, event: &GatewayEvent, now: &str) -> Result<Effect, AppError> {
    match event {
        GatewayEvent::Intent {
            transaction_id,
            state,
        } => {
            // Every registered endpoint gets every event: a PaymentIntent not ours is ignored.
            let Some(payment) = store::payment_by_transaction(conn, transaction_id)? else {
                return Ok(("ignored", None, None));
            };
            let applied: Applied = apply_intent(conn, &payment, state, &Actor::default(), now)?;
            Ok((applied.as_str(), Some(payment.id), None))
        }
        GatewayEvent::ChargeRefunded {
            transaction_id,
            amount_refunded,
        } => {
            let Some(payment) = store::payment_by_transaction(conn, transaction_id)? else {
                return Ok(("ignored", None, None));
            };
            Ok((
                super::money_back::refunded_at_gateway(
                    conn,
                    &payment,
                    *amount_refunded,
                    &crate::commerce::history_note::SystemNote::RefundedAtStripe.stored(),
                    now,
                )?,
                Some(payment.id),
                None,
            ))
        }
        GatewayEvent::Refund {
            gateway_refund_id,
            outcome,
        } => {
            let Some(mut refund) = store::refund_by_gateway_id(conn, gateway_refund_id)? else {
                return Ok(("ignored", None, None));
            };
            let changed = refunds::apply_outcome(
                conn,
                &mut refund,
                outcome,
                &By::default(),
                Ending::Refund,
                now,
            )?;
            let label = if changed {
                "refund_updated"
            } else {
                "no_change"
            };
            Ok((label, Some(refund.payment_id.clone()), Some(refund.id)))
        }
        GatewayEvent::Other => Ok(("ignored", None, None)),
    }
}
