//! SQLite's whole-database checks of a backup or a restored copy, spread over the
//! machine's cores, each check on its own read-only connection.
//!
//! `PRAGMA integrity_check` runs on one core and spends most of its time checking every
//! index against its table's rows (61 of 67 seconds for a 7 GB school). The same checks,
//! split: `quick_check` (every page and B-tree, the file's page accounting, NOT NULL and
//! CHECK constraints), then `integrity_check(table)` for each table that has indexes (its
//! indexes against its rows, UNIQUE included), and `foreign_key_check`.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};

use super::store;

/// What the checks found; both empty when the database is sound.
#[derive(Debug, Default)]
pub struct Findings {
    /// Damage reported by `quick_check` or a table's `integrity_check`.
    pub damage: Vec<String>,
    /// Rows pointing at missing parents.
    pub broken_references: Vec<String>,
}

/// One check, run alone on a connection.
#[derive(Debug, PartialEq, Eq)]
enum Task {
    Pages,
    Table(String),
    ForeignKeys,
}

/// Runs every check of the database at `db` on up to four threads (one per core).
pub fn check(db: &Path) -> anyhow::Result<Findings> {
    let tasks = plan(&store::indexed_tables(&open(db)?)?);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(tasks.len());
    let queue = Mutex::new(tasks);
    let findings = Mutex::new(Findings::default());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| work(db, &queue, &findings)))
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })?;
    let mut findings = findings.into_inner().unwrap_or_else(|p| p.into_inner());
    // A table's broken B-tree is named by its own check and by the page check.
    findings.damage.sort();
    findings.damage.dedup();
    Ok(findings)
}

/// The checks, the costliest taken first so that no thread is left with a big one at the
/// end. A table's check costs about one index lookup per row and index; the page check and
/// the foreign keys about one visit per row.
fn plan(indexed_tables: &[(String, i64, i64)]) -> Vec<Task> {
    let all_rows: i64 = indexed_tables.iter().map(|(_, rows, _)| rows).sum();
    let mut weighed: Vec<(i64, Task)> = indexed_tables
        .iter()
        .map(|(table, rows, indexes)| (rows * indexes, Task::Table(table.clone())))
        .collect();
    weighed.push((all_rows, Task::Pages));
    weighed.push((all_rows, Task::ForeignKeys));
    weighed.sort_by_key(|(cost, _)| *cost);
    // Popped from the end: the costliest first.
    weighed.into_iter().map(|(_, task)| task).collect()
}

fn open(db: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// One thread: takes checks from the queue until it is empty.
fn work(db: &Path, queue: &Mutex<Vec<Task>>, findings: &Mutex<Findings>) -> anyhow::Result<()> {
    let conn = open(db)?;
    loop {
        let Some(task) = queue.lock().unwrap_or_else(|p| p.into_inner()).pop() else {
            return Ok(());
        };
        let found = match &task {
            Task::Pages => store::integrity_problems(&conn, true)?,
            Task::Table(table) => store::table_integrity_problems(&conn, table)?,
            Task::ForeignKeys => store::foreign_key_problems(&conn)?,
        };
        let mut findings = findings.lock().unwrap_or_else(|p| p.into_inner());
        match task {
            Task::ForeignKeys => findings.broken_references.extend(found),
            _ => findings.damage.extend(found),
        }
    }
}

#[cfg(test)]
mod tests;
