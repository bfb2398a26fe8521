//! `POST /api/media` (uploads) and `GET /media/:id` (serving with Range and signed URLs).
//!
//! Product images and course covers are public (served without a signature, cacheable);
//! every other file (lesson videos, digital downloads) needs a signed URL, issued only to
//! people allowed to see it.

use std::path::{Path as FsPath, PathBuf};

use axum::body::Body;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;
use tower_http::services::ServeFile;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::catalog::sniff;
use crate::catalog::store::media::{self as mstore, Media};
use crate::http::signing::{self, Purpose, Signature};
use crate::http::{AppError, Json, Problem, Query};
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    // Room for the multipart framing around the file itself.
    let limit = usize::try_from(state.config.media.max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    OpenApiRouter::new()
        .routes(routes!(upload_media))
        .layer(DefaultBodyLimit::max(limit))
        .merge(OpenApiRouter::new().routes(routes!(serve_media)))
}

/// Where a file with this hash lives: `<data_dir>/media/<first 2 hex>/<sha256>`.
pub fn media_path(data_dir: &FsPath, sha256: &str) -> PathBuf {
    data_dir
        .join("media")
        .join(sha256.get(..2).unwrap_or("00"))
        .join(sha256)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MediaView {
    pub id: String,
    pub mime: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub original_name: String,
    pub created_at: String,
    /// A signed URL for the uploader to preview the file.
    pub url: String,
}

fn multipart_error(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(format!("the upload could not be read: {}", e.body_text()))
    }
}

struct Stored {
    sha256: String,
    size: u64,
    mime: &'static str,
}

/// Streams the field into a temp file, checking size and type, then moves it into place.
async fn store_file(
    state: &AppState,
    field: &mut Field<'_>,
    tmp: &FsPath,
) -> Result<Stored, AppError> {
    let max = state.config.media.max_upload_bytes;
    let mut file = tokio::fs::File::create(tmp)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut head: Vec<u8> = Vec::with_capacity(sniff::HEAD_LEN);
    let mut mime = None;
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        size += chunk.len() as u64;
        if size > max {
            return Err(AppError::PayloadTooLarge);
        }
        if mime.is_none() {
            let take = (sniff::HEAD_LEN - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            if head.len() >= sniff::HEAD_LEN {
                mime = Some(sniff::sniff(&head).ok_or_else(unsupported)?);
            }
        }
        hasher.update(&chunk);
        file.write_all(&chunk)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    let mime = match mime {
        Some(m) => m,
        None => sniff::sniff(&head).ok_or_else(unsupported)?,
    };
    file.sync_all()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    drop(file);
    let sha256 = hex::encode(hasher.finalize());
    let target = media_path(&state.config.data_dir, &sha256);
    if let Some(dir) = target.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    tokio::fs::rename(tmp, &target)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(Stored { sha256, size, mime })
}

fn unsupported() -> AppError {
    AppError::UnsupportedMediaType(format!(
        "the file's content is not an accepted type ({})",
        sniff::ACCEPTED
    ))
}

/// Upload a file (admins, instructors, vendors): multipart field `file`. Its type is read
/// from the bytes; the size limit is `media.max_upload_bytes`.
#[utoipa::path(post, path = "/api/media", tag = "media", security(("bearer" = [])),
    request_body(content_type = "multipart/form-data", description = "a `file` field"),
    responses(
        (status = 201, body = MediaView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload_media(
    State(state): State<AppState>,
    user: AuthUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<MediaView>), AppError> {
    user.require(&[Role::Admin, Role::Instructor, Role::Vendor])?;
    let mut multipart = multipart.map_err(|_| {
        AppError::UnsupportedMediaType("send multipart/form-data with a `file` field".into())
    })?;
    let tmp_dir = state.config.data_dir.join("media").join("tmp");
    tokio::fs::create_dir_all(&tmp_dir)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    loop {
        let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? else {
            return Err(AppError::field("file", "is required"));
        };
        if field.name() != Some("file") {
            continue;
        }
        let original_name: String = field
            .file_name()
            .unwrap_or("upload")
            .chars()
            .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
            .take(255)
            .collect();
        let tmp = tmp_dir.join(uuid::Uuid::now_v7().to_string());
        let stored = store_file(&state, &mut field, &tmp).await;
        let stored = match stored {
            Ok(s) => s,
            Err(e) => {
                let _ = tokio::fs::remove_file(&tmp).await;
                return Err(e);
            }
        };
        let media = Media {
            id: uuid::Uuid::now_v7().to_string(),
            sha256: stored.sha256,
            mime: stored.mime.to_string(),
            size_bytes: i64::try_from(stored.size).unwrap_or(i64::MAX),
            original_name: if original_name.is_empty() {
                "upload".into()
            } else {
                original_name
            },
            owner_id: Some(user.user_id.clone()),
            created_at: state.now_text(),
        };
        let row = media.clone();
        state
            .db
            .write(move |conn| Ok(mstore::insert(conn, &row)?))
            .await?;
        return Ok((
            StatusCode::CREATED,
            Json(MediaView {
                url: signing::signed_media_url(&state, &media.id),
                id: media.id,
                mime: media.mime,
                size_bytes: media.size_bytes,
                sha256: media.sha256,
                original_name: media.original_name,
                created_at: media.created_at,
            }),
        ));
    }
}

/// Serve a file, with HTTP Range support (206, 416). Product images and course covers are
/// public; anything else needs a valid signed URL (`expires` and `sig`).
#[utoipa::path(get, path = "/media/{id}", tag = "media",
    params(("id" = String, Path), Signature),
    responses(
        (status = 200, description = "the file"),
        (status = 206, description = "part of the file"),
        (status = 403, description = "missing, invalid or expired signature", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = "range not satisfiable", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn serve_media(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(signature): Query<Signature>,
    request: Request,
) -> Result<Response, AppError> {
    let lookup = id.clone();
    let (media, public) = state
        .db
        .read(move |conn| {
            let media = mstore::get(conn, &lookup)?.ok_or(AppError::NotFound("media"))?;
            let public = mstore::is_public(conn, &media.id)?;
            Ok((media, public))
        })
        .await?;
    let now = state.now().unix_timestamp();
    let cache = match (signature.expires, signature.sig.as_deref()) {
        (Some(expires), Some(sig)) => {
            let key = signing::key(&state.secrets.jwt_secret, Purpose::Media);
            signing::verify(&key, &media.id, expires, sig, now).map_err(signing::refusal)?;
            format!("private, max-age={}", (expires - now).max(0))
        }
        _ if public => "public, max-age=86400".to_string(),
        _ => {
            return Err(AppError::Forbidden(
                "this file is served only through a signed URL".into(),
            ));
        }
    };
    let path = media_path(&state.config.data_dir, &media.sha256);
    let response = ServeFile::new(path)
        .oneshot(request)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut response = response.map(Body::new);
    if response.status().is_success() {
        let headers = response.headers_mut();
        if let Ok(mime) = HeaderValue::from_str(&media.mime) {
            headers.insert(header::CONTENT_TYPE, mime);
        }
        if let Ok(cache) = HeaderValue::from_str(&cache) {
            headers.insert(header::CACHE_CONTROL, cache);
        }
        headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    }
    Ok(response.into_response())
}
