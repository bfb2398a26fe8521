//! The split checks find what `PRAGMA integrity_check` finds, on sound and damaged files.

use std::path::Path;

use rusqlite::Connection;

use super::{Task, check, plan};

/// A school of two tables with indexes and a foreign key, 2,000 rows each.
fn school(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE buyers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT);
         CREATE TABLE orders (id INTEGER PRIMARY KEY, buyer INTEGER REFERENCES buyers (id),
             total INTEGER NOT NULL, note TEXT);
         CREATE INDEX orders_buyer ON orders (buyer);
         CREATE INDEX orders_total ON orders (total);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
         INSERT INTO buyers SELECT i, 'b' || i || '@example.com', 'Buyer ' || i FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
         INSERT INTO orders SELECT i, i, i * 100, 'note ' || i FROM n;",
    )
    .unwrap();
    conn
}

/// The whole `PRAGMA integrity_check` finds damage in `path`, and so does the split check,
/// naming `needle`.
fn assert_found_by_both(path: &Path, needle: &str) {
    let conn = Connection::open(path).unwrap();
    assert!(
        !crate::ops::store::integrity_problems(&conn, false)
            .unwrap()
            .is_empty()
    );
    let damage = check(path).unwrap().damage;
    assert!(damage.iter().any(|d| d.contains(needle)), "{damage:?}");
}

#[test]
fn a_sound_database_passes_every_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    drop(school(&path));
    let findings = check(&path).unwrap();
    assert!(findings.damage.is_empty(), "{:?}", findings.damage);
    assert!(findings.broken_references.is_empty());
}

#[test]
fn an_index_that_disagrees_with_its_rows_is_found_as_the_whole_check_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let conn = school(&path);
    // Point the index's definition at another column: its entries no longer match the
    // rows, damage that only the index-against-rows part of integrity_check sees.
    conn.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_master SET sql = 'CREATE INDEX orders_total ON orders (id)'
         WHERE name = 'orders_total';
         PRAGMA writable_schema = OFF;",
    )
    .unwrap();
    drop(conn);
    let quick = crate::ops::store::integrity_problems(&Connection::open(&path).unwrap(), true);
    assert!(quick.unwrap().is_empty(), "quick_check alone misses it");
    assert_found_by_both(&path, "orders_total");
}

#[test]
fn pages_lost_from_the_free_list_are_found_as_the_whole_check_finds_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let conn = school(&path);
    conn.execute("DELETE FROM orders WHERE id > 200", [])
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&path).unwrap();
    // Empty the header's free list (its first trunk page and its length): the freed pages
    // now belong to nothing, which only the whole file's page accounting can see.
    assert_ne!(bytes[32..40], [0; 8], "the delete freed no pages");
    bytes[32..40].fill(0);
    std::fs::write(&path, bytes).unwrap();
    assert_found_by_both(&path, "never used");
}

#[test]
fn rows_pointing_at_missing_parents_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("school.db");
    let conn = school(&path);
    conn.execute_batch("PRAGMA foreign_keys = OFF; DELETE FROM buyers WHERE id = 7")
        .unwrap();
    drop(conn);
    let findings = check(&path).unwrap();
    assert!(findings.damage.is_empty(), "{:?}", findings.damage);
    assert_eq!(findings.broken_references, ["orders row 7 -> buyers"]);
}

#[test]
fn the_costliest_checks_are_taken_first() {
    let tables = [
        ("buyers".to_string(), 2_000, 1),
        ("orders".to_string(), 2_000, 5),
        ("tags".to_string(), 10, 1),
    ];
    let mut tasks = plan(&tables);
    let order: Vec<Task> = std::iter::from_fn(|| tasks.pop()).collect();
    assert_eq!(order[0], Task::Table("orders".into()));
    assert_eq!(order.last(), Some(&Task::Table("tags".into())));
    assert_eq!(order.len(), 5);
}
