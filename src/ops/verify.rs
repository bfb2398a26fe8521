//! `schoolhouse backup verify`: unpack an archive and check it from every side.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::crypt::{self, Key};
use super::manifest::{self, MANIFEST_FILE, Manifest};
use crate::db::DB_FILE;

mod database;

pub use database::{DatabaseFacts, inspect as inspect_database};

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
    with_plain_archive(archive, key, |plain| verify_into(plain, dest))
}

/// Runs `verify` on the plain zip of `archive`: the file itself, or its decryption with
/// `key` into a private scratch file (named in the report's first line).
fn with_plain_archive(
    archive: &Path,
    key: Option<&Key>,
    verify: impl FnOnce(&Path) -> VerifyReport,
) -> VerifyReport {
    if !crypt::is_encrypted(archive) {
        return verify(archive);
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
    let mut report = verify(&plain);
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
        Err(e) => return unreadable(archive, e),
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
    let mut contents = Contents::new();
    for name in unpacked.into_iter().filter(|n| n != MANIFEST_FILE) {
        let hashed = manifest::hash_file(&dest.join(&name)).map_err(|e| e.to_string());
        contents.insert(name, hashed);
    }
    check_contents(&mut report, &manifest, &contents);
    let db = dest.join(DB_FILE);
    if db.is_file() {
        database::judge(&mut report, &manifest, database::inspect(&db));
    } else {
        report.faults.push(format!("the archive has no {DB_FILE}"));
    }
    report.manifest = Some(manifest);
    report
}

/// Checks an archive just written from a database snapshot whose checks ran while it was
/// compressed (`snapshot` waits for their outcome): every file is inflated and hashed in
/// memory, and the database checks count for the archive's copy when its SHA-256 is the
/// snapshot's. `key` opens an encrypted archive.
pub fn verify_written(
    archive: &Path,
    key: Option<&Key>,
    snapshot: impl FnOnce() -> anyhow::Result<DatabaseFacts>,
) -> VerifyReport {
    with_plain_archive(archive, key, |plain| {
        let (manifest, contents) = match read_back(plain) {
            Ok(read) => read,
            Err(e) => return unreadable(plain, e),
        };
        let mut report = VerifyReport::default();
        check_contents(&mut report, &manifest, &contents);
        let db_as_written = manifest.files.iter().any(|f| {
            f.path == DB_FILE && contents.get(DB_FILE) == Some(&Ok((f.sha256.clone(), f.size)))
        });
        if db_as_written {
            report.passed.push(format!(
                "{DB_FILE} checked as it was compressed (the archive's copy has its SHA-256)"
            ));
            database::judge(&mut report, &manifest, snapshot());
        } else if !contents.contains_key(DB_FILE) {
            report.faults.push(format!("the archive has no {DB_FILE}"));
        }
        report.manifest = Some(manifest);
        report
    })
}

fn unreadable(archive: &Path, e: anyhow::Error) -> VerifyReport {
    VerifyReport {
        faults: vec![format!(
            "cannot read the archive {}: {e:#}",
            archive.display()
        )],
        ..VerifyReport::default()
    }
}

/// The SHA-256 and size of each file an archive holds but its manifest, by `/`-separated
/// name, or why it could not be read.
type Contents = BTreeMap<String, Result<(String, u64), String>>;

/// The manifest's line, then its file list and checksums against `contents`.
fn check_contents(report: &mut VerifyReport, manifest: &Manifest, contents: &Contents) {
    report.passed.push(format!(
        "manifest: version {}, schema V{}, created {}, {} file(s)",
        manifest.app_version,
        manifest.schema_version,
        manifest.created_at,
        manifest.files.len()
    ));
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    let present: BTreeSet<&str> = contents.keys().map(String::as_str).collect();
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
        match contents.get(&entry.path) {
            None => {}
            Some(Ok((sum, size))) if *sum == entry.sha256 && *size == entry.size => {}
            Some(Ok(_)) => bad_sums.push(entry.path.clone()),
            Some(Err(e)) => bad_sums.push(format!("{} ({e})", entry.path)),
        }
    }
    report.check(bad_sums.is_empty(), "every checksum matches", || {
        format!("checksum mismatch (the file changed after the backup): {bad_sums:?}")
    });
}

/// The manifest of the zip at `archive` and its other files' hashes, each entry inflated
/// in memory (the zip's own CRC-32 checked on the way), nothing written to disk.
fn read_back(archive: &Path) -> anyhow::Result<(Manifest, Contents)> {
    let mut zip = zip::ZipArchive::new(fs::File::open(archive)?)?;
    let mut manifest = None;
    let mut contents = Contents::new();
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name()?.into_owned();
        if entry.enclosed_name().is_none() {
            anyhow::bail!("unsafe path in archive: {name:?}");
        }
        if name == MANIFEST_FILE {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes)?;
            let parsed = serde_json::from_slice::<Manifest>(&bytes)
                .map_err(|e| anyhow::anyhow!("{MANIFEST_FILE} is unreadable: {e}"))?;
            manifest = Some(parsed);
        } else {
            let hashed = manifest::copy_hashed(&mut entry, &mut std::io::sink())?;
            contents.insert(name, Ok(hashed));
        }
    }
    let manifest = manifest.ok_or_else(|| anyhow::anyhow!("{MANIFEST_FILE} is missing"))?;
    Ok((manifest, contents))
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
