//! The error log: 5xx responses (from the HTTP middleware) and failed background jobs,
//! written in the background so nobody waits for it.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use super::store::{self, ErrorRecord};
use crate::http::middleware::{ErrorMessage, REQUEST_ID};
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

/// Records every 5xx response in the error log (request id, method, path, status); the
/// write runs on its own task so the response is not held up.
pub async fn record_server_errors(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().chars().take(500).collect::<String>();
    let request_id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let response = next.run(request).await;
    let status = response.status();
    if status.is_server_error() {
        let message = response
            .extensions()
            .get::<ErrorMessage>()
            .map(|m| m.0.clone())
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("server error").into());
        record_request(
            &state,
            ErrorRecord {
                request_id,
                method: Some(method),
                path: Some(path),
                status: Some(status.as_u16()),
                message,
                ..Default::default()
            },
        );
    }
    response
}
