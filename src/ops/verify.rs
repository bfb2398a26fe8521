//! `schoolhouse backup verify`: unpack an archive and check it from every side.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::crypt::{self, Key};
use super::manifest::{self, MANIFEST_FILE, Manifest};
use super::{integrity, store};
use crate::db::DB_FILE;

/// The outcome of verifying one archive: what passed and every fault found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub passed: Vec<String>,
    pub faults: Vec<String>,
    #[serde(skip)]
    pub manifest: Option<Manifest>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.faults.is_empty() && self.manifest.is_some()
    }

    /// One verdict line per check, then the overall verdict.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.passed.iter().map(|p| format!("ok    {p}")).collect();
        lines.extend(self.faults.iter().map(|f| format!("FAULT {f}")));
        lines.push(if self.ok() {
            "verdict: the archive is sound".to_string()
        } else {
            format!(
                "verdict: the archive is NOT usable ({} fault(s))",
                self.faults.len()
            )
        });
        lines
    }

    fn check(&mut self, ok: bool, passed: impl Into<String>, fault: impl FnOnce() -> String) {
        if ok {
            self.passed.push(passed.into());
        } else {
            self.faults.push(fault());
        }
    }
}

/// A directory removed when dropped.
pub struct ScratchDir(pub PathBuf);

