//! Uploading and removing a video lesson's captions (its instructor and admins): the file
//! is checked in memory, stored like every lesson media file (`media.store`), and linked to
//! the lesson in one transaction with its audit row. Nothing is written when a check fails.

use rusqlite::Connection;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::Author;
use super::audit::{self as catalog_audit, Change};
use super::sections::managed_course;
use super::shared::COURSE_AUTHORS;
use crate::catalog::captions::{self, BadVtt, Caption, CaptionView, VTT_MIME};
use crate::catalog::model::{ContentType, Lesson};
use crate::catalog::signed_media_url;
use crate::catalog::store::media::{self as mstore, Media};
use crate::catalog::store::{captions as capstore, outline as ostore};
use crate::http::AppError;
use crate::state::AppState;
use crate::storage::MediaStore;

/// A caption file as the client sent it.
pub struct CaptionUpload {
    pub language: String,
    pub label: Option<String>,
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

/// Whether the caption was new (201) or replaced the one in its language (200).
pub enum Saved {
    Created(CaptionView),
    Replaced(CaptionView),
}

/// The course's video lesson, for someone who manages the course: 404 for an unknown
/// course or lesson (and for someone else's course), 409 for a lesson that is no video.
fn video_lesson(
    conn: &Connection,
    author: &Author,
    course_id: &str,
    lesson_id: &str,
) -> Result<Lesson, AppError> {
    let course = managed_course(conn, course_id, &author.user)?;
    let lesson =
        ostore::lesson(conn, &course.id, lesson_id)?.ok_or(AppError::NotFound("lesson"))?;
    if lesson.content_type != ContentType::Video {
        return Err(AppError::conflict("captions belong to video lessons only"));
    }
    Ok(lesson)
}

fn refused(bad: BadVtt) -> AppError {
    AppError::UnsupportedMediaType(
        match bad {
            BadVtt::NotText => "a caption file must be UTF-8 text (WebVTT)",
            BadVtt::NoSignature => "a caption file must be WebVTT: its first line is WEBVTT",
        }
        .into(),
    )
}

/// Hands the bytes to the media store under their SHA-256 (through a temp file, as every
/// upload); returns the hash.
async fn store_bytes(state: &AppState, bytes: &[u8]) -> Result<String, AppError> {
    let internal = |e: std::io::Error| AppError::Internal(e.into());
    let sha256 = hex::encode(Sha256::digest(bytes));
    let tmp_dir = state.config.data_dir.join("media").join("tmp");
    tokio::fs::create_dir_all(&tmp_dir)
        .await
        .map_err(internal)?;
    let tmp = tmp_dir.join(uuid::Uuid::now_v7().to_string());
    tokio::fs::write(&tmp, bytes).await.map_err(internal)?;
    let put = state.media_store.put_file(&sha256, &tmp, VTT_MIME).await;
    // The local store renamed it away; a bucket got a copy.
    let _ = tokio::fs::remove_file(&tmp).await;
    put.map_err(AppError::Internal)?;
    Ok(sha256)
}

/// Saves the lesson's caption in `upload.language`, replacing the one it had.
pub async fn save(
    state: &AppState,
    author: Author,
    course_id: String,
    lesson_id: String,
    upload: CaptionUpload,
) -> Result<Saved, AppError> {
    author.user.require(COURSE_AUTHORS)?;
    let language =
        captions::language_tag(&upload.language).map_err(|e| AppError::Validation(vec![e]))?;
    let label = captions::label(upload.label.as_deref(), &language)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let (a, c, l) = (author.clone(), course_id.clone(), lesson_id.clone());
    state
        .db
        .read(move |conn| video_lesson(conn, &a, &c, &l).map(|_| ()))
        .await?;
    if upload.bytes.len() as u64 > state.config.media.caption_limit() {
        return Err(AppError::PayloadTooLarge);
    }
    captions::check_vtt(&upload.bytes).map_err(refused)?;
    let sha256 = store_bytes(state, &upload.bytes).await?;
    let now = state.now_text();
    let media = Media {
        id: uuid::Uuid::now_v7().to_string(),
        sha256,
        mime: VTT_MIME.into(),
        size_bytes: upload.bytes.len() as i64,
        original_name: super::media::clean_file_name(upload.file_name.as_deref()),
        owner_id: Some(author.user.user_id.clone()),
        created_at: now.clone(),
    };
    let caption = Caption {
        lesson_id,
        language,
        label,
        media_id: media.id.clone(),
        created_at: now.clone(),
    };
    let view = CaptionView {
        language: caption.language.clone(),
        label: caption.label.clone(),
        url: signed_media_url(state, &media.id),
        created_at: now.clone(),
    };
    state
        .db
        .write(move |conn| {
            let lesson = video_lesson(conn, &author, &course_id, &caption.lesson_id)?;
            mstore::insert(conn, &media)?;
            let replaced = capstore::upsert(conn, &caption)?;
            let change = Change::new("lesson.caption_saved", "lesson", &lesson.id).after(json!({
                "language": caption.language, "label": caption.label, "media_id": media.id,
            }));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            Ok(if replaced {
                Saved::Replaced(view.clone())
            } else {
                Saved::Created(view.clone())
            })
        })
        .await
}

/// Removes the lesson's caption in `language`; 404 when it has none.
pub async fn remove(
    state: &AppState,
    author: Author,
    course_id: String,
    lesson_id: String,
    language: String,
) -> Result<(), AppError> {
    author.user.require(COURSE_AUTHORS)?;
    let language = captions::language_tag(&language).map_err(|e| AppError::Validation(vec![e]))?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            // Any lesson: one that stopped being a video may still have captions to remove.
            let course = managed_course(conn, &course_id, &author.user)?;
            let lesson = ostore::lesson(conn, &course.id, &lesson_id)?
                .ok_or(AppError::NotFound("lesson"))?;
            if !capstore::delete(conn, &lesson.id, &language)? {
                return Err(AppError::NotFound("caption"));
            }
            let change = Change::new("lesson.caption_removed", "lesson", &lesson.id)
                .before(json!({ "language": language }));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)
        })
        .await
}
