//! Cross-cutting HTTP layers: request ids, tracing, security headers, problem bodies.

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use super::error::{PROBLEM_JSON, Problem, problem_response};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The Content-Security-Policy for the embedded UI: only our own origin, plus Stripe.js
/// where the payment step loads it.
pub fn content_security_policy(stripe_js_origin: Option<&str>) -> String {
    let sources = match stripe_js_origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {sources}; frame-src {sources}; \
         connect-src {sources}; img-src 'self' data: blob:; media-src 'self' blob:; \
         style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Wraps the whole router in the layers every response goes through.
pub fn apply<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    body_limit: usize,
    csp: &str,
) -> Router<S> {
    let csp = HeaderValue::from_str(csp).unwrap_or(HeaderValue::from_static("default-src 'self'"));
    router
        .layer(axum::middleware::from_fn(problem_bodies))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                let request_id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    request_id = %request_id,
                )
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Gives every error response a problem+json body, including those produced by axum and
/// tower layers themselves (405, 413, 404 from nested routers ...).
async fn problem_bodies(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with(PROBLEM_JSON) || content_type.starts_with("application/json") {
        return response;
    }
    let detail = match status {
        StatusCode::NOT_FOUND => "no such resource or route",
        StatusCode::METHOD_NOT_ALLOWED => "this method is not allowed on this resource",
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is larger than this endpoint accepts",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported content type",
        StatusCode::REQUEST_TIMEOUT => "the request took too long",
        s if s.is_server_error() => "an unexpected error occurred",
        _ => "the request could not be processed",
    };
    let (parts, _) = response.into_parts();
    let mut rewritten = problem_response(&Problem::new(status, detail));
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rewritten.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rewritten
}

/// The internal error behind a 5xx response, for the error log (never sent to the client).
#[derive(Debug, Clone)]
pub struct ErrorMessage(pub String);

/// HSTS when the server is reached over TLS (`server.public_url` is https), and CORS for
/// the origins listed in `server.cors_origins` (none by default: CORS off).
pub fn transport<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    server: &crate::config::ServerConfig,
) -> Router<S> {
    let mut router = router;
    if !server.cors_origins.is_empty() {
        let origins: Vec<HeaderValue> = server
            .cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
            .collect();
        router = router.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([
                    axum::http::Method::GET,
                    axum::http::Method::POST,
                    axum::http::Method::PUT,
                    axum::http::Method::PATCH,
                    axum::http::Method::DELETE,
                ])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .expose_headers([REQUEST_ID, header::CONTENT_DISPOSITION])
                .allow_credentials(true)
                .max_age(std::time::Duration::from_secs(600)),
        );
    }
    if server.public_url.starts_with("https://") {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    router
}