impl ScratchDir {
    /// A new directory only its owner can enter (it may hold secrets).
    pub fn new(parent: &Path, label: &str) -> std::io::Result<ScratchDir> {
        use std::os::unix::fs::DirBuilderExt;
        let path = parent.join(format!(".schoolhouse-{label}-{}", uuid::Uuid::now_v7()));
        fs::create_dir_all(parent)?;
        fs::DirBuilder::new().mode(0o700).create(&path)?;
        Ok(ScratchDir(path))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Verifies `archive` in a scratch directory that is removed afterwards.
pub fn verify(archive: &Path) -> VerifyReport {
    verify_with(archive, None)
}

/// Like [`verify`], opening an encrypted archive with `key`.
pub fn verify_with(archive: &Path, key: Option<&Key>) -> VerifyReport {
    match ScratchDir::new(&std::env::temp_dir(), "verify") {
        Ok(scratch) => verify_into_with(archive, &scratch.0, key),
        Err(e) => VerifyReport {
            faults: vec![format!("cannot create a scratch directory: {e}")],
            ..VerifyReport::default()
        },
    }
}

/// Like [`verify_into`]; an encrypted (age) archive is first decrypted with `key` into a
/// private scratch file, and a missing or wrong key is the fault reported.
pub fn verify_into_with(archive: &Path, dest: &Path, key: Option<&Key>) -> VerifyReport {
    if !crypt::is_encrypted(archive) {
        return verify_into(archive, dest);
    }
    let fault = |message: String| VerifyReport {
        faults: vec![message],
        ..VerifyReport::default()
    };
    let scratch = match ScratchDir::new(&std::env::temp_dir(), "decrypt") {
        Ok(scratch) => scratch,
        Err(e) => return fault(format!("cannot create a scratch directory: {e}")),
    };
    let plain = scratch.0.join("archive.zip");
    if let Err(e) = crypt::decrypt_file(archive, &plain, key) {
        return fault(format!("{e:#}"));
    }
    let mut report = verify_into(&plain, dest);
    if let Some(key) = key {
        report
            .passed
            .insert(0, format!("decrypted (age) with {}", key.describe()));
    }
    report
}

/// Unpacks `archive` into the empty directory `dest` (left there for a restore) and checks
/// it: file list and checksums against the manifest, SQLite integrity and foreign keys, row
/// counts, and that this binary's migrations apply to a copy.
pub fn verify_into(archive: &Path, dest: &Path) -> VerifyReport {
    let mut report = VerifyReport::default();
    let unpacked = match unpack(archive, dest) {
        Ok(names) => names,
        Err(e) => {
            report.faults.push(format!(
                "cannot read the archive {}: {e:#}",
                archive.display()
            ));
            return report;
        }
    };
    let manifest: Manifest = match fs::read(dest.join(MANIFEST_FILE))
        .map_err(anyhow::Error::from)
        .and_then(|b| serde_json::from_slice(&b).map_err(Into::into))
    {
        Ok(m) => m,
        Err(e) => {
            report
                .faults
                .push(format!("{MANIFEST_FILE} is missing or unreadable: {e}"));
            return report;
        }
    };
    report.passed.push(format!(
        "manifest: version {}, schema V{}, created {}, {} file(s)",
        manifest.app_version,
        manifest.schema_version,
        manifest.created_at,
        manifest.files.len()
    ));

    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    let present: BTreeSet<&str> = unpacked
        .iter()
        .map(String::as_str)
        .filter(|n| *n != MANIFEST_FILE)
        .collect();
    let missing: Vec<&&str> = listed.difference(&present).collect();
    let extra: Vec<&&str> = present.difference(&listed).collect();
    report.check(
        missing.is_empty(),
        "every file in the manifest is present",
        || format!("file(s) listed in the manifest are missing from the archive: {missing:?}"),
    );
    report.check(extra.is_empty(), "no file outside the manifest", || {
        format!("file(s) in the archive are not in the manifest: {extra:?}")
    });
    let mut bad_sums = Vec::new();
    for entry in &manifest.files {
        let path = dest.join(&entry.path);
        if !path.is_file() {
            continue;
        }
        match manifest::hash_file(&path) {
            Ok((sum, size)) if sum == entry.sha256 && size == entry.size => {}
            Ok(_) => bad_sums.push(entry.path.clone()),
            Err(e) => bad_sums.push(format!("{} ({e})", entry.path)),
        }
    }
    report.check(bad_sums.is_empty(), "every checksum matches", || {
        format!("checksum mismatch (the file changed after the backup): {bad_sums:?}")
    });

    check_database(&mut report, &manifest, &dest.join(DB_FILE));
    report.manifest = Some(manifest);
    report
}

fn check_database(report: &mut VerifyReport, manifest: &Manifest, db: &Path) {
    if !db.is_file() {
        report.faults.push(format!("the archive has no {DB_FILE}"));
        return;
    }
    let opened = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(anyhow::Error::from)
        .and_then(|conn| {
            let found = integrity::check(db)?;
            let counts = store::row_counts(&conn)?;
            let version = store::schema_version(&conn)?;
            Ok((found.damage, found.broken_references, counts, version))
        });
    let (integrity, foreign, counts, version) = match opened {
        Ok(v) => v,
        Err(e) => {
            report
                .faults
                .push(format!("the database cannot be read: {e}"));
            return;
        }
    };
    report.check(integrity.is_empty(), "PRAGMA integrity_check: ok", || {
        format!(
            "PRAGMA integrity_check found damage: {}",
            integrity.join("; ")
        )
    });
    report.check(foreign.is_empty(), "PRAGMA foreign_key_check: ok", || {
        format!(
            "PRAGMA foreign_key_check found broken references: {}",
            foreign.join("; ")
        )
    });
    report.check(
        counts == manifest.row_counts,
        format!("row counts match the manifest {counts:?}"),
        || {
            format!(
                "row counts {counts:?} differ from the manifest {:?}",
                manifest.row_counts
            )
        },
    );
    report.check(
        version == manifest.schema_version,
        "schema version matches the manifest",
        || {
            format!(
                "schema version V{version} differs from the manifest's V{}",
                manifest.schema_version
            )
        },
    );
    let known = crate::db::known_migration_count() as i64;
    let latest_known = crate::db::latest_migration_version();
    if version > latest_known {
        report.faults.push(format!(
            "the archive's schema V{version} is newer than this binary knows (V{latest_known}, {known} migrations): restore it with a newer schoolhouse"
        ));
        return;
    }
    match apply_migrations_to_copy(db) {
        Ok(applied) => report.passed.push(if applied.is_empty() {
            "this binary's migrations are all applied".to_string()
        } else {
            format!("this binary's newer migrations {applied:?} apply cleanly to a copy")
        }),
        Err(e) => report
            .faults
            .push(format!("migrations do not apply to a copy: {e:#}")),
    }
}

/// Applies this binary's pending migrations to a copy of `db`; a database that lacks none
/// is not copied (at 5 GB the copy was most of a verify's time).
fn apply_migrations_to_copy(db: &Path) -> anyhow::Result<Vec<i32>> {
    if crate::db::pending_migrations(&mut Connection::open(db)?)? == 0 {
        return Ok(Vec::new());
    }
    let scratch = ScratchDir::new(&std::env::temp_dir(), "migrate")?;
    let copy = scratch.0.join(DB_FILE);
    fs::copy(db, &copy)?;
    let mut conn = Connection::open(&copy)?;
    crate::db::migrate(&mut conn)
}

/// Extracts every entry of the zip into `dest`, refusing names that would leave it.
/// Returns the `/`-separated names of the files written.
pub fn unpack(archive: &Path, dest: &Path) -> anyhow::Result<Vec<String>> {
    let file = fs::File::open(archive)?;
    let mut zip = zip::ZipArchive::new(file)?;
    let mut names = Vec::with_capacity(zip.len());
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index)?;
        let name = entry.name()?.into_owned();
        let relative = entry
            .enclosed_name()
            .ok_or_else(|| anyhow::anyhow!("unsafe path in archive: {name:?}"))?;
        let path = dest.join(&relative);
        if entry.is_dir() {
            fs::create_dir_all(&path)?;
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut out = fs::File::create(&path)?;
        std::io::copy(&mut entry, &mut out)?;
        out.sync_all()?;
        names.push(name);
    }
    Ok(names)
}
