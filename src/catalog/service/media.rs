//! Media files: uploads streamed to a temp file under their SHA-256 (typed by their bytes,
//! never by the name or the client's word), handed to the media store (`media.store`), and
//! who may fetch a stored file.
//!
//! Product images and course covers are public (served without a signature, cacheable);
//! every other file (lesson videos, digital downloads) needs a signed URL, issued only to
//! people allowed to see it.

use std::path::{Path as FsPath, PathBuf};

use axum::body::Bytes;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::auth::AuthUser;
use crate::catalog::sniff;
use crate::catalog::store::media::{self as mstore, Media};
use crate::http::AppError;
use crate::http::signing::{self, Purpose, Signature};
use crate::state::AppState;
use crate::storage::{LocalStore, MediaStore};
use crate::users::Role;

/// Who may upload files.
pub const UPLOADERS: &[Role] = &[Role::Admin, Role::Instructor, Role::Vendor];

/// Where a file with this hash lives on local disk: `<data_dir>/media/<first 2 hex>/<sha256>`.
pub fn media_path(data_dir: &FsPath, sha256: &str) -> PathBuf {
    LocalStore::new(data_dir).path(sha256)
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

/// Where an upload's bytes come from, a chunk at a time (a multipart field, or bytes in
/// memory for the demo); `None` at the end.
pub trait Chunks: Send {
    fn next_chunk(&mut self) -> impl Future<Output = Result<Option<Bytes>, AppError>> + Send;
}

/// Bytes already in memory, as one chunk.
impl Chunks for Option<Bytes> {
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, AppError> {
        Ok(self.take())
    }
}

struct Stored {
    sha256: String,
    size: u64,
    mime: &'static str,
}

fn internal(e: impl Into<anyhow::Error>) -> AppError {
    AppError::Internal(e.into())
}

fn unsupported() -> AppError {
    AppError::UnsupportedMediaType(crate::msg!("problem-file-type", accepted = sniff::ACCEPTED))
}

/// Streams the chunks into a temp file, checking size and type, then hands it to the store.
async fn store_file(
    state: &AppState,
    chunks: &mut impl Chunks,
    tmp: &FsPath,
) -> Result<Stored, AppError> {
    let max = state.config.media.max_upload_bytes;
    let mut file = tokio::fs::File::create(tmp).await.map_err(internal)?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut head: Vec<u8> = Vec::with_capacity(sniff::HEAD_LEN);
    let mut mime = None;
    while let Some(chunk) = chunks.next_chunk().await? {
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
        file.write_all(&chunk).await.map_err(internal)?;
    }
    let mime = match mime {
        Some(m) => m,
        None => sniff::sniff(&head).ok_or_else(unsupported)?,
    };
    file.sync_all().await.map_err(internal)?;
    drop(file);
    let sha256 = hex::encode(hasher.finalize());
    state
        .media_store
        .put_file(&sha256, tmp, mime)
        .await
        .map_err(AppError::Internal)?;
    Ok(Stored { sha256, size, mime })
}

/// The name kept for an upload: no control characters or path separators, at most 255
/// characters, `upload` when nothing is left.
pub fn clean_file_name(given: Option<&str>) -> String {
    let name: String = given
        .unwrap_or("upload")
        .chars()
        .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
        .take(255)
        .collect();
    if name.is_empty() {
        "upload".into()
    } else {
        name
    }
}

/// Stores an upload by `user` (admins, instructors, vendors): its type is read from the
/// bytes; the size limit is `media.max_upload_bytes`. Nothing is kept when it fails.
pub async fn upload(
    state: &AppState,
    user: &AuthUser,
    file_name: Option<&str>,
    mut chunks: impl Chunks,
) -> Result<MediaView, AppError> {
    user.require(UPLOADERS)?;
    let tmp_dir = state.config.data_dir.join("media").join("tmp");
    tokio::fs::create_dir_all(&tmp_dir)
        .await
        .map_err(internal)?;
    let original_name = clean_file_name(file_name);
    let tmp = tmp_dir.join(uuid::Uuid::now_v7().to_string());
    let stored = store_file(state, &mut chunks, &tmp).await;
    // The local store renamed it away; a bucket got a copy; a failure leaves it behind.
    let _ = tokio::fs::remove_file(&tmp).await;
    let stored = stored?;
    let media = Media {
        id: uuid::Uuid::now_v7().to_string(),
        sha256: stored.sha256,
        mime: stored.mime.to_string(),
        size_bytes: i64::try_from(stored.size).unwrap_or(i64::MAX),
        original_name,
        owner_id: Some(user.user_id.clone()),
        created_at: state.now_text(),
    };
    let row = media.clone();
    state
        .db
        .write(move |conn| Ok(mstore::insert(conn, &row)?))
        .await?;
    Ok(MediaView {
        url: signing::signed_media_url(state, &media.id),
        id: media.id,
        mime: media.mime,
        size_bytes: media.size_bytes,
        sha256: media.sha256,
        original_name: media.original_name,
        created_at: media.created_at,
    })
}

/// A stored file someone may fetch: its key, size and type, the `Cache-Control` to send with
/// it, and until when the signed link that opened it is valid (`None` for public files).
pub struct Serving {
    pub sha256: String,
    pub size: u64,
    pub mime: String,
    pub cache_control: String,
    pub link_expires: Option<i64>,
}

/// Whether the file may be fetched: with a valid signature (cached privately until it
/// expires), or without one when it is public (a product image or course cover); otherwise
/// a 403.
pub async fn serving(
    state: &AppState,
    id: String,
    signature: Signature,
) -> Result<Serving, AppError> {
    let (media, public) = state
        .db
        .read(move |conn| {
            let media = mstore::get(conn, &id)?.ok_or(AppError::NotFound("media"))?;
            let public = mstore::is_public(conn, &media.id)?;
            Ok((media, public))
        })
        .await?;
    let now = state.now().unix_timestamp();
    let (cache_control, link_expires) = match (signature.expires, signature.sig.as_deref()) {
        (Some(expires), Some(sig)) => {
            let key = signing::key(&state.secrets.jwt_secret, Purpose::Media);
            signing::verify(&key, &media.id, expires, sig, now).map_err(signing::refusal)?;
            (
                format!("private, max-age={}", (expires - now).max(0)),
                Some(expires),
            )
        }
        _ if public => ("public, max-age=86400".to_string(), None),
        _ => {
            return Err(AppError::Forbidden(
                "this file is served only through a signed URL".into(),
            ));
        }
    };
    Ok(Serving {
        sha256: media.sha256,
        size: u64::try_from(media.size_bytes).unwrap_or(0),
        mime: media.mime,
        cache_control,
        link_expires,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_name_loses_separators_and_control_characters() {
        assert_eq!(clean_file_name(Some("../etc/pa\u{7}sswd")), "..etcpasswd");
        assert_eq!(clean_file_name(Some("a\\b.png")), "ab.png");
    }

    #[test]
    fn an_upload_without_a_usable_name_is_called_upload() {
        assert_eq!(clean_file_name(None), "upload");
        assert_eq!(clean_file_name(Some("//\n")), "upload");
    }

    #[test]
    fn an_upload_name_keeps_at_most_255_characters() {
        let long = "é".repeat(300);
        assert_eq!(clean_file_name(Some(&long)).chars().count(), 255);
    }
}
