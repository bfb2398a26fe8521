//! Per-client-IP rate limit for `/api/auth/*` and `/api/setup` (tower_governor), keyed by the
//! same client address as [`super::extract::ClientIp`]; over the limit is a 429 problem with
//! `Retry-After`.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use axum::response::IntoResponse;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use utoipa_axum::router::OpenApiRouter;

use super::client_ip::{self, Cidr};
use crate::app::AppState;
use crate::http::AppError;

/// Keys requests by client IP (socket peer, or via trusted proxies `X-Forwarded-For`).
#[derive(Debug, Clone)]
pub struct ClientIpKey {
    trusted: Arc<Vec<Cidr>>,
}

impl KeyExtractor for ClientIpKey {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<IpAddr, GovernorError> {
        // Without a socket address (never the case under `serve`) all such requests share
        // one bucket rather than escaping the limit.
        Ok(
            client_ip::from_request(req.extensions(), req.headers(), &self.trusted)
                .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        )
    }
}

fn too_many(error: GovernorError) -> axum::response::Response {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => AppError::TooManyRequests {
            detail: "too many requests from this address to the sign-in endpoints; slow down"
                .into(),
            retry_after_secs: wait_time.saturating_add(1),
        }
        .into_response(),
        other => AppError::Internal(anyhow::anyhow!("rate limiter: {other}")).into_response(),
    }
}

/// Adds the per-IP limit (when `rate_limit.enabled`) to every route of `router`.
pub fn limit_per_ip(router: OpenApiRouter<AppState>, state: &AppState) -> OpenApiRouter<AppState> {
    let limits = &state.config.rate_limit;
    if !limits.enabled {
        return router;
    }
    let trusted = client_ip::parse_all(&state.config.server.trusted_proxies).unwrap_or_default();
    let per_minute = limits.auth_per_minute.max(1);
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientIpKey {
            trusted: Arc::new(trusted),
        })
        .period(Duration::from_secs(60) / per_minute)
        .burst_size(per_minute)
        .finish();
    let Some(config) = config else {
        return router;
    };
    // Forget idle clients every minute, so the table does not grow with every address.
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        let weak = Arc::downgrade(config.limiter());
        runtime.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(limiter) = weak.upgrade() else { break };
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        });
    }
    router.route_layer(GovernorLayer::<_, _, Body>::new(config).error_handler(too_many))
}
