//! Payment flows: starting an attempt, applying what the gateway says about it (one code
//! path for webhooks, the buyer's status check and reconciliation), staff confirmation of
//! manual payments.

use axum::http::StatusCode;
use rusqlite::Connection;

use super::config::GatewayKind;
use super::gateway::{IntentState, StartPayment, gateway_for};
use super::lifecycle::payment_transition;
use super::model::{Payment, PaymentStatus, PaymentView};
use super::store;
use crate::auth::AuthUser;
use crate::commerce::lifecycle::OrderStatus;
use crate::commerce::service::{Actor, mark_order_paid};
use crate::http::error::is_unique_violation;
use crate::http::{AppError, Problem};
use crate::state::AppState;

pub use super::reconcile::{reconcile, refresh};

/// What applying a gateway's view of an attempt did; also the ledger's `outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The payment completed and the order was paid.
    Completed,
    /// The payment failed; the order stays pending for a retry.
    Failed,
    /// Already in that state or further on (events out of order never move backwards).
    NoChange,
    /// The gateway's amount or currency is not the order's: nothing changed.
    AmountMismatch,
    /// Money arrived for an order that can no longer be paid (cancelled meanwhile).
    OrderNotPayable,
}

impl Applied {
    pub fn as_str(self) -> &'static str {
        match self {
            Applied::Completed => "completed",
            Applied::Failed => "failed",
            Applied::NoChange => "no_change",
            Applied::AmountMismatch => "amount_mismatch",
            Applied::OrderNotPayable => "order_not_payable",
        }
    }
}

/// Applies the gateway's state of `payment`'s attempt, monotonically: money received moves a
/// pending or failed payment to completed and pays the order (enrolments granted); a failure
/// only touches a payment still pending. The one way an order with money due becomes paid.
pub fn apply_intent(
    conn: &Connection,
    payment: &Payment,
    intent: &IntentState,
    actor: &Actor<'_>,
    now: &str,
) -> Result<Applied, AppError> {
    match intent {
        IntentState::Succeeded {
            amount_cents,
            currency,
        } => {
            if payment_transition(payment.status, PaymentStatus::Completed).is_err() {
                return Ok(Applied::NoChange);
            }
            let order =
                store::order(conn, &payment.order_id)?.ok_or(AppError::NotFound("order"))?;
            if *amount_cents != order.total_cents
                || *amount_cents != payment.amount_cents
                || !currency.eq_ignore_ascii_case(&order.currency)
            {
                tracing::warn!(payment = %payment.id, amount_cents, currency, "gateway amount differs from the order");
                return Ok(Applied::AmountMismatch);
            }
            store::set_payment_status(conn, &payment.id, PaymentStatus::Completed, None, now)?;
            audit(conn, actor, "payment.completed", payment, now)?;
            if order.status != OrderStatus::Pending {
                tracing::warn!(payment = %payment.id, order = %order.id, status = %order.status,
                    "payment received for an order that is no longer pending; refunding it");
                super::stray::queue_refund(conn, payment, &order, now)?;
                return Ok(Applied::OrderNotPayable);
            }
            // Paid, sales counted and courses granted in this same write.
            mark_order_paid(
                conn,
                &order.id,
                actor,
                &crate::commerce::history_note::SystemNote::PaymentReceived.stored(),
                now,
            )?;
            Ok(Applied::Completed)
        }
        IntentState::Failed { message } => fail(conn, payment, message, actor, now),
        IntentState::Canceled => fail(conn, payment, "the payment was cancelled", actor, now),
        IntentState::Open => Ok(Applied::NoChange),
    }
}

fn fail(
    conn: &Connection,
    payment: &Payment,
    message: &str,
    actor: &Actor<'_>,
    now: &str,
) -> Result<Applied, AppError> {
    if payment.status != PaymentStatus::Pending {
        return Ok(Applied::NoChange);
    }
    store::set_payment_status(conn, &payment.id, PaymentStatus::Failed, Some(message), now)?;
    audit(conn, actor, "payment.failed", payment, now)?;
    Ok(Applied::Failed)
}

pub(super) fn audit(
    conn: &Connection,
    actor: &Actor<'_>,
    action: &str,
    payment: &Payment,
    now: &str,
) -> Result<(), AppError> {
    crate::audit::store::record(
        conn,
        now,
        &crate::audit::Entry {
            actor_id: actor.user_id,
            action,
            target_type: Some("payment"),
            target_id: Some(&payment.id),
            ip: actor.ip,
            detail: Some(serde_json::json!({
                "order_id": payment.order_id,
                "gateway": payment.gateway.as_str(),
                "amount_cents": payment.amount_cents,
                "currency": payment.currency,
            })),
        },
    )?;
    Ok(())
}

enum Prepared {
    Existing(Payment),
    New(Payment, String),
}

pub(super) fn conflict(detail: crate::http::Message, order_status: OrderStatus) -> AppError {
    Problem::new(StatusCode::CONFLICT, detail)
        .with("order_status", order_status.as_str())
        .into_error()
}

