//! Helpers shared by the catalogue routes: ETags, the response cache and HTTP answers.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::auth::AuthUser;
use crate::catalog::cache::Rendered;
use crate::catalog::service::shared::Removal;
use crate::http::AppError;
use crate::state::AppState;
use crate::users::Role;

/// Serializes `value` and hashes the body into a weak ETag.
pub fn render<T: Serialize>(value: &T) -> Result<Rendered, AppError> {
    let body = serde_json::to_vec(value).map_err(|e| AppError::Internal(e.into()))?;
    let digest = Sha256::digest(&body);
    Ok(Rendered {
        etag: format!("W/\"{}\"", hex::encode(&digest[..16])),
        body: body.into(),
    })
}

/// The JSON response for `rendered`; 304 when the client already has it.
pub fn respond(request_headers: &HeaderMap, rendered: Rendered) -> Response {
    let etag = rendered.etag;
    let matches = request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().trim_start_matches("W/"))
        .any(|v| v == "*" || v == etag.trim_start_matches("W/"));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            rendered.body,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("Authorization"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A JSON response with a weak ETag (a hash of the body); 304 when the client has it.
pub fn with_etag<T: Serialize>(request_headers: &HeaderMap, value: &T) -> Response {
    match render(value) {
        Ok(rendered) => respond(request_headers, rendered),
        Err(e) => e.into_response(),
    }
}

/// Whether what `user` is shown is what everyone is shown: anonymous visitors and students
/// own nothing in the catalogue, so their responses can be shared through the cache.
pub fn sees_public_catalogue(user: &Option<AuthUser>) -> bool {
    user.as_ref().is_none_or(|u| u.role == Role::Student)
}

/// Reads and renders a catalogue response, served from the response cache under `key`
/// while the `sources` tables are unchanged. `key` is `None` when the response depends on
/// who asks; it is then neither looked up nor stored.
pub async fn cached_read<T, F>(
    state: &AppState,
    request_headers: &HeaderMap,
    key: Option<String>,
    sources: &[&str],
    read: F,
) -> Result<Response, AppError>
where
    F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
    T: Serialize + Send + 'static,
{
    // Read before the data, so a write committed meanwhile leaves the stored entry stale.
    let generation = state.db.generation(sources);
    if let Some(hit) = key
        .as_deref()
        .and_then(|k| state.catalogue_cache.get(k, generation))
    {
        return Ok(respond(request_headers, hit));
    }
    let rendered = state.db.read(move |conn| render(&read(conn)?)).await?;
    if let Some(key) = key {
        state.catalogue_cache.put(key, generation, rendered.clone());
    }
    Ok(respond(request_headers, rendered))
}

impl<V: Serialize> IntoResponse for Removal<V> {
    fn into_response(self) -> Response {
        match self {
            Removal::Deleted => StatusCode::NO_CONTENT.into_response(),
            Removal::Archived(view) => crate::http::Json(*view).into_response(),
        }
    }
}
