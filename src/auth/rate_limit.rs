//! Per-client-IP request budgets for `/api/auth/*` and `/api/setup` (tower_governor), keyed
//! by the same client address as [`super::extract::ClientIp`]; over a budget is a 429 problem
//! with `Retry-After`.

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
use crate::http::AppError;
use crate::state::AppState;

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

/// A number of requests per period for one client IP; bursts may use all of it at once.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub requests: u32,
    pub period: Duration,
    /// What the 429 answer says is limited.
    pub what: &'static str,
}

impl Budget {
    /// The flood ceiling over every sign-in endpoint.
    pub fn ceiling(state: &AppState) -> Budget {
        Budget {
            requests: state.config.rate_limit.auth_per_minute,
            period: Duration::from_secs(60),
            what: "too many requests from this address to the sign-in endpoints; slow down",
        }
    }

    pub fn registrations(state: &AppState) -> Budget {
        Budget {
            requests: state.config.rate_limit.registrations_per_hour,
            period: Duration::from_secs(3600),
            what: "too many accounts registered from this address this hour; try again later",
        }
    }

    /// Reset requests, reset confirmations and login links together.
    pub fn recovery(state: &AppState) -> Budget {
        Budget {
            requests: state.config.rate_limit.recovery_per_hour,
            period: Duration::from_secs(3600),
            what: "too many password-reset or login-link requests from this address this hour; \
                   try again later",
        }
    }
}

fn too_many(error: GovernorError, what: &'static str) -> axum::response::Response {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => AppError::TooManyRequests {
            detail: what.into(),
            retry_after_secs: wait_time.saturating_add(1),
        }
        .into_response(),
        other => AppError::Internal(anyhow::anyhow!("rate limiter: {other}")).into_response(),
    }
}

/// Adds `budget` per client IP (when `rate_limit.enabled`) to every route of `router`; each
/// call keeps its own counts.
pub fn limit_per_ip(
    router: OpenApiRouter<AppState>,
    state: &AppState,
    budget: Budget,
) -> OpenApiRouter<AppState> {
    let limits = &state.config.rate_limit;
    if !limits.enabled {
        return router;
    }
    let trusted = client_ip::parse_all(&state.config.server.trusted_proxies).unwrap_or_default();
    let requests = budget.requests.max(1);
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientIpKey {
            trusted: Arc::new(trusted),
        })
        .period(budget.period / requests)
        .burst_size(requests)
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
    let what = budget.what;
    router.route_layer(
        GovernorLayer::<_, _, Body>::new(config).error_handler(move |e| too_many(e, what)),
    )
}
