//! Background work started with the server: re-checking stale pending Stripe and PayPal
//! payments, and ending manual and comp memberships whose time has run out.

use std::time::Duration;

use crate::state::AppState;

/// How often stale pending payments are looked for.
const RECONCILE_INTERVAL: Duration = Duration::from_secs(60);

/// Starts the reconciliation loop; abort the handle to stop it.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(RECONCILE_INTERVAL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(e) = super::paypal::reconcile::run(&state, state.now()).await {
                tracing::warn!(error = %e, "could not reconcile pending PayPal payments");
            }
            super::card_country::sweep(&state).await;
            match super::memberships::lapse::run(&state, state.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(moved = n, "manual or comp memberships lapsed"),
                Err(e) => {
                    tracing::warn!(error = %e, "could not lapse manual or comp memberships");
                    crate::audit::errors::record_job_failure(&state, "memberships", &e.to_string());
                }
            }
            match super::service::reconcile(&state, state.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(changed = n, "reconciled pending payments with Stripe"),
                Err(e) => {
                    tracing::warn!(error = %e, "could not reconcile pending payments");
                    crate::audit::errors::record_job_failure(
                        &state,
                        "reconciliation",
                        &e.to_string(),
                    );
                }
            }
        }
    })
}
