//! The database: SQLite in WAL mode, a pool of readers and one group-committing writer.

mod changes;
mod checkpoint;
pub mod dry_run;
mod memo;
mod migrations;
pub mod schema;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;

use crate::config::DatabaseConfig;
use crate::http::error::AppError;

pub use changes::TableChanges;
pub use checkpoint::{CheckpointResult, Checkpoints};
pub use memo::{Stamp, writer_stamp};
pub use migrations::{
    MigrationState, applied_migration_count, known_migration_count, known_migration_versions,
    latest_migration_version, migrate, migrate_to, migration_status, migration_status_of_nothing,
    pending_migrations,
};
pub use writer::{WRITER_NICENESS, WriterStats};

pub(crate) mod embedded {
    refinery::embed_migrations!("migrations");
}

pub const DB_FILE: &str = "schoolhouse.db";

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    readers: r2d2::Pool<SqliteConnectionManager>,
    /// One permit per reader connection: reads queue here, as futures, rather than each
    /// holding a blocking thread while it waits for a connection.
    read_slots: Arc<tokio::sync::Semaphore>,
    writer: Mutex<Option<writer::Writer>>,
    changes: Arc<TableChanges>,
    /// None when Litestream checkpoints (see [`Checkpoints`]).
    checkpointer: Mutex<Option<checkpoint::Checkpointer>>,
}

/// Page cache of the writer (and CLI connections), in KiB: enough for the pages writes
/// keep coming back to (the ends of tables and their indexes); the rest is one read from
/// the operating system's file cache away.
const WRITER_CACHE_KIB: u32 = 4 * 1024;
/// Page cache of each reader, in KiB: SQLite empties a reader's cache whenever another
/// connection has written since its last read, so under writes a large one holds little
/// that is reused, while it keeps its memory.
const READER_CACHE_KIB: u32 = 256;
/// Page cache of the checkpointer, in KiB: it copies WAL frames and reads little else.
const CHECKPOINTER_CACHE_KIB: u32 = 512;

fn configure(conn: &Connection, config: &DatabaseConfig, cache_kib: u32) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_millis(config.busy_timeout_ms))?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
         PRAGMA foreign_keys = ON;
         PRAGMA synchronous = {};
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -{cache_kib};",
        config.synchronous.as_sql()
    ))?;
    conn.set_prepared_statement_cache_capacity(256);
    Ok(())
}

/// Opens a single read-write connection with the project's pragmas (CLI tools, migrations).
pub fn open_connection(path: &Path, config: &DatabaseConfig) -> anyhow::Result<Connection> {
    let conn = Connection::open(path)?;
    configure(&conn, config, WRITER_CACHE_KIB)?;
    Ok(conn)
}

