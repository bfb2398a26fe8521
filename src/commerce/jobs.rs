//! Background work started with the server: cancelling unpaid orders whose hold lapsed,
//! reminding staff of manual-payment holds about to lapse, re-checking VAT numbers VIES
//! could not answer at checkout, and archiving invoice PDFs.

use std::time::Duration;

use crate::state::AppState;

/// How often expired reservations are looked for.
const EXPIRY_INTERVAL: Duration = Duration::from_secs(60);

/// How often invoices and credit notes issued since are archived as PDF (a download archives
/// its document at once anyway).
const ARCHIVE_INTERVAL: Duration = Duration::from_secs(10);

async fn archive_invoices(state: &AppState) {
    match super::invoices::archive_pending(state).await {
        Ok(0) => {}
        Ok(n) => tracing::debug!(archived = n, "archived invoice PDFs"),
        Err(e) => {
            tracing::warn!(error = %e, "could not archive invoice PDFs");
            crate::audit::errors::record_job_failure(state, "invoice_archive", &e.to_string());
        }
    }
}

/// Starts the reservation-expiry and invoice-archive loop; abort the handle to stop it.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(EXPIRY_INTERVAL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut archiver = tokio::time::interval(ARCHIVE_INTERVAL);
        archiver.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticker.tick() => {}
                _ = archiver.tick() => {
                    archive_invoices(&state).await;
                    continue;
                }
            }
            match super::expiry::expire_reservations(&state, state.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(cancelled = n, "expired unpaid orders"),
                Err(e) => {
                    tracing::warn!(error = %e, "could not expire unpaid orders");
                    crate::audit::errors::record_job_failure(
                        &state,
                        "order_expiry",
                        &e.to_string(),
                    );
                }
            }
            // Due numbers only (`tax.eu_vat.recheck_interval_minutes` since the last try).
            match super::vat::recheck::run(&state, false).await {
                Ok(run) if run.checked > 0 => {
                    tracing::info!(
                        checked = run.checked,
                        valid = run.valid,
                        "re-checked VAT numbers"
                    )
                }
                Ok(_) => {}
                Err(e) => {
                    crate::audit::errors::record_job_failure(&state, "vies_recheck", &e.to_string())
                }
            }
        }
    })
}
