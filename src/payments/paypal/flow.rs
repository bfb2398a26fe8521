//! The buyer's way through PayPal: the PayPal order opened for a payment (approval link), the
//! buyer's return (capture) or cancellation, and settling a pending payment from PayPal's
//! answer, shared by the return, the `CHECKOUT.ORDER.APPROVED` webhook and reconciliation.

use super::gateway::{PaypalGateway, Settled};
use super::order::{Experience, body};
use super::store as paypal_store;
use crate::auth::AuthUser;
use crate::commerce::service::Actor;
use crate::http::AppError;
use crate::payments::config::GatewayKind;
use crate::payments::gateway::IntentState;
use crate::payments::model::{Payment, PaymentStatus, PaymentView};
use crate::payments::service::{Applied, apply_intent};
use crate::payments::store;
use crate::state::AppState;

pub fn gateway(state: &AppState) -> PaypalGateway {
    PaypalGateway::new(&state.config.payments.paypal)
}

/// Opens the PayPal order of a new payment (or answers the one already open). The payment row
/// is committed first; the request id (`order-<payment id>`) makes a retry after a lost answer
/// return the same PayPal order.
pub async fn start(state: &AppState, payment: Payment) -> Result<Payment, AppError> {
    if payment.transaction_id.is_some() || payment.status != PaymentStatus::Pending {
        return Ok(payment);
    }
    let order_id = payment.order_id.clone();
    let snapshot = state
        .db
        .read(move |conn| {
            paypal_store::snapshot(conn, &order_id)?.ok_or(AppError::NotFound("order"))
        })
        .await?;
    let base = state.config.public_url();
    let return_url = format!("{base}/paypal/return?payment={}", payment.id);
    let cancel_url = format!("{base}/paypal/cancel?payment={}", payment.id);
    let request = body(
        &snapshot,
        &payment.id,
        &Experience {
            return_url: &return_url,
            cancel_url: &cancel_url,
            brand_name: &state.config.store.name,
        },
    );
    let (paypal_order_id, approve_url) = gateway(state).create_order(&request, &payment.id).await?;
    let (id, now) = (payment.id.clone(), state.now_text());
    state
        .db
        .write(move |conn| {
            store::set_payment_started(
                conn,
                &id,
                Some(&paypal_order_id),
                Some(&approve_url),
                &now,
            )?;
            paypal_store::insert(conn, &id, &paypal_order_id, &approve_url, &now)?;
            store::payment(conn, &id)?.ok_or(AppError::NotFound("payment"))
        })
        .await
}

/// The caller's PayPal payment, for the return and cancel pages.
async fn own_payment(state: &AppState, user: &AuthUser, id: String) -> Result<Payment, AppError> {
    let uid = user.user_id.clone();
    let payment = state
        .db
        .read(move |conn| {
            store::payment(conn, &id)?
                .filter(|p| p.user_id == uid)
                .ok_or(AppError::NotFound("payment"))
        })
        .await?;
    if payment.gateway != GatewayKind::Paypal {
        return Err(AppError::conflict("this is not a PayPal payment"));
    }
    Ok(payment)
}

/// The buyer came back from PayPal: the approved order is captured and the answer applied.
pub async fn buyer_returned(
    state: &AppState,
    user: &AuthUser,
    payment_id: String,
) -> Result<PaymentView, AppError> {
    let payment = own_payment(state, user, payment_id).await?;
    let payment = settle(state, payment).await?;
    Ok(PaymentView::new(&payment, &state.config.payments, true))
}

/// The buyer cancelled at PayPal: the payment fails (the order stays open for another try or
/// another way to pay), unless PayPal says the order was approved meanwhile (another tab).
pub async fn buyer_cancelled(
    state: &AppState,
    user: &AuthUser,
    payment_id: String,
) -> Result<PaymentView, AppError> {
    let payment = own_payment(state, user, payment_id).await?;
    if payment.status != PaymentStatus::Pending {
        return Ok(PaymentView::new(&payment, &state.config.payments, true));
    }
    let payment = settle(state, payment).await?;
    let payment = if payment.status == PaymentStatus::Pending {
        apply(state, &payment, &IntentState::Canceled, None).await?
    } else {
        payment
    };
    Ok(PaymentView::new(&payment, &state.config.payments, true))
}

/// Asks PayPal about a pending payment, capturing an approved order, and applies the answer.
pub async fn settle(state: &AppState, payment: Payment) -> Result<Payment, AppError> {
    let Some(order_id) = payment.transaction_id.clone() else {
        return Ok(payment);
    };
    if payment.status != PaymentStatus::Pending {
        return Ok(payment);
    }
    let settled = gateway(state).settle(&order_id, &payment.id).await?;
    apply(state, &payment, &settled.state.clone(), Some(&settled)).await
}

/// Applies PayPal's answer about `payment` in one write (re-read inside: a webhook may have
/// applied it meanwhile) and records the capture; money for an order that can no longer take
/// it is sent back.
pub async fn apply(
    state: &AppState,
    payment: &Payment,
    intent: &IntentState,
    settled: Option<&Settled>,
) -> Result<Payment, AppError> {
    let (id, now, intent) = (payment.id.clone(), state.now_text(), intent.clone());
    let capture = settled.and_then(|s| s.capture_id.clone().map(|c| (c, s.capture_status.clone())));
    let (applied, updated) = state
        .db
        .write(move |conn| {
            let current = store::payment(conn, &id)?.ok_or(AppError::NotFound("payment"))?;
            if let Some((capture_id, status)) = &capture {
                paypal_store::set_capture(conn, &id, capture_id, status.as_deref(), &now)?;
            }
            let applied = apply_intent(conn, &current, &intent, &Actor::default(), &now)?;
            Ok((
                applied,
                store::payment(conn, &id)?.ok_or(AppError::NotFound("payment"))?,
            ))
        })
        .await?;
    if applied == Applied::OrderNotPayable {
        crate::payments::stray::send(state, &payment.id).await;
    }
    crate::mail::wake(state);
    if applied == Applied::OrderNotPayable {
        let id = payment.id.clone();
        return state
            .db
            .read(move |conn| store::payment(conn, &id)?.ok_or(AppError::NotFound("payment")))
            .await;
    }
    Ok(updated)
}
