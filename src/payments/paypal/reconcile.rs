//! Reconciliation of PayPal payments still pending after `payments.reconcile_after_minutes`:
//! an order the buyer approved but never came back from is captured, one PayPal voided fails.

use super::flow::settle;
use super::store as paypal_store;
use crate::http::AppError;
use crate::payments::config::GatewayKind;
use crate::payments::store;
use crate::state::AppState;

/// Settles the stale pending PayPal payments at `now`; returns how many changed.
pub async fn run(state: &AppState, now: time::OffsetDateTime) -> Result<usize, AppError> {
    if !state.config.payments.enabled(GatewayKind::Paypal) {
        return Ok(0);
    }
    let minutes = state.config.payments.reconcile_after_minutes;
    let cutoff = crate::clock::rfc3339(now - time::Duration::minutes(minutes));
    let stale = state
        .db
        .read(move |conn| {
            let mut payments = Vec::new();
            for id in paypal_store::stale_pending(conn, &cutoff)? {
                payments.extend(store::payment(conn, &id)?);
            }
            Ok(payments)
        })
        .await?;
    let mut changed = 0;
    for payment in stale {
        let before = payment.status;
        let id = payment.id.clone();
        match settle(state, payment).await {
            Ok(updated) if updated.status != before => changed += 1,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(payment = %id, error = %e, "PayPal reconciliation failed");
                crate::audit::errors::record_job_failure(
                    state,
                    "reconciliation",
                    &format!("PayPal payment {id}: {e}"),
                );
            }
        }
    }
    Ok(changed)
}
