//! Media on the local disk: `<data_dir>/media/<first 2 hex>/<sha256>`.

use std::path::{Path, PathBuf};

use super::MediaStore;

pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    pub fn new(data_dir: &Path) -> LocalStore {
        LocalStore {
            root: data_dir.join("media"),
        }
    }

    /// Where a file with this hash lives.
    pub fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(sha256.get(..2).unwrap_or("00")).join(sha256)
    }
}

impl MediaStore for LocalStore {
    async fn put_file(&self, sha256: &str, file: &Path, _mime: &str) -> anyhow::Result<()> {
        let target = self.path(sha256);
        if let Some(dir) = target.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        // The temp file sits under the same root, so this is an atomic rename.
        tokio::fs::rename(file, &target).await?;
        Ok(())
    }

    async fn size(&self, sha256: &str) -> anyhow::Result<Option<u64>> {
        match tokio::fs::metadata(self.path(sha256)).await {
            Ok(meta) => Ok(Some(meta.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn checksum(&self, sha256: &str) -> anyhow::Result<Option<String>> {
        match super::file_sha256(&self.path(sha256)).await {
            Ok(sum) => Ok(Some(sum)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
