//! How `GET /media/:id` hands over a file the caller may see: from local disk (with
//! `ServeFile`'s Range support), or from the bucket by a redirect to a presigned URL or by
//! streaming the asked range through the server (`media.s3.delivery`).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::catalog::captions::VTT_MIME;
use crate::catalog::service::media::Serving;
use crate::config::media::Delivery;
use crate::http::{AppError, Problem};
use crate::state::AppState;
use crate::storage::range::{self, Wanted};
use crate::storage::{S3Store, Storage};

pub async fn deliver(
    state: &AppState,
    serving: Serving,
    request: Request,
) -> Result<Response, AppError> {
    match &*state.media_store {
        Storage::Local(local) => from_disk(local.path(&serving.sha256), serving, request).await,
        Storage::S3(s3) => match s3.delivery {
            // A `<track>` does not follow a redirect to another origin (it is fetched
            // same-origin unless the video asks for CORS), so captions, small, pass through.
            Delivery::Redirect if serving.mime != VTT_MIME => redirect(state, s3, &serving).await,
            Delivery::Redirect | Delivery::Proxy => proxy(s3, serving, request.headers()).await,
        },
    }
}

fn set_headers(headers: &mut HeaderMap, serving: &Serving) {
    if let Ok(mime) = HeaderValue::from_str(&serving.mime) {
        headers.insert(header::CONTENT_TYPE, mime);
    }
    if let Ok(cache) = HeaderValue::from_str(&serving.cache_control) {
        headers.insert(header::CACHE_CONTROL, cache);
    }
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
}

async fn from_disk(
    path: std::path::PathBuf,
    serving: Serving,
    request: Request,
) -> Result<Response, AppError> {
    let response = ServeFile::new(path)
        .oneshot(request)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut response = response.map(Body::new);
    if response.status().is_success() {
        set_headers(response.headers_mut(), &serving);
    }
    Ok(response.into_response())
}

/// A 307 to a presigned URL that ends when the caller's link does (public files: after
/// `media.signed_url_minutes`). The browser repeats its `Range` header there.
async fn redirect(state: &AppState, s3: &S3Store, serving: &Serving) -> Result<Response, AppError> {
    let now = state.now().unix_timestamp();
    let (seconds, cache) = match serving.link_expires {
        Some(expires) => ((expires - now).max(1), "private, no-store".to_string()),
        None => {
            let seconds = state.config.media.signed_url_minutes.max(1) * 60;
            // Reused while the presigned URL it names is still good for as long again.
            (seconds, format!("public, max-age={}", seconds / 2))
        }
    };
    let url = s3
        .presigned_get(&serving.sha256, u64::try_from(seconds).unwrap_or(1))
        .await
        .map_err(AppError::Internal)?;
    let location = HeaderValue::from_str(&url).map_err(|e| AppError::Internal(e.into()))?;
    let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, location);
    if let Ok(cache) = HeaderValue::from_str(&cache) {
        headers.insert(header::CACHE_CONTROL, cache);
    }
    Ok(response)
}

/// The whole object (200) or the one range asked for (206), streamed from the bucket.
async fn proxy(s3: &S3Store, serving: Serving, headers: &HeaderMap) -> Result<Response, AppError> {
    let asked = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let size = serving.size;
    let (status, range) = match range::wanted(asked, size) {
        Wanted::Whole => (StatusCode::OK, None),
        Wanted::Part { start, end } => (StatusCode::PARTIAL_CONTENT, Some(start..end + 1)),
        Wanted::Unsatisfiable => {
            let mut response = Problem::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                crate::msg!("problem-file-bytes", size = size),
            )
            .into_error()
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{size}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            return Ok(response);
        }
    };
    let got = s3
        .get(&serving.sha256, range.clone())
        .await
        .map_err(|e| match e.downcast_ref::<object_store::Error>() {
            Some(object_store::Error::NotFound { .. }) => AppError::NotFound("media file"),
            _ => AppError::Internal(e),
        })?;
    let length = range.as_ref().map_or(size, |r| r.end - r.start);
    let mut response = Response::new(Body::from_stream(got.into_stream()));
    *response.status_mut() = status;
    let out = response.headers_mut();
    set_headers(out, &serving);
    out.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if let Some(r) = range {
        let text = format!("bytes {}-{}/{size}", r.start, r.end - 1);
        if let Ok(value) = HeaderValue::from_str(&text) {
            out.insert(header::CONTENT_RANGE, value);
        }
    }
    Ok(response)
}
