//! `schoolhouse media migrate --to s3`: copies every stored file from the data dir into the
//! bucket of `[media.s3]`, checking each by its SHA-256 on both sides. Safe to stop and run
//! again: an object already in the bucket is read back and kept when its bytes hash to its
//! key, uploaded again when not.

use std::io::Write;

use clap::{Subcommand, ValueEnum};

use crate::catalog::store::media as mstore;
use crate::state::AppState;
use crate::storage::{LocalStore, MediaStore, S3Store};

#[derive(Debug, Subcommand)]
pub enum MediaAction {
    /// Copy the local media files into the bucket of [media.s3], each verified by its
    /// SHA-256; resumable. Then set `media.store = "s3"` and restart.
    Migrate {
        /// Where to: only `s3` for now.
        #[arg(long, value_enum)]
        to: Target,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Target {
    S3,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Distinct files (by content) the database knows.
    pub files: usize,
    /// Uploaded in this run and verified.
    pub copied: usize,
    /// Already in the bucket with the right bytes.
    pub already: usize,
    /// Neither in the bucket nor on local disk.
    pub missing: Vec<String>,
    /// Whose local copy does not hash to its name, or whose upload read back wrong.
    pub damaged: Vec<String>,
}

impl Report {
    pub fn complete(&self) -> bool {
        self.missing.is_empty() && self.damaged.is_empty()
    }
}

/// Copies and verifies every file, writing one line per file to `out`.
pub async fn migrate_to_s3(state: &AppState, out: &mut impl Write) -> anyhow::Result<Report> {
    crate::config::media::validate_s3(&state.config.media.s3, true)?;
    let bucket = S3Store::open(&state.config.media.s3)?;
    let local = LocalStore::new(&state.config.data_dir);
    let files = state.db.read(|conn| Ok(mstore::files(conn)?)).await?;
    let mut report = Report {
        files: files.len(),
        ..Report::default()
    };
    for file in files {
        let sha = file.sha256.as_str();
        if bucket.checksum(sha).await?.as_deref() == Some(sha) {
            report.already += 1;
            writeln!(out, "verified {sha} (already in the bucket)")?;
            continue;
        }
        match local.checksum(sha).await? {
            None => {
                writeln!(out, "MISSING {sha}: not in the bucket nor on disk")?;
                report.missing.push(file.sha256);
                continue;
            }
            Some(sum) if sum != sha => {
                writeln!(out, "DAMAGED {sha}: the local copy hashes to {sum}")?;
                report.damaged.push(file.sha256);
                continue;
            }
            Some(_) => {}
        }
        bucket.upload(sha, &local.path(sha), &file.mime).await?;
        if bucket.checksum(sha).await?.as_deref() == Some(sha) {
            report.copied += 1;
            writeln!(out, "copied {sha} ({} bytes), verified", file.size_bytes)?;
        } else {
            writeln!(out, "DAMAGED {sha}: the bucket's copy reads back wrong")?;
            report.damaged.push(file.sha256);
        }
        out.flush()?;
    }
    Ok(report)
}
