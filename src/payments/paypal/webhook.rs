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
use crate::payments::model::{Payment, PaymentStatus, Refund, RefundStatus};
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
                AppError::BadRequest(crate::msg!("problem-paypal-header", header = header))
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

/// Handles one delivery: checks it, verifies it with PayPal, captures an approved order, then
/// stores and applies the event in one transaction, and does the follow-ups outside it.
pub async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    raw: String,
) -> Result<WebhookAck, AppError> {
    let (event, event_id, kind) = parse_event(state, &raw)?;
    verify_delivery(state, headers, &raw).await?;
    let parsed = classify(&event).ok_or_else(|| {
        AppError::BadRequest(crate::msg!(
            "problem-event-incomplete",
            kind = kind.as_str()
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
    let settled = settle_approved(state, &parsed).await?;
    let (outcome, payment_id) =
        store_and_apply(state, event_id.clone(), kind, parsed, settled).await?;
    follow_up(state, payment_id.as_deref(), &outcome).await;
    Ok(WebhookAck { event_id, outcome })
}

/// The event as JSON with its id and type, refused when PayPal is off or either is missing.
fn parse_event(state: &AppState, raw: &str) -> Result<(Value, String, String), AppError> {
    if !state.config.payments.enabled(GatewayKind::Paypal) {
        return Err(AppError::BadRequest(
            "PayPal is not enabled on this server".into(),
        ));
    }
    let event: Value = serde_json::from_str(raw).map_err(|e| {
        AppError::BadRequest(crate::msg!("problem-event-not-json", cause = e.to_string()))
    })?;
    let event_id = event["id"].as_str().unwrap_or_default().to_string();
    let kind = event["event_type"].as_str().unwrap_or_default().to_string();
    if event_id.is_empty() || kind.is_empty() || event_id.len() > 128 {
        return Err(AppError::BadRequest(
            "the event has no id or event_type".into(),
        ));
    }
    Ok((event, event_id, kind))
}

/// Asks PayPal whether it signed this delivery for our `webhook_id`; anything but SUCCESS is
/// refused, and PayPal being unreachable is a 503 so that it delivers again.
async fn verify_delivery(state: &AppState, headers: &HeaderMap, raw: &str) -> Result<(), AppError> {
    let verify = verify_body(headers, &state.config.payments.paypal.webhook_id, raw)?;
    let verified = gateway(state)
        .client()
        .verify_webhook(&verify)
        .await
        .map_err(unavailable)?;
    if verified != "SUCCESS" {
        return Err(AppError::BadRequest(crate::msg!(
            "problem-paypal-unverified",
            answer = verified.as_str()
        )));
    }
    Ok(())
}

/// The buyer approved but may never come back: capture a still pending payment now, outside
/// any transaction, so that the write only records what PayPal answered.
async fn settle_approved(
    state: &AppState,
    parsed: &PaypalEvent,
) -> Result<Option<Settled>, AppError> {
    let PaypalEvent::OrderApproved { order_id } = parsed else {
        return Ok(None);
    };
    let lookup = order_id.clone();
    let payment = state
        .db
        .read(move |conn| Ok(store::payment_by_transaction(conn, &lookup)?))
        .await?;
    match payment.filter(|p| p.status == PaymentStatus::Pending) {
        Some(payment) => Ok(Some(
            gateway(state)
                .settle(order_id, &payment.id)
                .await
                .map_err(unavailable)?,
        )),
        None => Ok(None),
    }
}

/// One transaction: the event is recorded by id together with its effect, and a delivery
/// seen meanwhile is a duplicate. Answers the outcome label and the payment it touched.
async fn store_and_apply(
    state: &AppState,
    id: String,
    kind: String,
    parsed: PaypalEvent,
    settled: Option<Settled>,
) -> Result<(String, Option<String>), AppError> {
    let now = state.now_text();
    state
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
        .await
}

/// After the commit: the buyer of an order that can no longer be paid is told, a chargeback
/// is logged for the admins, and the mail queue is woken.
async fn follow_up(state: &AppState, payment_id: Option<&str>, outcome: &str) {
    if let (Some(payment_id), true) = (payment_id, outcome == Applied::OrderNotPayable.as_str()) {
        crate::payments::stray::send(state, payment_id).await;
    }
    if let (Some(payment_id), "reversed") = (payment_id, outcome) {
        crate::audit::errors::record_job_failure(
            state,
            "paypal",
            &format!(
                "payment {payment_id} was reversed at PayPal (chargeback): its courses were revoked"
            ),
        );
    }
    crate::mail::wake(state);
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
        PaypalEvent::OrderApproved { order_id } => approved(conn, order_id, settled, now),
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
            if let Some(mut refund) =
                our_refund(conn, &payment, our_refund_id.as_deref(), refund_id)?
            {
                let label = follow_our_refund(conn, &mut refund, refund_id, status, now)?;
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

/// An approved order: records the capture made before the transaction (if any) and moves
/// the payment by what PayPal answered; without a capture the payment was no longer pending.
fn approved(
    conn: &Connection,
    order_id: &str,
    settled: Option<&Settled>,
    now: &str,
) -> Result<Effect, AppError> {
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

/// The refund of ours a PayPal refund answers: by the id we sent (only if it is this
/// payment's), else by PayPal's refund id; `None` when it was made at PayPal directly.
fn our_refund(
    conn: &Connection,
    payment: &Payment,
    our_refund_id: Option<&str>,
    refund_id: &str,
) -> Result<Option<Refund>, AppError> {
    let ours = match our_refund_id {
        Some(id) => store::refund(conn, id)?.filter(|r| r.payment_id == payment.id),
        None => None,
    };
    match ours {
        Some(r) => Ok(Some(r)),
        None => Ok(store::refund_by_gateway_id(conn, refund_id)?),
    }
}

/// Moves our refund by PayPal's status, unless it is already processed; answers the label.
fn follow_our_refund(
    conn: &Connection,
    refund: &mut Refund,
    refund_id: &str,
    status: &str,
    now: &str,
) -> Result<&'static str, AppError> {
    let outcome = match status {
        "COMPLETED" => RefundOutcome::Succeeded {
            gateway_refund_id: Some(refund_id.to_string()),
        },
        "FAILED" | "CANCELLED" => RefundOutcome::Failed {
            gateway_refund_id: Some(refund_id.to_string()),
            message: "the refund failed at PayPal".into(),
        },
        _ => RefundOutcome::Pending {
            gateway_refund_id: refund_id.to_string(),
        },
    };
    let changed = refund.status != RefundStatus::Processed
        && apply_outcome(conn, refund, &outcome, &By::default(), Ending::Refund, now)?;
    Ok(if changed {
        "refund_updated"
    } else {
        "no_change"
    })
}

/// Whether PayPal's app should be subscribed to `event_type` (docs and doctor list these).
pub fn handled(event_type: &str) -> bool {
    HANDLED.contains(&event_type)
}
