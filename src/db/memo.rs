//! Stamps that tell the database writer whether tables changed since it last read them, so
//! it can keep values derived from them between writes.

use std::cell::RefCell;
use std::sync::Arc;

use rusqlite::Connection;

use super::changes::TableChanges;

thread_local! {
    /// The change counters of the database whose writer runs on this thread, if one does.
    static WRITER_CHANGES: RefCell<Option<Arc<TableChanges>>> = const { RefCell::new(None) };
}

/// Marks the calling thread as the writer of the database whose changes `changes` counts.
pub(super) fn serve_on_this_thread(changes: Arc<TableChanges>) {
    WRITER_CHANGES.with_borrow_mut(|slot| *slot = Some(changes));
}

/// The state of some tables as the writer's connection sees them: two equal stamps taken on
/// the writer thread mean no row of those tables changed in between, through this process
/// (`TableChanges`) or any other (`PRAGMA data_version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    generation: u64,
    data_version: i64,
}

/// The stamp of `tables` now, or None where no stamp can vouch for a value: off the writer
/// thread, or while the transaction in progress has changed one of the tables (its changes
/// are not counted until it ends, and may yet be rolled back).
pub fn writer_stamp(conn: &Connection, tables: &[&str]) -> rusqlite::Result<Option<Stamp>> {
    let Some(changes) = WRITER_CHANGES.with_borrow(|slot| slot.clone()) else {
        return Ok(None);
    };
    if changes.touched_any(tables) {
        return Ok(None);
    }
    let data_version = conn
        .prepare_cached("PRAGMA data_version")?
        .query_row([], |r| r.get(0))?;
    Ok(Some(Stamp {
        generation: changes.generation(tables),
        data_version,
    }))
}
