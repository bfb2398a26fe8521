//! Schema versions: what a database file is at (read without writing a byte beside it), what
//! this binary knows, and applying the pending migrations all in one transaction.

use std::path::{Path, PathBuf};

use refinery::{Runner, Target};
use rusqlite::{Connection, OpenFlags};

/// A database at a schema newer than this binary's migrations: opening it would fail at
/// best, and writing to it could damage data the newer binary relies on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewerSchema {
    pub database: i64,
    pub binary: i64,
}

impl std::fmt::Display for NewerSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the database is at schema V{}, newer than this binary (schoolhouse {}, schema V{}) knows",
            self.database,
            env!("CARGO_PKG_VERSION"),
            self.binary
        )
    }
}

impl std::error::Error for NewerSchema {}

/// Highest applied migration version (0 for an empty database).
pub fn version_of(conn: &Connection) -> rusqlite::Result<i64> {
    let has_history: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table'
                        AND name = 'refinery_schema_history')",
        [],
        |r| r.get(0),
    )?;
    if !has_history {
        return Ok(0);
    }
    conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM refinery_schema_history",
        [],
        |r| r.get(0),
    )
}

/// Every applied migration version.
pub fn applied_versions(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    if version_of(conn)? == 0 {
        return Ok(Vec::new());
    }
    conn.prepare("SELECT version FROM refinery_schema_history ORDER BY version")?
        .query_map([], |r| r.get(0))?
        .collect()
}

/// The WAL file SQLite keeps beside a database in WAL mode.
pub fn wal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// Opens an existing database read-only without creating anything: a read-only connection
/// to a WAL database creates `-wal` and `-shm` files when they are missing and leaves them
/// behind, so without a WAL file (nothing uncheckpointed to read) the file is opened
/// `immutable`, which needs neither.
pub fn open_untouched(path: &Path) -> anyhow::Result<Connection> {
    if !path.is_file() {
        anyhow::bail!("there is no database at {}", path.display());
    }
    let absolute = std::path::absolute(path)?;
    let mut uri = format!("file:{}?mode=ro", uri_escape(&absolute.to_string_lossy()));
    if !wal_path(path).exists() {
        uri.push_str("&immutable=1");
    }
    let conn = Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    Ok(conn)
}

fn uri_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The schema version of the database at `path`, `None` when there is no file; nothing is
/// created or changed.
pub fn version_at(path: &Path) -> anyhow::Result<Option<i64>> {
    if !path.exists() {
        return Ok(None);
    }
    let conn = open_untouched(path)?;
    Ok(Some(version_of(&conn)?))
}

/// Refuses a database whose schema is newer than `binary`.
pub fn refuse_newer(database: i64, binary: i64) -> Result<(), NewerSchema> {
    if database > binary {
        Err(NewerSchema { database, binary })
    } else {
        Ok(())
    }
}

/// Applies `runner`'s pending migrations up to `target` in ONE transaction together with
/// their history rows. refinery's default runs each migration's SQL and its history row in
/// two separate transactions, so a crash between them, or a failure in a later migration,
/// left a half-upgraded database; grouped, a failure leaves the database as it was.
pub(super) fn apply(
    conn: &mut Connection,
    runner: Runner,
    target: Target,
) -> anyhow::Result<Vec<i32>> {
    let binary = runner
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0);
    refuse_newer(version_of(conn)?, binary)?;
    let report = runner.set_grouped(true).set_target(target).run(conn)?;
    Ok(report
        .applied_migrations()
        .iter()
        .map(|m| m.version())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runner_with(extra: &str) -> Runner {
        let mut migrations = super::super::embedded::migrations::runner()
            .get_migrations()
            .clone();
        migrations.push(refinery::Migration::unapplied("V9999__broken", extra).unwrap());
        Runner::new(&migrations)
    }

    #[test]
    fn a_failing_migration_leaves_the_database_as_it_was() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::migrate_to(&mut conn, 20).unwrap();
        conn.execute_batch(
            "INSERT INTO audit_log (at, action) VALUES ('2026-01-01T00:00:00Z', 'kept')",
        )
        .unwrap();
        let tables = |conn: &Connection| -> Vec<String> {
            conn.prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let before = tables(&conn);
        // V21..V23 succeed inside the group; the broken one fails after a first statement.
        let failed = apply(
            &mut conn,
            runner_with("CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);"),
            Target::Latest,
        );
        assert!(failed.is_err());
        assert_eq!(version_of(&conn).unwrap(), 20);
        assert_eq!(tables(&conn), before);
        let kept: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'kept'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, 1);
    }

    #[test]
    fn a_database_newer_than_the_binary_is_refused_before_any_migration() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::migrate(&mut conn).unwrap();
        let latest = super::super::latest_migration_version();
        let newer = runner_with("SELECT 1;");
        apply(&mut conn, newer, Target::Latest).unwrap();
        let refused = super::super::migrate(&mut conn).unwrap_err();
        assert_eq!(
            refused.downcast_ref::<NewerSchema>(),
            Some(&NewerSchema {
                database: 9999,
                binary: latest
            })
        );
    }

    #[test]
    fn an_untouched_open_creates_no_file_beside_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a b%.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            conn.execute_batch("PRAGMA journal_mode = WAL").unwrap();
            super::super::migrate_to(&mut conn, 3).unwrap();
        }
        let before: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(version_at(&path).unwrap(), Some(3));
        let after: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(before, after);
        assert_eq!(version_at(&dir.path().join("none.db")).unwrap(), None);
        assert!(!dir.path().join("none.db").exists());
    }
}
