//! `PUT`/`DELETE /api/courses/:courseId/lessons/:lessonId/captions/:language`: a video
//! lesson's WebVTT captions, one per language (the rules are in `catalog::service::captions`).

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::auth::extract::ClientIp;
use crate::catalog::captions::CaptionView;
use crate::catalog::service::captions::{self, CaptionUpload, Saved};
use crate::catalog::service::{Author, shared::COURSE_AUTHORS};
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;

/// The longest label field read (the label itself is checked for 100 characters).
const MAX_LABEL_BYTES: usize = 1024;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    // Room for the multipart framing and the label around the file itself.
    let limit = usize::try_from(state.config.media.caption_limit())
        .unwrap_or(usize::MAX)
        .saturating_add(16 * 1024);
    OpenApiRouter::new()
        .routes(routes!(put_caption, delete_caption))
        .layer(DefaultBodyLimit::max(limit))
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

/// Reads one field whole, refusing more than `max` bytes.
async fn read_field(
    mut field: axum::extract::multipart::Field<'_>,
    max: u64,
) -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        if (bytes.len() + chunk.len()) as u64 > max {
            return Err(AppError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The `file` and `label` fields, in any order (other fields are ignored).
async fn read_upload(
    state: &AppState,
    mut multipart: Multipart,
    language: String,
) -> Result<CaptionUpload, AppError> {
    let mut upload = CaptionUpload {
        language,
        label: None,
        file_name: None,
        bytes: Vec::new(),
    };
    let mut has_file = false;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().map(str::to_string);
        match name.as_deref() {
            Some("file") => {
                upload.file_name = field.file_name().map(str::to_string);
                upload.bytes = read_field(field, state.config.media.caption_limit()).await?;
                has_file = true;
            }
            Some("label") => {
                let bytes = read_field(field, MAX_LABEL_BYTES as u64).await?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| AppError::field("label", "must be UTF-8 text"))?;
                upload.label = Some(text);
            }
            _ => {}
        }
    }
    if !has_file {
        return Err(AppError::field("file", "is required"));
    }
    Ok(upload)
}

/// Upload a video lesson's captions in one language (its instructor and admins): multipart
/// fields `file` (a WebVTT file, at most `media.max_caption_bytes`) and `label` (what the
/// player's menu shows; the language tag when absent). Replaces the lesson's caption in that
/// language. Learners get the captions with the lesson, signed like its video.
#[utoipa::path(put, path = "/api/courses/{course_id}/lessons/{lesson_id}/captions/{language}",
    tag = "course content", security(("bearer" = [])),
    params(("course_id" = String, Path), ("lesson_id" = String, Path),
        ("language" = String, Path, description = "a BCP 47 language tag: en, fr, pt-BR")),
    request_body(content_type = "multipart/form-data", description = "a `file` field (WebVTT) and an optional `label`"),
    responses(
        (status = 200, description = "replaced the caption in this language", body = CaptionView),
        (status = 201, description = "added", body = CaptionView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such course or lesson, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the lesson is not a video", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "not multipart, or the file is not WebVTT", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_caption(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path((course_id, lesson_id, language)): Path<(String, String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<CaptionView>), AppError> {
    // Refused before the body is read.
    user.require(COURSE_AUTHORS)?;
    let multipart = multipart.map_err(|_| {
        AppError::UnsupportedMediaType("send multipart/form-data with a `file` field".into())
    })?;
    let upload = read_upload(&state, multipart, language).await?;
    let author = Author::new(user, ip);
    Ok(
        match captions::save(&state, author, course_id, lesson_id, upload).await? {
            Saved::Created(view) => (StatusCode::CREATED, Json(view)),
            Saved::Replaced(view) => (StatusCode::OK, Json(view)),
        },
    )
}

/// Remove a lesson's captions in one language.
#[utoipa::path(delete, path = "/api/courses/{course_id}/lessons/{lesson_id}/captions/{language}",
    tag = "course content", security(("bearer" = [])),
    params(("course_id" = String, Path), ("lesson_id" = String, Path), ("language" = String, Path)),
    responses(
        (status = 204, description = "removed"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such course, lesson or caption", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_caption(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path((course_id, lesson_id, language)): Path<(String, String, String)>,
) -> Result<StatusCode, AppError> {
    let author = Author::new(user, ip);
    captions::remove(&state, author, course_id, lesson_id, language).await?;
    Ok(StatusCode::NO_CONTENT)
}
