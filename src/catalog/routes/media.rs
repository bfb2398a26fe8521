//! `POST /api/media` (uploads) and `GET /media/:id` (serving with Range and signed URLs);
//! the rules are in `catalog::service::media`.

use axum::body::Bytes;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::catalog::service::media::{self, Chunks, UPLOADERS};
pub use crate::catalog::service::media::{MediaView, media_path};
use crate::http::signing::Signature;
use crate::http::{AppError, Json, Problem, Query};
use crate::state::AppState;

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

/// The `file` field of the upload, read a chunk at a time.
struct FieldChunks<'a>(Field<'a>);

impl Chunks for FieldChunks<'_> {
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, AppError> {
        self.0.chunk().await.map_err(multipart_error)
    }
}

fn multipart_error(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(crate::msg!(
            "problem-upload-unreadable",
            cause = e.body_text()
        ))
    }
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
    // Refused before the body is read.
    user.require(UPLOADERS)?;
    let mut multipart = multipart.map_err(|_| {
        AppError::UnsupportedMediaType("send multipart/form-data with a `file` field".into())
    })?;
    loop {
        let Some(field) = multipart.next_field().await.map_err(multipart_error)? else {
            return Err(AppError::field("file", "is required"));
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().map(str::to_string);
        let view = media::upload(&state, &user, name.as_deref(), FieldChunks(field)).await?;
        return Ok((StatusCode::CREATED, Json(view)));
    }
}

/// Serve a file, with HTTP Range support (206, 416). Product images and course covers are
/// public; anything else needs a valid signed URL (`expires` and `sig`). With the bucket
/// store in `redirect` delivery the answer is a 307 to a presigned URL of the bucket (or its
/// CDN), valid as long as the signed link.
#[utoipa::path(get, path = "/media/{id}", tag = "media",
    params(("id" = String, Path), Signature),
    responses(
        (status = 200, description = "the file"),
        (status = 206, description = "part of the file"),
        (status = 307, description = "the file is in the bucket: fetch it from the presigned URL in `Location`"),
        (status = 403, description = "missing, invalid or expired signature", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = "range not satisfiable", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn serve_media(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(signature): Query<Signature>,
    request: Request,
) -> Result<Response, AppError> {
    let serving = media::serving(&state, id, signature).await?;
    super::media_delivery::deliver(&state, serving, request).await
}
