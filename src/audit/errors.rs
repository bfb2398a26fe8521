//! The error log: 5xx responses (from the HTTP middleware) and failed background jobs,
//! written in the background so nobody waits for it.

use super::store::{self, ErrorRecord};
use crate::state::AppState;

/// Records a failed request; returns at once, the write happens on its own task.
pub fn record_request(state: &AppState, record: ErrorRecord) {
    spawn_write(
        state,
        ErrorRecord {
            kind: "request",
            ..record
        },
    );
}

/// Records a failed background job (mail, order expiry, reconciliation, backups ...).
pub fn record_job_failure(state: &AppState, job: &str, message: &str) {
    spawn_write(
        state,
        ErrorRecord {
            kind: "job",
            job: Some(job.to_string()),
            message: message.chars().take(2000).collect(),
            ..ErrorRecord::default()
        },
    );
}

fn spawn_write(state: &AppState, record: ErrorRecord) {
    let state = state.clone();
    tokio::spawn(async move {
        let now = state.now_text();
        let result = state
            .db
            .write(move |conn| Ok(store::record_error(conn, &now, &record)?))
            .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not write to the error log");
        }
    });
}