impl Db {
    /// Opens (creating if needed) the database in `data_dir`, applies pending migrations
    /// and starts the writer (and the checkpointer when `checkpoints` is `Own`).
    pub fn open(
        data_dir: &Path,
        config: &DatabaseConfig,
        checkpoints: Checkpoints,
    ) -> anyhow::Result<Db> {
        let path = data_dir.join(DB_FILE);
        let mut write_conn = open_connection(&path, config)?;
        migrate(&mut write_conn)?;
        // Checkpoints run on their own thread or between commits (see `checkpoint`), never
        // inside a commit.
        write_conn.execute_batch("PRAGMA wal_autocheckpoint = 0;")?;
        let changes = TableChanges::of_schema(&write_conn)?;
        changes.watch(&write_conn)?;
        let checkpointer = match checkpoints {
            Checkpoints::Own => {
                let checkpoint_conn = Connection::open(&path)?;
                configure(&checkpoint_conn, config, CHECKPOINTER_CACHE_KIB)?;
                Some(checkpoint::Checkpointer::start(checkpoint_conn)?)
            }
            Checkpoints::LeftToReplication => None,
        };
        let wal = checkpointer
            .as_ref()
            .map(|c| c.plan(checkpoint::RESTART_FRAMES));
        let reader_config = config.clone();
        let manager = SqliteConnectionManager::file(&path).with_init(move |conn| {
            configure(conn, &reader_config, READER_CACHE_KIB)?;
            // A report's sorts and DISTINCTs over millions of rows spill to a temporary file
            // (the operating system's cache) past a few pages instead of growing the heap
            // by hundreds of MiB per request; small sorts stay in memory either way.
            conn.execute_batch("PRAGMA query_only = ON; PRAGMA temp_store = FILE;")
        });
        let readers = r2d2::Pool::builder()
            .max_size(config.read_pool_size)
            .min_idle(Some(1))
            .build(manager)?;
        Ok(Db {
            inner: Arc::new(Inner {
                path,
                readers,
                read_slots: Arc::new(tokio::sync::Semaphore::new(config.read_pool_size as usize)),
                writer: Mutex::new(Some(writer::Writer::start(
                    write_conn,
                    changes.clone(),
                    wal,
                )?)),
                changes,
                checkpointer: Mutex::new(checkpointer),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` on a read-only connection off the async runtime.
    pub async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.inner.readers.clone();
        let span = tracing::Span::current();
        let slot = self
            .inner
            .read_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Unavailable("the server is shutting down".into()))?;
        let joined = tokio::task::spawn_blocking(move || {
            // Held until the read is done, even if the caller has gone away meanwhile.
            let _slot = slot;
            let _entered = span.enter();
            let conn = pool.get().map_err(|e| {
                AppError::Unavailable(crate::msg!(
                    "problem-no-db-connection",
                    cause = e.to_string()
                ))
            })?;
            f(&conn)
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(AppError::Internal(e.into())),
        }
    }

    /// Runs `f` inside the single writer's `BEGIN IMMEDIATE` transaction (grouped with other
    /// writes into one commit). `Err` or a panic rolls back only this closure's changes; the
    /// result is returned once the commit is durable. `f` may run more than once (its first
    /// run rolled back when another write of its group fails), so it must not act outside
    /// the database: do that after `write` returns.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: Fn(&Connection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let submitted = {
            let guard = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
            match guard.as_ref() {
                Some(writer) => writer.submit(f),
                None => return Err(AppError::Unavailable("the server is shutting down".into())),
            }
        };
        match submitted.await {
            Ok(Ok(result)) => result,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => Err(AppError::Unavailable("the database writer stopped".into())),
        }
    }

    /// A number that grows after every committed write to any of `tables` (see
    /// [`TableChanges::generation`]); writes made by other processes are not seen.
    pub fn generation(&self, tables: &[&str]) -> u64 {
        self.inner.changes.generation(tables)
    }

    pub fn writer_stats(&self) -> Option<WriterStats> {
        let guard = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map(|w| w.stats())
    }

    /// Lets queued writes finish, stops the writer and checkpoints the WAL (unless
    /// Litestream checkpoints).
    pub fn close(&self) {
        let checkpointer = self
            .inner
            .checkpointer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(checkpointer) = checkpointer {
            checkpointer.stop();
        }
        let writer = self
            .inner
            .writer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(writer) = writer {
            writer.shutdown();
        }
    }
}

#[cfg(test)]
impl Db {
    /// A database in `dir` with the default settings, checkpointing itself (for tests).
    pub fn open_in(dir: &Path) -> Db {
        Db::open(dir, &DatabaseConfig::default(), Checkpoints::Own).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_reader_sorts_more_rows_than_its_cache_holds_in_a_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_in(dir.path());
        let (temp_store, sorted) = db
            .read(|conn| {
                let temp_store: i64 = conn.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
                // 300,000 rows in a scrambled order: megabytes against a 256 KiB cache.
                let sorted: Vec<i64> = conn
                    .prepare(
                        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n
                            WHERE x < 300000)
                         SELECT x FROM n ORDER BY (x * 7919) % 300007 DESC, x LIMIT 3",
                    )?
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                Ok((temp_store, sorted))
            })
            .await
            .unwrap();
        db.close();
        assert_eq!(temp_store, 1, "readers keep their sorts in files");
        let key = |x: i64| (x * 7919) % 300007;
        assert!(key(sorted[0]) >= key(sorted[1]) && key(sorted[1]) >= key(sorted[2]));
        assert_eq!(key(sorted[0]), (1..=300000).map(key).max().unwrap());
    }

    /// An in-memory database migrated up to `version`, with foreign keys off so a test can
    /// store rows without their parents before the migration under test runs.
    fn migrated_to(version: i32) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(version))
            .run(&mut conn)
            .unwrap();
        conn
    }

    #[test]
    fn no_insert_builds_a_temporary_b_tree_for_its_check_constraints() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table'
                 AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(tables.len() > 30, "{tables:?}");
        for table in &tables {
            let program: Vec<String> = conn
                .prepare(&format!("EXPLAIN INSERT INTO \"{table}\" DEFAULT VALUES"))
                .unwrap()
                .query_map([], |r| r.get(1))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert!(
                !program.iter().any(|op| op == "OpenEphemeral"),
                "an insert into {table} builds a temporary B-tree"
            );
        }
        // The rewritten constraints still refuse what they refused.
        let refused = conn.execute(
            "INSERT INTO users (id, email, password_hash, name, role, created_at, updated_at)
             VALUES ('u1', 'a@example.com', 'x', 'A', 'owner', 'now', 'now')",
            [],
        );
        assert!(
            refused
                .unwrap_err()
                .to_string()
                .contains("CHECK constraint failed"),
            "a role outside the list was stored"
        );
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }

    #[test]
    fn old_english_system_notes_become_message_names_and_typed_notes_stay() {
        let mut conn = migrated_to(37);
        let old = [
            ("order placed", "@placed"),
            ("payment received", "@payment-received"),
            ("payment reversed at PayPal", "@reversed-at-paypal"),
            ("order cancelled", "@cancelled"),
            (
                "payment not received within 30 minutes",
                "@hold-lapsed?minutes=30",
            ),
            (
                "manual payment not confirmed within 7 days",
                "@manual-hold-lapsed?days=7",
            ),
            (
                "payment not received within many minutes",
                "payment not received within many minutes",
            ),
            ("left at the door", "left at the door"),
            ("Order placed", "Order placed"),
        ];
        for (note, _) in old {
            conn.execute(
                "INSERT INTO order_events (order_id, to_status, note, created_at)
                 VALUES ('o1', 'pending', ?1, '2026-01-01T00:00:00Z')",
                [note],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap();
        let notes: Vec<String> = crate::commerce::store::orders::events(&conn, "o1")
            .unwrap()
            .into_iter()
            .filter_map(|e| e.note)
            .collect();
        let expected: Vec<&str> = old.iter().map(|(_, new)| *new).collect();
        assert_eq!(notes, expected);
        assert_eq!(
            crate::commerce::history_note::in_locale("fr", &notes[4]),
            "paiement non reçu sous 30 minutes"
        );
    }

    #[test]
    fn order_events_keep_their_order_through_their_rebuild() {
        let mut conn = migrated_to(21);
        // UUIDs that sort against the order the events happened in.
        for (id, order, to) in [
            ("c", "o1", "pending"),
            ("b", "o2", "pending"),
            ("a", "o1", "paid"),
        ] {
            conn.execute(
                "INSERT INTO order_events (id, order_id, to_status, created_at)
                 VALUES (?1, ?2, ?3, '2026-01-01T00:00:00Z')",
                [id, order, to],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap();
        let o1: Vec<String> = crate::commerce::store::orders::events(&conn, "o1")
            .unwrap()
            .into_iter()
            .map(|e| e.to)
            .collect();
        assert_eq!(o1, ["pending", "paid"]);
        let plan: Vec<String> = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT from_status FROM order_events
                 WHERE order_id = ?1 ORDER BY rowid",
            )
            .unwrap()
            .query_map(["o1"], |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // Found through the index, already in event order: no sort.
        assert_eq!(
            plan,
            ["SEARCH order_events USING INDEX order_events_order (order_id=?)"]
        );
    }

    #[test]
    fn every_table_a_cache_watches_is_seen_by_the_update_hook() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let watched = [
            crate::catalog::cache::COURSE_SOURCES,
            crate::catalog::cache::PRODUCT_SOURCES,
            crate::mail::worker::OUTBOX,
        ]
        .concat();
        for table in watched {
            // SQLite's update hook, which raises the change counters, skips WITHOUT ROWID tables.
            let without_rowid: bool = conn
                .query_row(
                    "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap_or_else(|e| panic!("{table}: {e}"));
            assert!(!without_rowid, "{table} is watched but has no rowid");
        }
    }

    #[test]
    fn lesson_progress_keeps_its_rows_through_its_rebuild() {
        let mut conn = migrated_to(22);
        conn.execute_batch(
            "INSERT INTO lesson_progress (enrollment_id, lesson_id, completed_at,
                 time_spent_seconds, updated_at)
             VALUES ('e1', 'l1', '2026-01-01T00:00:00Z', 30, '2026-01-01T00:00:00Z'),
                    ('e1', 'l2', NULL, 5, '2026-01-02T00:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        crate::learning::store::progress::add_time(&conn, "e1", "l2", 7, "2026-01-03T00:00:00Z")
            .unwrap();
        let rows: Vec<(String, Option<String>, i64)> = conn
            .prepare(
                "SELECT lesson_id, completed_at, time_spent_seconds FROM lesson_progress
                 WHERE enrollment_id = 'e1' ORDER BY lesson_id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                ("l1".into(), Some("2026-01-01T00:00:00Z".into()), 30),
                ("l2".into(), None, 12),
            ]
        );
        let (without_rowid, indexes): (bool, i64) = conn
            .query_row(
                "SELECT (SELECT wr FROM pragma_table_list WHERE name = 'lesson_progress'),
                        (SELECT COUNT(*) FROM sqlite_schema
                         WHERE type = 'index' AND tbl_name = 'lesson_progress')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        // One B-tree: the table is its primary key, with no index beside it.
        assert!(without_rowid);
        assert_eq!(indexes, 0);
    }

    #[test]
    fn the_audit_log_keeps_its_rows_and_ids_through_its_rebuild() {
        let mut conn = migrated_to(19);
        conn.execute_batch(
            "INSERT INTO audit_log (id, at, actor_id, action, target_type, target_id, ip, detail)
             VALUES (7, '2026-01-01T00:00:00Z', 'u1', 'order.created', 'order', 'o1', '10.0.0.1',
                     '{\"total_cents\":100}');
             INSERT INTO audit_log (at, action) VALUES ('2026-01-02T00:00:00Z', 'login.failed');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let rows: Vec<(i64, String, Option<String>, Option<String>)> = conn
            .prepare("SELECT id, action, actor_id, ip FROM audit_log ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (
                    7,
                    "order.created".into(),
                    Some("u1".into()),
                    Some("10.0.0.1".into())
                ),
                (8, "login.failed".into(), None, None),
            ]
        );
        conn.execute(
            "INSERT INTO audit_log (at, action) VALUES ('2026-01-03T00:00:00Z', 'x')",
            [],
        )
        .unwrap();
        assert_eq!(conn.last_insert_rowid(), 9);
        assert!(
            conn.execute("DELETE FROM audit_log WHERE id = 9", [])
                .is_err()
        );
        let indexes: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'
                 ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // Only partial indexes (V28, V41): the buyer's row of each order adds no random
        // B-tree page to the checkout's write.
        assert_eq!(
            indexes,
            [
                "audit_log_by_actor",
                "audit_log_by_target",
                "audit_log_email_changes"
            ]
        );
    }
}
