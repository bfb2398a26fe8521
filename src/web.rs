//! The embedded web UI: static files from `assets/`, with client-side routes falling back to
//! the storefront's or the admin area's `index.html`.

use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::http::AppError;

#[derive(rust_embed::Embed)]
#[folder = "assets/"]
#[exclude = "fonts/*"]
struct Assets;

/// The Content-Security-Policy of the API reference page: Swagger UI sets inline styles.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'";

/// Serves UI files for GET/HEAD requests outside `/api`; everything else is a 404 problem.
pub async fn fallback(method: Method, uri: Uri, headers: axum::http::HeaderMap) -> Response {
    let path = uri.path();
    // Server paths that are never UI pages, even when the feature behind them is off.
    let reserved = path == "/api"
        || path.starts_with("/api/")
        || path == "/metrics"
        || path.starts_with("/media/");
    if reserved || !(method == Method::GET || method == Method::HEAD) {
        return AppError::NotFound("route").into_response();
    }
    let relative = path.trim_start_matches('/');
    if let Some(response) = asset(relative, &headers) {
        return response;
    }
    // A path that looks like a file (has an extension) and is missing is a real 404.
    if relative
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        return AppError::NotFound("file").into_response();
    }
    let index = if relative == "admin" || relative.starts_with("admin/") {
        "admin/index.html"
    } else {
        "index.html"
    };
    asset(index, &headers).unwrap_or_else(|| AppError::NotFound("page").into_response())
}

/// The API reference page at `/api/docs`.
pub async fn api_docs(headers: axum::http::HeaderMap) -> Response {
    match asset("api-docs/index.html", &headers) {
        Some(mut response) => {
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(DOCS_CSP),
            );
            response
        }
        None => AppError::NotFound("page").into_response(),
    }
}

fn asset(path: &str, headers: &axum::http::HeaderMap) -> Option<Response> {
    let file = Assets::get(path)?;
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
    // Vendored libraries carry their version in the path, so they never change in place.
    let cache = if path.starts_with("vendor/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Response::new(Body::from(file.data.into_owned()))
    };
    let response_headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(file.metadata.mimetype()) {
        response_headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, value);
    }
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Some(response)
}
