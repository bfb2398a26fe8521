//! `POST /api/payments/webhook/paypal`: PayPal events, verified through PayPal's
//! verify-webhook-signature call with our `webhook_id` before anything else, stored by event
//! id in the same transaction as their effect (a duplicate is a no-op), applied monotonically.

use axum::http::{HeaderMap, StatusCode};
use rusqlite::Connection;
use serde_json::Value;

use super::events::{HANDLED, PaypalEvent, classify};
use super::flow::gateway;
use super::gateway::Settled;
use super::{money_back, store as paypal_store};
use crate::commerce::service::Actor;
use crate::http::{AppError, Problem};
use crate::payments::config::GatewayKind;
use crate::payments::gateway::{GatewayError, RefundOutcome};
use crate::payments::model::{Payment, PaymentStatus, RefundStatus};
use crate::payments::refunds::{By, Ending, apply_outcome};
use crate::payments::service::{Applied, apply_intent};
use crate::payments::store::{self, EventRecord};
use crate::payments::webhook::WebhookAck;
use crate::state::AppState;

/// The transmission headers PayPal signs a delivery with, in the verify call's field order.
const HEADERS: [(&str, &str); 5] = [
    ("auth_algo", "paypal-auth-algo"),
    ("cert_url", "paypal-cert-url"),
    ("transmission_id", "paypal-transmission-id"),
    ("transmission_sig", "paypal-transmission-sig"),
    ("transmission_time", "paypal-transmission-time"),
];

/// The verify call's body, with the event exactly as received: PayPal checks the signature
/// over the delivered bytes, so the event is not parsed and written out again.
pub fn verify_body(headers: &HeaderMap, webhook_id: &str, raw: &str) -> Result<String, AppError> {
    let mut body = String::from("{");
    for (field, header) in HEADERS {
        let value = headers
            .get(header)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "the {header} header is missing: not a PayPal delivery"
                ))
            })?;
        body.push_str(&format!("{}:{},", Value::from(field), Value::from(value)));
    }
    body.push_str(&format!(
        "\"webhook_id\":{},\"webhook_event\":{}}}",
        Value::from(webhook_id),
        raw.trim()
    ));
    Ok(body)
}

fn unavailable(e: GatewayError) -> AppError {
    // A 5xx makes PayPal deliver again later.
    tracing::warn!(error = %e, "PayPal webhook could not be handled now");
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "PayPal could not be reached; deliver again later",
    )
    .into_error()
}

pub async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    raw: String,
) -> Result<WebhookAck, AppError> {
    let config = &state.config.payments;
    if !config.enabled(GatewayKind::Paypal) {
        return Err(AppError::BadRequest(
            "PayPal is not enabled on this server".into(),
        ));
    }
    let event: Value = serde_json::from_str(&raw)
        .map_err(|e| AppError::BadRequest(format!("the event is not JSON: {e}")))?;
    let event_id = event["id"].as_str().unwrap_or_default().to_string();
    let kind = event["event_type"].as_str().unwrap_or_default().to_string();
    if event_id.is_empty() || kind.is_empty() || event_id.len() > 128 {
        return Err(AppError::BadRequest(
            "the event has no id or event_type".into(),
        ));
    }
    let verify = verify_body(headers, &config.paypal.webhook_id, &raw)?;
    let verified = gateway(state)
        .client()
        .verify_webhook(&verify)
        .await
        .map_err(unavailable)?;
    if verified != "SUCCESS" {
        return Err(AppError::BadRequest(format!(
            "PayPal did not verify the delivery ({verified})"
        )));
    }
    let parsed = classify(&event).ok_or_else(|| {
        AppError::BadRequest(format!(
            "the {kind} event lacks the ids or amount it must carry"
        ))
    })?;
    let id = event_id.clone();
    if state
        .db
        .read(move |conn| Ok(store::event_seen(conn, &id)?))
        .await?
    {
        return Ok(WebhookAck {
            event_id,
            outcome: "duplicate".into(),
        });
    }
    // The buyer approved but may never come back: capture now, outside any transaction.
    let mut settled = None;
    if let PaypalEvent::OrderApproved { order_id } = &parsed {
        let lookup = order_id.clone();
        let payment = state
            .db
            .read(move |conn| Ok(store::payment_by_transaction(conn, &lookup)?))
            .await?;
        if let Some(payment) = payment.filter(|p| p.status == PaymentStatus::Pending) {
            settled = Some(
                gateway(state)
                    .settle(order_id, &payment.id)
                    .await
                    .map_err(unavailable)?,
            );
        }
    }
    let now = state.now_text();
    let id = event_id.clone();
    let (outcome, payment_id) = state
        .db
        .write(move |conn| {
            if store::event_seen(conn, &id)? {
                return Ok(("duplicate".to_string(), None));
            }
            let (outcome, payment_id, refund_id) = apply(conn, &parsed, settled.as_ref(), &now)?;
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
            Ok((outcome.to_string(), payment_id))
        })
        .await?;
    if let (Some(payment_id), true) = (&payment_id, outcome == Applied::OrderNotPayable.as_str()) {
        crate::payments::stray::send(state, payment_id).await;
    }
    if let (Some(payment_id), "reversed") = (&payment_id, outcome.as_str()) {
        crate::audit::errors::record_job_failure(
            state,
            "paypal",
            &format!(
                "payment {payment_id} was reversed at PayPal (chargeback): its courses were revoked"
            ),
        );
    }
    crate::mail::wake(state);
    Ok(WebhookAck { event_id, outcome })
}

