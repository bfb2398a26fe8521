//! Asking the gateway about payments still pending: the buyer's status check and the reconciliation job, both applying the answer through `service::apply_intent`.

use super::config::GatewayKind;
use super::gateway::{IntentState, gateway_for};
use super::model::Payment;
use super::service::{Applied, apply_intent};
use super::store;
use crate::commerce::service::Actor;
use crate::http::AppError;
use crate::state::AppState;

/// Asks the gateway about a pending payment and applies a decisive answer; on any gateway
/// trouble the stored payment is returned unchanged (the webhook or the next check will tell).
pub async fn refresh(state: &AppState, payment: Payment) -> Payment {
    match check_and_apply(state, &payment).await {
        Ok(Some(updated)) => updated,
        Ok(None) => payment,
        Err(e) => {
            tracing::warn!(payment = %payment.id, error = %e, "could not re-check a pending payment");
            payment
        }
    }
}

async fn check_and_apply(state: &AppState, payment: &Payment) -> Result<Option<Payment>, AppError> {
    let Some(transaction_id) = payment.transaction_id.clone() else {
        return Ok(None);
    };
    let gateway = gateway_for(&state.config.payments, payment.gateway);
    let Some(intent) = gateway.check(&transaction_id).await? else {
        return Ok(None);
    };
    if intent == IntentState::Open {
        return Ok(None);
    }
    let (id, now) = (payment.id.clone(), state.now_text());
    let (applied, updated) = state
        .db
        .write(move |conn| {
            // Re-read inside the transaction: a webhook may have applied it meanwhile.
            let current = store::payment(conn, &id)?.ok_or(AppError::NotFound("payment"))?;
            let applied = apply_intent(conn, &current, &intent, &Actor::default(), &now)?;
            Ok((
                applied,
                store::payment(conn, &id)?.ok_or(AppError::NotFound("payment"))?,
            ))
        })
        .await?;
    if applied == Applied::OrderNotPayable {
        super::stray::send(state, &payment.id).await;
        let id = payment.id.clone();
        let sent = state
            .db
            .read(move |conn| store::payment(conn, &id)?.ok_or(AppError::NotFound("payment")))
            .await?;
        return Ok(Some(sent));
    }
    Ok(Some(updated))
}

/// Re-checks pending Stripe payments older than `payments.reconcile_after_minutes` at `now`,
/// and sends automatic refunds recorded that long ago but never sent; returns how many
/// payments it acted on.
pub async fn reconcile(state: &AppState, now: time::OffsetDateTime) -> Result<usize, AppError> {
    if !state.config.payments.enabled(GatewayKind::Stripe) {
        return Ok(0);
    }
    let minutes = state.config.payments.reconcile_after_minutes;
    let cutoff = crate::clock::rfc3339(now - time::Duration::minutes(minutes));
    let (stale, unsent) = state
        .db
        .read(move |conn| {
            Ok((
                store::stale_pending_stripe(conn, &cutoff)?,
                store::unsent_automatic_refund_payments(conn, &cutoff)?,
            ))
        })
        .await?;
    for payment_id in &unsent {
        super::stray::send(state, payment_id).await;
    }
    let mut changed = unsent.len();
    for payment in stale {
        match check_and_apply(state, &payment).await {
            Ok(Some(updated)) if updated.status != payment.status => changed += 1,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(payment = %payment.id, error = %e, "reconciliation failed");
                crate::audit::errors::record_job_failure(
                    state,
                    "reconciliation",
                    &format!("payment {}: {e}", payment.id),
                );
            }
        }
    }
    Ok(changed)
}
