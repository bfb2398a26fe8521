//! `GET /metrics` in Prometheus text format, and the layer that measures every request.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use super::gauges;
use crate::http::AppError;
use crate::state::AppState;

const REQUESTS: &str = "http_requests_total";
const DURATION: &str = "http_request_duration_seconds";
const IN_FLIGHT: &str = "http_requests_in_flight";
const WEBHOOK_FAILURES: &str = "webhook_failures_total";
/// The Stripe webhook route: a delivery answered with an error counts as a failure.
const WEBHOOK_ROUTE: &str = "/api/payments/webhook";
const BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How often histogram samples are folded into their buckets. The recorder keeps every
/// sample until then, so without it memory grows with each request until the next scrape.
const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

/// The process-wide recorder: metrics are global, so it is installed once and shared by
/// every app in the process (tests start many), with one thread doing its upkeep.
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let built = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(DURATION.to_string()), BUCKETS)
                .and_then(|b| b.install_recorder());
            match built {
                Ok(handle) => {
                    let upkept = handle.clone();
                    let spawned = std::thread::Builder::new()
                        .name("metrics-upkeep".into())
                        .spawn(move || {
                            loop {
                                std::thread::sleep(UPKEEP_INTERVAL);
                                upkept.run_upkeep();
                            }
                        });
                    if let Err(e) = spawned {
                        tracing::warn!(error = %e, "metrics upkeep thread not started");
                    }
                    Some(handle)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .as_ref()
}

/// Adds `/metrics` (when enabled) and the measuring layer to the whole router.
pub fn mount(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    if !state.config.metrics.enabled {
        return router;
    }
    handle();
    metrics::describe_counter!(
        WEBHOOK_FAILURES,
        "Stripe webhook deliveries refused (bad signature, unreadable) or failed."
    );
    // Registered at 0 so the series exists before the first failure.
    metrics::counter!(WEBHOOK_FAILURES).increment(0);
    router
        .route("/metrics", get(render))
        .layer(axum::middleware::from_fn(track))
}

/// Decrements the in-flight gauge even if the request is cancelled.
struct InFlight;

impl Drop for InFlight {
    fn drop(&mut self) {
        metrics::gauge!(IN_FLIGHT).decrement(1.0);
    }
}

async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    // The route pattern, never the raw path: ids must not explode the label set.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = request.method().as_str().to_string();
    metrics::gauge!(IN_FLIGHT).increment(1.0);
    let _in_flight = InFlight;
    let response = next.run(request).await;
    if route == WEBHOOK_ROUTE && !response.status().is_success() {
        metrics::counter!(WEBHOOK_FAILURES).increment(1);
    }
    let status = response.status().as_u16().to_string();
    metrics::counter!(REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(DURATION, "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

fn token_matches(headers: &HeaderMap, expected: &str) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .unwrap_or("");
    // Compare digests so the time taken says nothing about the token.
    Sha256::digest(given.as_bytes()) == Sha256::digest(expected.as_bytes())
}

async fn render(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let token = &state.config.metrics.token;
    if !token.is_empty() && !token_matches(&headers, token) {
        return Err(AppError::Unauthorized(
            "send `Authorization: Bearer <metrics.token>`".into(),
        ));
    }
    let handle = handle()
        .ok_or_else(|| AppError::Unavailable("metrics are not available in this process".into()))?;
    if let Some(stats) = state.db.writer_stats() {
        metrics::counter!("db_writer_commits_total").absolute(stats.commits);
        metrics::counter!("db_writer_writes_total").absolute(stats.writes);
        metrics::gauge!("db_writer_queue_depth").set(stats.queued as f64);
        // Seconds since start, only ever rising; the crate's counters hold whole numbers.
        metrics::gauge!("db_writer_idle_seconds").set(stats.idle_seconds);
        metrics::gauge!("db_writer_commit_seconds").set(stats.commit_seconds);
    }
    metrics::gauge!("process_uptime_seconds").set(state.started.elapsed().as_secs_f64());
    let snapshot = gauges::read(&state).await?;
    handle.run_upkeep();
    let mut text = handle.render();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&gauges::render(&snapshot));
    Ok((
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}
