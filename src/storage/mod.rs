//! Where media bytes live: the data dir or an S3-compatible bucket, both keyed by the
//! SHA-256 of the bytes (content-addressed, so a file uploaded twice is stored once and a
//! key's content never changes).

pub mod local;
pub mod range;
pub mod s3;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::config::media::{MediaConfig, StoreKind};
pub use local::LocalStore;
pub use s3::S3Store;

/// What every media store does; the upload path and `media migrate` use only this, so
/// another kind of upload (captions, submissions) needs nothing new.
pub trait MediaStore: Send + Sync {
    /// Takes a finished upload: `file`, a local temp file whose bytes hash to `sha256`, is
    /// moved or copied into the store (and is gone or may be deleted afterwards).
    fn put_file(
        &self,
        sha256: &str,
        file: &Path,
        mime: &str,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;

    /// The stored object's size, `None` when there is none.
    fn size(&self, sha256: &str) -> impl Future<Output = anyhow::Result<Option<u64>>> + Send;

    /// The SHA-256 of the bytes actually stored under `sha256` (read back in full), `None`
    /// when there is no such object.
    fn checksum(&self, sha256: &str)
    -> impl Future<Output = anyhow::Result<Option<String>>> + Send;
}

/// The store the server uses, chosen by `media.store`.
pub enum Storage {
    Local(LocalStore),
    S3(S3Store),
}

impl Storage {
    pub fn open(data_dir: &Path, media: &MediaConfig) -> anyhow::Result<Storage> {
        Ok(match media.store {
            StoreKind::Local => Storage::Local(LocalStore::new(data_dir)),
            StoreKind::S3 => Storage::S3(S3Store::open(&media.s3)?),
        })
    }
}

impl MediaStore for Storage {
    async fn put_file(&self, sha256: &str, file: &Path, mime: &str) -> anyhow::Result<()> {
        match self {
            Storage::Local(store) => store.put_file(sha256, file, mime).await,
            Storage::S3(store) => store.put_file(sha256, file, mime).await,
        }
    }

    async fn size(&self, sha256: &str) -> anyhow::Result<Option<u64>> {
        match self {
            Storage::Local(store) => store.size(sha256).await,
            Storage::S3(store) => store.size(sha256).await,
        }
    }

    async fn checksum(&self, sha256: &str) -> anyhow::Result<Option<String>> {
        match self {
            Storage::Local(store) => store.checksum(sha256).await,
            Storage::S3(store) => store.checksum(sha256).await,
        }
    }
}

/// Is `text` a SHA-256 in lower-case hex (the only thing ever used as a key)?
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Hashes a local file a chunk at a time.
pub async fn file_sha256(path: &Path) -> std::io::Result<String> {
    use tokio::io::AsyncReadExt;
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lower_case_sha256_hex_is_a_key() {
        assert!(is_sha256(&"ab".repeat(32)));
        assert!(!is_sha256(&"AB".repeat(32)));
        assert!(!is_sha256("../etc/passwd"));
        assert!(!is_sha256(&"a".repeat(63)));
    }
}
