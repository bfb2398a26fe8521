//! `migrate --dry-run`: the pending migrations applied to a temporary copy of the database,
//! checked and counted, while the database itself is only read.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::schema;
use crate::config::DatabaseConfig;

/// Rows of one table before and after the migrations (`None`: the table did not exist).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableRows {
    pub table: String,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

/// What applying the pending migrations to a copy found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DryRun {
    pub from_version: i64,
    pub to_version: i64,
    pub applied: Vec<i32>,
    /// Time the migrations took on the copy.
    pub migrate_time: Duration,
    /// `PRAGMA integrity_check` of the migrated copy: `["ok"]` when sound.
    pub integrity: Vec<String>,
    /// `PRAGMA foreign_key_check` of the migrated copy, one line per dangling reference.
    pub foreign_key_faults: Vec<String>,
    pub tables: Vec<TableRows>,
}

impl DryRun {
    pub fn ok(&self) -> bool {
        self.integrity == ["ok"] && self.foreign_key_faults.is_empty()
    }

    /// The report as the operator reads it.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![if self.applied.is_empty() {
            format!(
                "dry run: the database is at V{} and no migration is pending",
                self.from_version
            )
        } else {
            format!(
                "dry run: V{} -> V{}: applied {:?} to a copy in {} ms",
                self.from_version,
                self.to_version,
                self.applied,
                self.migrate_time.as_millis()
            )
        }];
        lines.push(format!("integrity_check: {}", self.integrity.join("; ")));
        if self.foreign_key_faults.is_empty() {
            lines.push("foreign_key_check: ok".to_string());
        } else {
            lines.extend(
                self.foreign_key_faults
                    .iter()
                    .map(|f| format!("foreign_key_check: {f}")),
            );
        }
        lines.push(format!("{:<32} {:>10} {:>10}", "table", "before", "after"));
        let shown = |n: Option<i64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
        for t in &self.tables {
            lines.push(format!(
                "{:<32} {:>10} {:>10}",
                t.table,
                shown(t.before),
                shown(t.after)
            ));
        }
        lines.push("the database itself was not changed".to_string());
        lines
    }
}

/// A temporary directory removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies the database at `path` with SQLite's backup API into a temporary file, applies
/// this binary's pending migrations there and checks the result. The database is opened
/// read-only without creating `-wal`/`-shm` files (see [`schema::open_untouched`]).
pub fn dry_run(path: &Path, config: &DatabaseConfig) -> anyhow::Result<DryRun> {
    let source = schema::open_untouched(path)?;
    source.busy_timeout(Duration::from_millis(config.busy_timeout_ms))?;
    let from_version = schema::version_of(&source)?;
    schema::refuse_newer(from_version, super::latest_migration_version())?;
    let before = row_counts(&source)?;

    let scratch =
        Scratch(std::env::temp_dir().join(format!("schoolhouse-dry-run-{}", uuid::Uuid::now_v7())));
    std::fs::create_dir(&scratch.0)?;
    let mut copy = Connection::open(scratch.0.join(super::DB_FILE))?;
    {
        let backup = rusqlite::backup::Backup::new(&source, &mut copy)?;
        // All pages in one step: one read transaction, a consistent copy.
        backup.run_to_completion(i32::MAX, Duration::from_millis(20), None)?;
    }
    drop(source);
    // The pragmas the server migrates under, foreign keys above all.
    copy.execute_batch("PRAGMA foreign_keys = ON;")?;

    let started = Instant::now();
    let applied = super::migrate(&mut copy)?;
    let migrate_time = started.elapsed();
    let integrity = copy
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let foreign_key_faults = copy
        .prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")?
        .query_map([], |r| {
            Ok(format!(
                "{} row {} names a missing {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?
                    .map_or_else(|| "?".to_string(), |n| n.to_string()),
                r.get::<_, String>(2)?
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let after = row_counts(&copy)?;
    let to_version = schema::version_of(&copy)?;
    drop(copy);

    let mut names: Vec<&String> = before.iter().chain(after.iter()).map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    let find =
        |list: &[(String, i64)], name: &str| list.iter().find(|(n, _)| n == name).map(|(_, c)| *c);
    let tables = names
        .into_iter()
        .map(|name| TableRows {
            table: name.clone(),
            before: find(&before, name),
            after: find(&after, name),
        })
        .collect();
    Ok(DryRun {
        from_version,
        to_version,
        applied,
        migrate_time,
        integrity,
        foreign_key_faults,
        tables,
    })
}

/// Rows of every ordinary and virtual table (not the full-text index's shadow tables).
fn row_counts(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM pragma_table_list
             WHERE schema = 'main' AND type IN ('table', 'virtual')
               AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    names
        .into_iter()
        .map(|name| {
            // Names come from the schema itself, quoted as identifiers.
            let quoted = name.replace('"', "\"\"");
            let count = conn.query_row(&format!("SELECT COUNT(*) FROM \"{quoted}\""), [], |r| {
                r.get(0)
            })?;
            Ok((name, count))
        })
        .collect()
}
