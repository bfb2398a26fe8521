//! Per-table change counters, raised after each commit that changed the table, so caches of
//! data derived from those tables know when an entry is stale.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rusqlite::Connection;
use rusqlite::hooks::Action;

/// The tables of the database, each with a counter of the commits that changed it.
pub struct TableChanges {
    index: HashMap<String, usize>,
    counters: Vec<AtomicU64>,
    /// Tables changed by the transaction in progress; the writer thread sets and clears them.
    touched: Vec<AtomicBool>,
}

impl TableChanges {
    /// Knows every table `conn`'s database has now (run after migrations).
    pub fn of_schema(conn: &Connection) -> rusqlite::Result<Arc<TableChanges>> {
        let names = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(Arc::new(TableChanges {
            counters: names.iter().map(|_| AtomicU64::new(0)).collect(),
            touched: names.iter().map(|_| AtomicBool::new(false)).collect(),
            index: names
                .into_iter()
                .enumerate()
                .map(|(i, name)| (name, i))
                .collect(),
        }))
    }

    /// Marks the tables `conn` changes from now on (rows written by triggers included).
    pub fn watch(self: &Arc<Self>, conn: &Connection) -> rusqlite::Result<()> {
        let changes = self.clone();
        conn.update_hook(Some(move |_: Action, _: &str, table: &str, _: i64| {
            if let Some(&i) = changes.index.get(table) {
                changes.touched[i].store(true, Ordering::Relaxed);
            }
        }))
    }

    /// Raises the counter of every table marked since the last call. The writer calls it once
    /// the transaction has ended (committed or rolled back: a needless raise costs only a
    /// cache miss), so a reader that sees the new count also sees the committed rows.
    pub fn publish(&self) {
        for (i, touched) in self.touched.iter().enumerate() {
            if touched.swap(false, Ordering::Relaxed) {
                self.counters[i].fetch_add(1, Ordering::Release);
            }
        }
    }

    /// Whether the transaction in progress has changed any of `tables` (unknown names: no).
    pub fn touched_any(&self, tables: &[&str]) -> bool {
        tables
            .iter()
            .filter_map(|t| self.index.get(*t))
            .any(|&i| self.touched[i].load(Ordering::Relaxed))
    }

    /// A number that grows whenever any of `tables` changes; unknown names count as unchanged.
    pub fn generation(&self, tables: &[&str]) -> u64 {
        tables
            .iter()
            .filter_map(|t| self.index.get(*t))
            .map(|&i| self.counters[i].load(Ordering::Acquire))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE courses (id TEXT PRIMARY KEY, rating_count INTEGER NOT NULL DEFAULT 0);
             CREATE TABLE reviews (id INTEGER PRIMARY KEY, course_id TEXT NOT NULL);
             CREATE TABLE carts (id INTEGER PRIMARY KEY);
             CREATE TRIGGER reviews_count AFTER INSERT ON reviews BEGIN
               UPDATE courses SET rating_count = rating_count + 1 WHERE id = NEW.course_id;
             END;
             INSERT INTO courses (id) VALUES ('c1');",
        )
        .unwrap();
        conn
    }

    #[test]
    fn a_change_is_counted_only_once_published_and_only_for_its_tables() {
        let conn = database();
        let changes = TableChanges::of_schema(&conn).unwrap();
        changes.watch(&conn).unwrap();
        conn.execute("INSERT INTO carts DEFAULT VALUES", [])
            .unwrap();
        assert_eq!(changes.generation(&["courses"]), 0);
        changes.publish();
        assert_eq!(changes.generation(&["courses", "reviews"]), 0);
        assert_eq!(changes.generation(&["carts"]), 1);
        changes.publish();
        assert_eq!(changes.generation(&["carts"]), 1, "nothing new was written");
    }

    #[test]
    fn rows_written_by_triggers_count_for_their_table() {
        let conn = database();
        let changes = TableChanges::of_schema(&conn).unwrap();
        changes.watch(&conn).unwrap();
        conn.execute("INSERT INTO reviews (course_id) VALUES ('c1')", [])
            .unwrap();
        changes.publish();
        assert_eq!(changes.generation(&["courses"]), 1);
        assert_eq!(changes.generation(&["courses", "reviews"]), 2);
        assert_eq!(changes.generation(&["no_such_table"]), 0);
    }
}
