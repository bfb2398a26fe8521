//! The archive of issued PDFs under `<data_dir>/invoices/`: each document is rendered once
//! from its frozen content, written, hashed and recorded; from then on it is served as
//! stored and checked against its hash, never rendered again.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::store::{self, ArchivedFile};
use crate::config::invoices::Logo;
use crate::http::AppError;
use crate::state::AppState;

/// The archive's folder inside the data dir (also in every backup).
pub const INVOICES_DIR: &str = "invoices";

/// One archiver at a time per process, so two requests never write one file twice.
static ARCHIVING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// `invoices/<year>/<kind>/<number>-<id>.pdf`: unique whatever the number format, and
/// readable by whoever browses the folder.
fn relative_path(kind: &str, id: &str, number: &str, issued_at: &str) -> String {
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let year = issued_at.get(..4).unwrap_or("0000");
    format!("{INVOICES_DIR}/{year}/{kind}/{safe}-{id}.pdf")
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes `bytes` to `path` through a temporary file, synced, so a crash leaves either no
/// file or the whole file.
fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = path.with_extension("pdf.partial");
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

fn read_checked(state: &AppState, file: &ArchivedFile) -> Result<Vec<u8>, AppError> {
    let bytes = std::fs::read(state.config.data_dir.join(&file.path)).map_err(|e| {
        AppError::Internal(anyhow::anyhow!(
            "archived document {} unreadable: {e}",
            file.path
        ))
    })?;
    if sha256_hex(&bytes) != file.sha256 {
        return Err(AppError::Internal(anyhow::anyhow!(
            "archived document {} does not match its recorded hash",
            file.path
        )));
    }
    Ok(bytes)
}

/// The archived PDF of document `id`, archiving it first if it never was.
pub async fn pdf(state: &AppState, id: &str) -> Result<Vec<u8>, AppError> {
    let key = id.to_string();
    let file = state
        .db
        .read(move |conn| Ok(store::file(conn, &key)?))
        .await?;
    match file {
        Some(file) => read_archived(state, file).await,
        None => archive(state, id).await,
    }
}

async fn read_archived(state: &AppState, file: ArchivedFile) -> Result<Vec<u8>, AppError> {
    let owned = state.clone();
    state.blocking(move || read_checked(&owned, &file)).await?
}

/// Renders, writes and records document `id` unless it is archived already; answers the
/// archived bytes.
pub async fn archive(state: &AppState, id: &str) -> Result<Vec<u8>, AppError> {
    let _one = ARCHIVING.lock().await;
    let key = id.to_string();
    let (view, content, file) = state
        .db
        .read(move |conn| {
            let view = store::get(conn, &key)?.ok_or(AppError::NotFound("invoice"))?;
            let content = store::content(conn, &key)?.ok_or(AppError::NotFound("invoice"))?;
            Ok((view, content, store::file(conn, &key)?))
        })
        .await?;
    if let Some(file) = file {
        return read_archived(state, file).await;
    }
    let path = relative_path(view.kind.as_str(), &view.id, &view.number, &view.issued_at);
    let target = state.config.data_dir.join(&path);
    let logo_path = state.config.invoices.logo.clone();
    let bytes = state
        .blocking(move || -> Result<Vec<u8>, AppError> {
            let failed = |e: String| AppError::Internal(anyhow::anyhow!(e));
            // The logo configured when the document is archived (seconds after it was
            // issued); from then on the archived bytes are served, whatever the config says.
            let logo = logo_path
                .as_deref()
                .map(Logo::read)
                .transpose()
                .map_err(failed)?;
            let bytes = super::pdf::render(&content, logo.as_ref()).map_err(failed)?;
            write_durably(&target, &bytes).map_err(|e| AppError::Internal(e.into()))?;
            Ok(bytes)
        })
        .await??;
    let file = ArchivedFile {
        path,
        sha256: sha256_hex(&bytes),
        size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
    };
    let (key, now) = (id.to_string(), state.now_text());
    state
        .db
        .write(move |conn| Ok(store::insert_file(conn, &key, &file, &now)?))
        .await?;
    Ok(bytes)
}

/// Archives every document not archived yet (issued since the last sweep, or just before a
/// crash); answers how many.
pub async fn archive_pending(state: &AppState) -> Result<usize, AppError> {
    let mut done = 0;
    loop {
        let ids = state
            .db
            .read(|conn| Ok(store::unarchived(conn, 50)?))
            .await?;
        if ids.is_empty() {
            return Ok(done);
        }
        for id in &ids {
            archive(state, id).await?;
            done += 1;
        }
    }
}
