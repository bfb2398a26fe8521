//! What a backup's database says of itself (SQLite's checks, row counts, schema version,
//! this binary's migrations), and the report's verdicts on it against the manifest.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{ScratchDir, VerifyReport};
use crate::db::DB_FILE;
use crate::ops::manifest::Manifest;
use crate::ops::{integrity, store};

/// What the checks of one database file found.
#[derive(Debug, Clone)]
pub struct DatabaseFacts {
    damage: Vec<String>,
    broken_references: Vec<String>,
    row_counts: BTreeMap<String, i64>,
    schema_version: i64,
    /// The newer migrations applied to a copy, or why they did not apply; `None` when the
    /// schema is newer than this binary knows.
    migrations: Option<Result<Vec<i32>, String>>,
}

/// Runs every check of the database file at `db`, reading it only (its migrations are
/// tried on a copy).
pub fn inspect(db: &Path) -> anyhow::Result<DatabaseFacts> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let found = integrity::check(db)?;
    let row_counts = store::row_counts(&conn)?;
    let schema_version = store::schema_version(&conn)?;
    drop(conn);
    let migrations = (schema_version <= crate::db::latest_migration_version())
        .then(|| apply_migrations_to_copy(db).map_err(|e| format!("{e:#}")));
    Ok(DatabaseFacts {
        damage: found.damage,
        broken_references: found.broken_references,
        row_counts,
        schema_version,
        migrations,
    })
}

/// The report's lines on the database: its checks, and its counts and schema against
/// the manifest.
pub fn judge(report: &mut VerifyReport, manifest: &Manifest, facts: anyhow::Result<DatabaseFacts>) {
    let facts = match facts {
        Ok(facts) => facts,
        Err(e) => {
            report
                .faults
                .push(format!("the database cannot be read: {e}"));
            return;
        }
    };
    report.check(
        facts.damage.is_empty(),
        "PRAGMA integrity_check: ok",
        || {
            format!(
                "PRAGMA integrity_check found damage: {}",
                facts.damage.join("; ")
            )
        },
    );
    report.check(
        facts.broken_references.is_empty(),
        "PRAGMA foreign_key_check: ok",
        || {
            format!(
                "PRAGMA foreign_key_check found broken references: {}",
                facts.broken_references.join("; ")
            )
        },
    );
    let counts = &facts.row_counts;
    report.check(
        *counts == manifest.row_counts,
        format!("row counts match the manifest {counts:?}"),
        || {
            format!(
                "row counts {counts:?} differ from the manifest {:?}",
                manifest.row_counts
            )
        },
    );
    let version = facts.schema_version;
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
    match facts.migrations {
        None => {
            let known = crate::db::known_migration_count();
            let latest_known = crate::db::latest_migration_version();
            report.faults.push(format!(
                "the archive's schema V{version} is newer than this binary knows (V{latest_known}, {known} migrations): restore it with a newer schoolhouse"
            ));
        }
        Some(Ok(applied)) => report.passed.push(if applied.is_empty() {
            "this binary's migrations are all applied".to_string()
        } else {
            format!("this binary's newer migrations {applied:?} apply cleanly to a copy")
        }),
        Some(Err(e)) => report
            .faults
            .push(format!("migrations do not apply to a copy: {e}")),
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
