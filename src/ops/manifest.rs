//! The backup manifest (what an archive holds) and the pure naming and retention rules.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub const MANIFEST_FILE: &str = "manifest.json";
pub const ARCHIVE_PREFIX: &str = "schoolhouse-";
pub const ARCHIVE_SUFFIX: &str = ".zip";
/// The suffix of an archive encrypted with age.
pub const ENCRYPTED_SUFFIX: &str = ".zip.age";
/// Tables whose row counts are recorded, when the schema has them.
pub const COUNTED_TABLES: &[&str] = &[
    "users",
    "products",
    "courses",
    "enrollments",
    "orders",
    "payments",
    "refunds",
    "audit_log",
];

/// `manifest.json` inside every archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub app_version: String,
    /// Highest applied migration version.
    pub schema_version: i64,
    pub created_at: String,
    pub files: Vec<FileEntry>,
    pub row_counts: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path inside the archive, `/`-separated.
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// SHA-256 (hex) and size of a file, streamed.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    copy_hashed(&mut std::fs::File::open(path)?, &mut std::io::sink())
}

/// Copies `reader` to its end into `writer`, answering the SHA-256 (hex) and size of what
/// passed: an archive's files are hashed in the same read that compresses them.
pub fn copy_hashed(
    reader: &mut impl Read,
    writer: &mut impl Write,
) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        size += n as u64;
        hasher.update(&buffer[..n]);
        writer.write_all(&buffer[..n])?;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// `schoolhouse-20260101T020304Z.zip`.
pub fn archive_name(at: OffsetDateTime) -> String {
    format!("{}{ARCHIVE_SUFFIX}", archive_stem(at))
}

/// `schoolhouse-20260101T020304Z`: the name before its suffix.
pub fn archive_stem(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{ARCHIVE_PREFIX}{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A compact UTC stamp for sibling directory names.
pub fn stamp(at: OffsetDateTime) -> String {
    archive_name(at)
        .trim_start_matches(ARCHIVE_PREFIX)
        .trim_end_matches(ARCHIVE_SUFFIX)
        .to_string()
}

/// Whether a name ends like an archive: `.zip`, or `.zip.age` when encrypted.
pub fn has_archive_suffix(name: &str) -> bool {
    name.ends_with(ARCHIVE_SUFFIX) || name.ends_with(ENCRYPTED_SUFFIX)
}

/// A name a client may ask to download: a plain file name ending in `.zip` or `.zip.age`,
/// nothing that could leave the backups directory.
pub fn is_safe_archive_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && has_archive_suffix(name)
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.contains("..")
}

/// Which archives to delete so that `keep` remain: the oldest by name (names sort by time).
pub fn retention_victims(mut names: Vec<String>, keep: usize) -> Vec<String> {
    names.retain(|n| n.starts_with(ARCHIVE_PREFIX) && has_archive_suffix(n));
    names.sort();
    let excess = names.len().saturating_sub(keep);
    names.truncate(excess);
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn archive_names_carry_a_sortable_utc_timestamp() {
        assert_eq!(
            archive_name(datetime!(2026-03-04 05:06:07 +02:00)),
            "schoolhouse-20260304T030607Z.zip"
        );
        assert_eq!(
            stamp(datetime!(2026-03-04 05:06:07 UTC)),
            "20260304T050607Z"
        );
    }

    #[test]
    fn only_plain_zip_names_are_safe() {
        assert!(is_safe_archive_name("schoolhouse-20260304T030607Z.zip"));
        assert!(is_safe_archive_name("schoolhouse-20260304T030607Z.zip.age"));
        for bad in [
            "",
            "../secret.zip",
            "a/b.zip",
            ".hidden.zip",
            "x..zip",
            "db.sqlite",
            "a%2f.zip",
            "a\\b.zip",
            "x.age",
        ] {
            assert!(!is_safe_archive_name(bad), "{bad} accepted");
        }
    }

    #[test]
    fn retention_deletes_the_oldest_beyond_keep() {
        let names = vec![
            "schoolhouse-20260103T000000Z.zip".to_string(),
            "schoolhouse-20260101T000000Z.zip".to_string(),
            "other.zip".to_string(),
            "schoolhouse-20260101T120000Z.zip.age".to_string(),
            "schoolhouse-20260102T000000Z.zip".to_string(),
        ];
        assert_eq!(
            retention_victims(names.clone(), 2),
            vec![
                "schoolhouse-20260101T000000Z.zip".to_string(),
                "schoolhouse-20260101T120000Z.zip.age".to_string()
            ]
        );
        assert!(retention_victims(names, 4).is_empty());
    }
}
