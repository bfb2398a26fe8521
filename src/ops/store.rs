//! The SQL and SQLite API calls of backups and checks: snapshots, row counts, integrity.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::manifest::COUNTED_TABLES;

/// Opens an existing database file without creating one.
pub fn open_existing(path: &Path, busy_timeout: Duration) -> anyhow::Result<Connection> {
    if !path.is_file() {
        anyhow::bail!("there is no database at {}", path.display());
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(busy_timeout)?;
    Ok(conn)
}

/// Copies a consistent snapshot of `source` into the new file `dest` with SQLite's online
/// backup API. All pages are copied in one step inside one read transaction: in WAL mode
/// that never blocks the server's writer, and unlike a paced copy it cannot be restarted
/// forever by a steady stream of writes.
pub fn snapshot(source: &Connection, dest: &Path) -> anyhow::Result<()> {
    let mut target = Connection::open(dest)?;
    {
        let backup = rusqlite::backup::Backup::new(source, &mut target)?;
        let mut waits = 0;
        loop {
            match backup.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => continue,
                // The source is momentarily locked (a checkpoint): wait briefly, retry.
                _ if waits < 500 => {
                    waits += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                _ => anyhow::bail!("the database stayed locked for 10 s; try again"),
            }
        }
    }
    // A self-contained single file: no -wal or -shm beside it in the archive.
    let _mode: String = target.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    target.close().map_err(|(_, e)| e)?;
    Ok(())
}

/// Highest applied migration version (0 when none).
pub fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    let has_history: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history')",
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

/// Row counts of the main tables this schema has.
pub fn row_counts(conn: &Connection) -> rusqlite::Result<BTreeMap<String, i64>> {
    let mut counts = BTreeMap::new();
    for table in COUNTED_TABLES {
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |r| r.get(0),
        )?;
        if exists {
            // The name comes from the fixed list above, never from input.
            let count: i64 =
                conn.query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |r| {
                    r.get(0)
                })?;
            counts.insert((*table).to_string(), count);
        }
    }
    Ok(counts)
}

/// `PRAGMA integrity_check` (or `quick_check`): the problems found, empty when sound.
pub fn integrity_problems(conn: &Connection, quick: bool) -> rusqlite::Result<Vec<String>> {
    problems(
        conn,
        if quick {
            "PRAGMA quick_check"
        } else {
            "PRAGMA integrity_check"
        },
    )
}

/// `PRAGMA integrity_check(table)`: the table's B-tree and each of its indexes against its
/// rows, without the whole file's page accounting (which `quick_check` does).
pub fn table_integrity_problems(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    problems(conn, &format!("PRAGMA integrity_check({})", quoted(table)))
}

/// Each table that has indexes, with its number of rows and of indexes.
pub fn indexed_tables(conn: &Connection) -> rusqlite::Result<Vec<(String, i64, i64)>> {
    let tables: Vec<(String, i64)> = conn
        .prepare(
            "SELECT tbl_name, COUNT(*) FROM sqlite_master WHERE type = 'index'
             GROUP BY tbl_name ORDER BY tbl_name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    tables
        .into_iter()
        .map(|(table, indexes)| {
            // A table too damaged to count is still checked: its check names the damage.
            let rows = conn
                .query_row(
                    &format!("SELECT COUNT(*) FROM {}", quoted(&table)),
                    [],
                    |r| r.get(0),
                )
                .unwrap_or(0);
            Ok((table, rows, indexes))
        })
        .collect()
}

/// A name from the schema as an SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The rows of a checking pragma other than its single "ok".
fn problems(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(pragma)?;
    let rows = statement.query_map([], |r| r.get::<_, String>(0))?;
    let mut problems = Vec::new();
    for row in rows {
        let row = row?;
        if row != "ok" {
            problems.push(row);
        }
    }
    Ok(problems)
}

/// `PRAGMA foreign_key_check`: one line per row pointing at a missing parent.
pub fn foreign_key_problems(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = statement.query_map([], |r| {
        Ok(format!(
            "{} row {} -> {}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
            r.get::<_, String>(2)?
        ))
    })?;
    rows.collect()
}

/// The tables whose rows are counted by status for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub enum StatusTable {
    Orders,
    Payments,
}

/// Rows per `status` of orders or payments (through their status indexes).
pub fn status_counts(
    conn: &Connection,
    table: StatusTable,
) -> rusqlite::Result<Vec<(String, i64)>> {
    let sql = match table {
        StatusTable::Orders => "SELECT status, COUNT(*) FROM orders GROUP BY status",
        StatusTable::Payments => "SELECT status, COUNT(*) FROM payments GROUP BY status",
    };
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Unsent mail: (still to be tried, given up after `max_attempts`).
pub fn outbox_backlog(conn: &Connection, max_attempts: u32) -> rusqlite::Result<(i64, i64)> {
    conn.prepare_cached(
        "SELECT COALESCE(SUM(attempts < ?1), 0), COALESCE(SUM(attempts >= ?1), 0)
         FROM outbox WHERE sent_at IS NULL",
    )?
    .query_row([max_attempts], |r| Ok((r.get(0)?, r.get(1)?)))
}