/// `POST /api/payments`: a new attempt for the caller's pending order, or the one already
/// pending (`created` false). The amount is the order's total, never the client's.
pub async fn start_payment(
    state: &AppState,
    user: &AuthUser,
    order_id: String,
    gateway: GatewayKind,
) -> Result<(PaymentView, bool), AppError> {
    if !state.config.payments.enabled(gateway) {
        return Err(AppError::field(
            "gateway",
            crate::msg!("problem-gateway-off", gateway = gateway.as_str()),
        ));
    }
    let now = state.now_text();
    let user_id = user.user_id.clone();
    let prepared = state
        .db
        .write(move |conn| prepare_payment(conn, &order_id, &user_id, gateway, &now))
        .await?;
    let (mut payment, created, number) = match prepared {
        Prepared::New(p, number) => (p, true, number),
        Prepared::Existing(p) => (p, false, String::new()),
    };
    if payment.gateway == GatewayKind::Paypal {
        let payment = super::paypal::flow::start(state, payment).await?;
        return Ok((
            PaymentView::new(&payment, &state.config.payments, true),
            created,
        ));
    }
    if payment.gateway == GatewayKind::Stripe && payment.transaction_id.is_none() {
        // The row is committed first; the idempotency key (the payment id) makes a retry
        // after a lost answer return the same PaymentIntent.
        let number = if number.is_empty() {
            let id = payment.order_id.clone();
            state
                .db
                .read(move |conn| {
                    Ok(store::order(conn, &id)?
                        .map(|o| o.number)
                        .unwrap_or_default())
                })
                .await?
        } else {
            number
        };
        let started = gateway_for(&state.config.payments, payment.gateway)
            .start(&StartPayment {
                payment_id: payment.id.clone(),
                order_id: payment.order_id.clone(),
                order_number: number,
                amount_cents: payment.amount_cents,
                currency: payment.currency.clone(),
            })
            .await?;
        let (id, now) = (payment.id.clone(), state.now_text());
        payment = state
            .db
            .write(move |conn| {
                store::set_payment_started(
                    conn,
                    &id,
                    started.transaction_id.as_deref(),
                    started.client_secret.as_deref(),
                    &now,
                )?;
                store::payment(conn, &id)?.ok_or(AppError::NotFound("payment"))
            })
            .await?;
    }
    Ok((
        PaymentView::new(&payment, &state.config.payments, true),
        created,
    ))
}

/// The attempt `start_payment` goes on with, in its write transaction: the caller's pending
/// order's payment already pending (same gateway only), or a new one for the order's total.
fn prepare_payment(
    conn: &Connection,
    order_id: &str,
    user_id: &str,
    gateway: GatewayKind,
    now: &str,
) -> Result<Prepared, AppError> {
    let order = store::order(conn, order_id)?
        .filter(|o| o.user_id == user_id)
        .ok_or(AppError::NotFound("order"))?;
    if order.status != OrderStatus::Pending {
        return Err(conflict(
            crate::msg!(
                "problem-order-not-awaiting",
                number = order.number.as_str(),
                status = crate::status::word(order.status)
            ),
            order.status,
        ));
    }
    if let Some(existing) = store::pending_payment_for_order(conn, &order.id)? {
        if existing.gateway != gateway {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                crate::msg!(
                    "problem-payment-pending",
                    number = order.number.as_str(),
                    gateway = existing.gateway.as_str()
                ),
            )
            .with("payment_id", &existing.id)
            .into_error());
        }
        return Ok(Prepared::Existing(existing));
    }
    let payment = Payment {
        id: uuid::Uuid::now_v7().to_string(),
        order_id: order.id.clone(),
        user_id: order.user_id.clone(),
        gateway,
        status: PaymentStatus::Pending,
        amount_cents: order.total_cents,
        currency: order.currency.clone(),
        refunded_cents: 0,
        transaction_id: None,
        client_secret: None,
        failure_message: None,
        created_at: now.to_string(),
        updated_at: now.to_string(),
        completed_at: None,
    };
    match store::insert_payment(conn, &payment) {
        Err(e) if is_unique_violation(&e, "payments.order_id") => {
            return Err(AppError::conflict(
                "a payment for this order is being created; retry",
            ));
        }
        other => other?,
    }
    Ok(Prepared::New(payment, order.number))
}

/// `GET /api/payments/:id`: the owner's or (for admins) any payment; a pending Stripe payment
/// is first re-checked at Stripe (at most once per `payments.recheck_interval_seconds`, see
/// `recheck`) and the answer applied like a webhook.
pub async fn get_payment(
    state: &AppState,
    user: &AuthUser,
    id: String,
) -> Result<PaymentView, AppError> {
    let (uid, admin) = (user.user_id.clone(), user.is_admin());
    let lookup = id.clone();
    let payment = state
        .db
        .read(move |conn| {
            store::payment(conn, &lookup)?
                .filter(|p| admin || p.user_id == uid)
                .ok_or(AppError::NotFound("payment"))
        })
        .await?;
    let due = payment.status == PaymentStatus::Pending
        && payment.transaction_id.is_some()
        && super::recheck::claim(state, &payment.id).await?;
    let payment = if due {
        refresh(state, payment).await
    } else {
        payment
    };
    let for_buyer = payment.user_id == user.user_id;
    Ok(PaymentView::new(
        &payment,
        &state.config.payments,
        for_buyer,
    ))
}

/// The cancelled order's payment still awaited becomes failed, so staff cannot confirm it
/// any more; a card payment that still succeeds at the gateway is refunded as a stray one.
pub fn abandon_pending(conn: &Connection, order_id: &str, now: &str) -> Result<(), AppError> {
    if let Some(payment) = store::pending_payment_for_order(conn, order_id)? {
        store::set_payment_status(
            conn,
            &payment.id,
            PaymentStatus::Failed,
            Some("the order was cancelled"),
            now,
        )?;
    }
    Ok(())
}
