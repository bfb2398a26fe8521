//! Staff recording money paid at the office or by bank transfer: confirming a manual payment
//! the buyer chose online, or recording one for an order the buyer paid without choosing it.

use axum::http::StatusCode;
use rusqlite::Connection;

use super::config::GatewayKind;
use super::gateway::IntentState;
use super::model::{Payment, PaymentStatus, PaymentView};
use super::service::{Applied, apply_intent, audit, conflict};
use super::store;
use crate::auth::AuthUser;
use crate::commerce::lifecycle::OrderStatus;
use crate::commerce::service::Actor;
use crate::http::{AppError, Problem};
use crate::state::AppState;

/// Confirms a pending manual payment in the caller's transaction: the payment completes and
/// the order is paid with everything that brings (`apply_intent`). Refuses (409) anything
/// but a pending manual payment of a pending order, so nothing changes on a second call.
pub fn confirm_manual_in(
    conn: &Connection,
    payment: &Payment,
    actor: &Actor<'_>,
    now: &str,
) -> Result<(), AppError> {
    if payment.gateway != GatewayKind::Manual {
        return Err(AppError::conflict(
            "only manual payments are confirmed by staff; Stripe confirms its own",
        ));
    }
    if payment.status != PaymentStatus::Pending {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            crate::msg!(
                "problem-payment-not-awaiting",
                status = crate::status::word(payment.status)
            ),
        )
        .with("payment_status", payment.status.as_str())
        .into_error());
    }
    let order = store::order(conn, &payment.order_id)?.ok_or(AppError::NotFound("order"))?;
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
    let intent = IntentState::Succeeded {
        amount_cents: payment.amount_cents,
        currency: payment.currency.clone(),
    };
    match apply_intent(conn, payment, &intent, actor, now)? {
        Applied::Completed => audit(conn, actor, "payment.confirmed", payment, now),
        Applied::AmountMismatch => Err(AppError::conflict(
            "the order's total changed since this payment was opened",
        )),
        other => Err(AppError::conflict(crate::msg!(
            "problem-payment-not-confirmed",
            cause = other.as_str()
        ))),
    }
}

/// Records a manual payment of the whole pending order and confirms it at once, in the
/// caller's transaction; returns its id (the demo's buyers "pay at the office" this way).
pub fn record_manual_payment(
    conn: &Connection,
    order_id: &str,
    actor: &Actor<'_>,
    now: &str,
) -> Result<String, AppError> {
    let order = store::order(conn, order_id)?.ok_or(AppError::NotFound("order"))?;
    let payment = Payment {
        id: uuid::Uuid::now_v7().to_string(),
        order_id: order.id.clone(),
        user_id: order.user_id.clone(),
        gateway: GatewayKind::Manual,
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
    store::insert_payment(conn, &payment)?;
    confirm_manual_in(conn, &payment, actor, now)?;
    Ok(payment.id)
}

/// `POST /api/admin/payments/:id/confirm`: staff record that a manual payment was received.
pub async fn confirm_manual(
    state: &AppState,
    admin: &AuthUser,
    ip: Option<String>,
    id: String,
) -> Result<PaymentView, AppError> {
    let now = state.now_text();
    let admin_id = admin.user_id.clone();
    let payment = state
        .db
        .write(move |conn| {
            let payment = store::payment(conn, &id)?.ok_or(AppError::NotFound("payment"))?;
            let actor = Actor {
                user_id: Some(&admin_id),
                ip: ip.as_deref(),
            };
            confirm_manual_in(conn, &payment, &actor, &now)?;
            store::payment(conn, &id)?.ok_or(AppError::NotFound("payment"))
        })
        .await?;
    crate::mail::wake(state);
    Ok(PaymentView::new(&payment, &state.config.payments, false))
}

/// `POST /api/admin/orders/:id/record-payment`: the buyer paid at the office or by bank
/// transfer without choosing that online. The order's pending manual payment is confirmed,
/// or one of the whole order is recorded and confirmed, in one write; a card payment still
/// pending is given up first (should the card be charged after all, that money is refunded
/// as for any order that no longer takes it).
pub async fn record_for_order(
    state: &AppState,
    admin: &AuthUser,
    ip: Option<String>,
    order_id: String,
) -> Result<PaymentView, AppError> {
    if !state.config.payments.enabled(GatewayKind::Manual) {
        return Err(AppError::conflict(
            "payments at the office or by bank transfer are turned off (payments.gateways)",
        ));
    }
    let now = state.now_text();
    let admin_id = admin.user_id.clone();
    let payment = state
        .db
        .write(move |conn| {
            let actor = Actor {
                user_id: Some(&admin_id),
                ip: ip.as_deref(),
            };
            let id = match store::pending_payment_for_order(conn, &order_id)? {
                Some(manual) if manual.gateway == GatewayKind::Manual => {
                    confirm_manual_in(conn, &manual, &actor, &now)?;
                    manual.id
                }
                pending_card => {
                    if let Some(card) = pending_card {
                        store::set_payment_status(
                            conn,
                            &card.id,
                            PaymentStatus::Failed,
                            Some("paid at the office instead, as recorded by staff"),
                            &now,
                        )?;
                    }
                    record_manual_payment(conn, &order_id, &actor, &now)?
                }
            };
            store::payment(conn, &id)?.ok_or(AppError::NotFound("payment"))
        })
        .await?;
    crate::mail::wake(state);
    Ok(PaymentView::new(&payment, &state.config.payments, false))
}
