//! Moves committed WAL frames into the database file on its own thread and connection, so
//! the writer's commits never pay for a checkpoint (copying pages and syncing the file).
//! With replication on, Litestream checkpoints instead (see [`Checkpoints`]).

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// How often the WAL is checkpointed while the server runs.
const INTERVAL: Duration = Duration::from_millis(200);

/// Frames (pages) the WAL may hold before the checkpointer starts it again from the
/// beginning: 64 MiB of 4 KiB pages. A PASSIVE checkpoint copies frames but the WAL only
/// starts over when the writer finds it copied and no reader in it; under a steady flood of
/// writes and reads that moment never comes, the WAL grows by hundreds of megabytes and
/// every read looks pages up through its whole index (reads of a 50x school took seconds).
pub const RESTART_FRAMES: i64 = 16 * 1024;

/// Who checkpoints the WAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoints {
    /// The server: a PASSIVE checkpoint every [`INTERVAL`], a TRUNCATE when the WAL holds
    /// more than [`RESTART_FRAMES`], and a TRUNCATE at close.
    Own,
    /// Litestream, which copies WAL frames to the replica before it checkpoints them. A
    /// checkpoint of ours would either wait on its read lock (a TRUNCATE at close waited the
    /// whole 5 s busy timeout and came back busy) or, while it is down, move frames it never
    /// shipped into the file and force a full new snapshot.
    LeftToReplication,
}

/// `PRAGMA wal_checkpoint(mode)`'s answer: busy (1 when it could not finish), frames in the
/// WAL, frames copied into the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointResult {
    pub busy: i64,
    pub log: i64,
    pub checkpointed: i64,
}

/// Runs one checkpoint and logs its result: a busy one as a warning, since the WAL then
/// keeps frames the next start has to read.
pub fn run(conn: &Connection, mode: &str) -> rusqlite::Result<CheckpointResult> {
    let result = conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
        Ok(CheckpointResult {
            busy: r.get(0)?,
            log: r.get(1)?,
            checkpointed: r.get(2)?,
        })
    })?;
    let CheckpointResult {
        busy,
        log,
        checkpointed,
    } = result;
    if busy != 0 {
        tracing::warn!(mode, busy, log, checkpointed, "WAL checkpoint was busy");
    } else if mode == "PASSIVE" {
        // Five times a second: only worth reading when tracing the database.
        tracing::debug!(mode, busy, log, checkpointed, "WAL checkpoint");
    } else {
        tracing::info!(mode, busy, log, checkpointed, "WAL checkpoint");
    }
    Ok(result)
}

/// PASSIVE never waits for readers or the writer (what it cannot copy now is copied next
/// time); a WAL grown past `restart_frames` is emptied with TRUNCATE, which holds the writer
/// back while the readers still in it finish (milliseconds) and within the busy timeout.
fn checkpoint(conn: &Connection, restart_frames: i64) -> rusqlite::Result<()> {
    let passive = run(conn, "PASSIVE")?;
    if passive.log > restart_frames {
        run(conn, "TRUNCATE")?;
    }
    Ok(())
}

pub struct Checkpointer {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Checkpointer {
    /// Starts checkpointing with `conn` (a connection of its own) every [`INTERVAL`],
    /// starting the WAL over once it holds more than `restart_frames`.
    pub fn start(conn: Connection, restart_frames: i64) -> anyhow::Result<Checkpointer> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("db-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(INTERVAL) {
                    if let Err(e) = checkpoint(&conn, restart_frames) {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                    }
                }
            })?;
        Ok(Checkpointer { stop, thread })
    }

    /// Stops the thread (the writer's final checkpoint takes over).
    pub fn stop(self) {
        drop(self.stop);
        if self.thread.join().is_err() {
            tracing::error!("WAL checkpoint thread panicked");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_reports_busy_log_and_checkpointed_frames() {
        let dir = std::env::temp_dir().join(format!("sh-ckpt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let conn = Connection::open(dir.join("t.db")).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
             CREATE TABLE t (x); INSERT INTO t VALUES (1);",
        )
        .unwrap();
        let result = run(&conn, "TRUNCATE").unwrap();
        assert_eq!(result.busy, 0);
        assert_eq!(result.log, result.checkpointed);
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The WAL file's largest size while a writer commits without pause and two readers
    /// read without pause for `run`, with the checkpointer starting it over past
    /// `restart_frames`.
    fn largest_wal_under_flood(restart_frames: i64, run: Duration) -> u64 {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("flood.db");
        let open = || {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                 PRAGMA wal_autocheckpoint = 0; PRAGMA busy_timeout = 5000;",
            )
            .unwrap();
            conn
        };
        open()
            .execute_batch("CREATE TABLE t (x BLOB); INSERT INTO t VALUES (zeroblob(4000));")
            .unwrap();
        let checkpointer = Checkpointer::start(open(), restart_frames).unwrap();
        let done = Arc::new(AtomicBool::new(false));
        let mut threads = Vec::new();
        for reading in [false, true, true] {
            let (done, conn) = (Arc::clone(&done), open());
            threads.push(std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    if reading {
                        let _: i64 = conn
                            .query_row("SELECT length(x) FROM t WHERE rowid = 1", [], |r| r.get(0))
                            .unwrap();
                    } else {
                        conn.execute("INSERT INTO t VALUES (zeroblob(4000))", [])
                            .unwrap();
                    }
                }
            }));
        }
        let wal = path.with_extension("db-wal");
        let (started, mut largest) = (std::time::Instant::now(), 0);
        while started.elapsed() < run {
            largest = largest.max(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
            std::thread::sleep(Duration::from_millis(10));
        }
        done.store(true, Ordering::Relaxed);
        threads.into_iter().for_each(|t| t.join().unwrap());
        checkpointer.stop();
        largest
    }

    #[test]
    fn a_wal_that_never_finds_a_quiet_moment_is_started_over_past_its_bound() {
        let run = Duration::from_millis(1500);
        // Without the bound (the control): the WAL only grows, since the writer never
        // begins while every frame is copied and no reader is in it.
        let unbounded = largest_wal_under_flood(i64::MAX, run);
        let bounded = largest_wal_under_flood(256, run);
        let frames = |bytes: u64| bytes / 4096;
        assert!(
            frames(unbounded) > 4 * 256,
            "the flood never outgrew the bound: {unbounded} bytes"
        );
        assert!(
            bounded * 2 < unbounded,
            "bounded WAL reached {bounded} bytes, unbounded {unbounded}"
        );
    }

    #[tokio::test]
    async fn with_replication_the_server_leaves_the_wal_to_litestream_and_otherwise_empties_it() {
        for (checkpoints, emptied) in [
            (Checkpoints::Own, true),
            (Checkpoints::LeftToReplication, false),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let config = crate::config::DatabaseConfig::default();
            let db = crate::db::Db::open(dir.path(), &config, checkpoints).unwrap();
            db.write(|conn| {
                conn.execute_batch("CREATE TABLE IF NOT EXISTS t (x); INSERT INTO t VALUES (1);")?;
                Ok::<_, crate::http::AppError>(())
            })
            .await
            .unwrap();
            db.close();
            let wal =
                std::fs::metadata(dir.path().join(crate::db::DB_FILE).with_extension("db-wal"))
                    .map(|m| m.len())
                    .unwrap_or(0);
            assert_eq!(
                wal == 0,
                emptied,
                "{checkpoints:?}: WAL of {wal} bytes after close"
            );
        }
    }
}