type Effect = (&'static str, Option<String>, Option<String>);

fn payment_of_capture(conn: &Connection, capture_id: &str) -> Result<Option<Payment>, AppError> {
    match paypal_store::payment_id_by_capture(conn, capture_id)? {
        Some(id) => Ok(store::payment(conn, &id)?),
        None => Ok(None),
    }
}

fn apply(
    conn: &Connection,
    event: &PaypalEvent,
    settled: Option<&Settled>,
    now: &str,
) -> Result<Effect, AppError> {
    match event {
        PaypalEvent::OrderApproved { order_id } => {
            let Some(payment) = store::payment_by_transaction(conn, order_id)? else {
                return Ok(("ignored", None, None));
            };
            let Some(settled) = settled else {
                return Ok((Applied::NoChange.as_str(), Some(payment.id), None));
            };
            if let Some(capture_id) = &settled.capture_id {
                paypal_store::set_capture(
                    conn,
                    &payment.id,
                    capture_id,
                    settled.capture_status.as_deref(),
                    now,
                )?;
            }
            let applied = apply_intent(conn, &payment, &settled.state, &Actor::default(), now)?;
            Ok((applied.as_str(), Some(payment.id), None))
        }
        PaypalEvent::Capture {
            order_id,
            capture_id,
            status,
            state,
        } => {
            let payment = match order_id {
                Some(order_id) => store::payment_by_transaction(conn, order_id)?,
                None => payment_of_capture(conn, capture_id)?,
            };
            // Every webhook of the PayPal app reaches us: a capture not ours is ignored.
            let Some(payment) = payment.filter(|p| p.gateway == GatewayKind::Paypal) else {
                return Ok(("ignored", None, None));
            };
            paypal_store::set_capture(conn, &payment.id, capture_id, Some(status), now)?;
            let applied = apply_intent(conn, &payment, state, &Actor::default(), now)?;
            Ok((applied.as_str(), Some(payment.id), None))
        }
        PaypalEvent::Refunded {
            capture_id,
            refund_id,
            our_refund_id,
            total_refunded_cents,
            amount_cents,
            status,
        } => {
            let Some(payment) = payment_of_capture(conn, capture_id)? else {
                return Ok(("ignored", None, None));
            };
            let ours = match our_refund_id {
                Some(id) => store::refund(conn, id)?.filter(|r| r.payment_id == payment.id),
                None => None,
            };
            let ours = match ours {
                Some(r) => Some(r),
                None => store::refund_by_gateway_id(conn, refund_id)?,
            };
            if let Some(mut refund) = ours {
                let outcome = match status.as_str() {
                    "COMPLETED" => RefundOutcome::Succeeded {
                        gateway_refund_id: Some(refund_id.clone()),
                    },
                    "FAILED" | "CANCELLED" => RefundOutcome::Failed {
                        gateway_refund_id: Some(refund_id.clone()),
                        message: "the refund failed at PayPal".into(),
                    },
                    _ => RefundOutcome::Pending {
                        gateway_refund_id: refund_id.clone(),
                    },
                };
                let changed = refund.status != RefundStatus::Processed
                    && apply_outcome(
                        conn,
                        &mut refund,
                        &outcome,
                        &By::default(),
                        Ending::Refund,
                        now,
                    )?;
                let label = if changed {
                    "refund_updated"
                } else {
                    "no_change"
                };
                return Ok((label, Some(payment.id), Some(refund.id)));
            }
            if status != "COMPLETED" {
                return Ok(("no_change", Some(payment.id), None));
            }
            let total = total_refunded_cents.unwrap_or(payment.refunded_cents + amount_cents);
            let label = money_back::refunded_at_paypal(conn, &payment, total, now)?;
            Ok((label, Some(payment.id), None))
        }
        PaypalEvent::Reversed {
            capture_id,
            amount_cents,
        } => {
            let Some(payment) = payment_of_capture(conn, capture_id)? else {
                return Ok(("ignored", None, None));
            };
            let label = money_back::reversed(conn, &payment, *amount_cents, now)?;
            Ok((label, Some(payment.id), None))
        }
        PaypalEvent::Other => Ok(("ignored", None, None)),
    }
}

/// Whether PayPal's app should be subscribed to `event_type` (docs and doctor list these).
pub fn handled(event_type: &str) -> bool {
    HANDLED.contains(&event_type)
}
