//! Moves committed WAL frames into the database file on its own thread and connection, so
//! the writer's commits never pay for copying pages, and keeps the WAL within a bound from
//! the writer's side. With replication on, Litestream checkpoints instead (see
//! [`Checkpoints`]).

use std::cell::Cell;
use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// How often the WAL is checkpointed while the server runs.
const INTERVAL: Duration = Duration::from_millis(200);

/// Frames (pages) the WAL may hold before the writer starts it over from the beginning:
/// 64 MiB of 4 KiB pages. A PASSIVE checkpoint copies frames, but the WAL only starts over
/// when the writer begins a transaction while every frame is copied and no reader is in it;
/// under a steady flood of writes and reads that moment never comes, the WAL grows by
/// hundreds of megabytes and every read looks pages up through its whole index (reads of
/// a 50x school took seconds).
pub const RESTART_FRAMES: i64 = 16 * 1024;

/// How long a restart of the WAL waits for the readers still in it. Requests read for
/// milliseconds; a longer hold is an export streaming a snapshot, and writes should not
/// wait for it.
const RESTART_WAIT: Duration = Duration::from_millis(25);

/// Who checkpoints the WAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoints {
    /// The server: a PASSIVE checkpoint every [`INTERVAL`] on its own thread, a RESTART by
    /// the writer between two commits once the WAL holds more than [`RESTART_FRAMES`]
    /// (see [`WalBound`]), and a TRUNCATE at close.
    Own,
    /// Litestream, which copies WAL frames to the replica before it checkpoints them. A
    /// checkpoint of ours would either wait on its read lock (a TRUNCATE at close waited the
    /// whole 5 s busy timeout and came back busy) or, while it is down, move frames it never
    /// shipped into the file and force a full new snapshot.
    LeftToReplication,
}

/// `PRAGMA wal_checkpoint(mode)`'s answer: busy (1 when it could not finish), frames in the
/// WAL, frames copied into the database (both -1 when another checkpoint was running).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointResult {
    pub busy: i64,
    pub log: i64,
    pub checkpointed: i64,
}

/// Runs one checkpoint and logs its result: a busy one as a warning, since the WAL then
/// keeps frames the next start has to read.
pub fn run(conn: &Connection, mode: &str) -> rusqlite::Result<CheckpointResult> {
    let started = std::time::Instant::now();
    let result = query(conn, mode)?;
    let ms = started.elapsed().as_secs_f64() * 1e3;
    let CheckpointResult {
        busy,
        log,
        checkpointed,
    } = result;
    if busy != 0 {
        tracing::warn!(mode, busy, log, checkpointed, ms, "WAL checkpoint was busy");
    } else if mode == "PASSIVE" {
        // Five times a second: only worth reading when tracing the database.
        tracing::debug!(mode, busy, log, checkpointed, ms, "WAL checkpoint");
    } else {
        tracing::info!(mode, busy, log, checkpointed, ms, "WAL checkpoint");
    }
    Ok(result)
}

fn query(conn: &Connection, mode: &str) -> rusqlite::Result<CheckpointResult> {
    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
        Ok(CheckpointResult {
            busy: r.get(0)?,
            log: r.get(1)?,
            checkpointed: r.get(2)?,
        })
    })
}

pub struct Checkpointer {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
    restart_wanted: Arc<AtomicBool>,
}

impl Checkpointer {
    /// Starts a PASSIVE checkpoint with `conn` (a connection of its own) every [`INTERVAL`].
    /// PASSIVE never waits for readers or the writer: what it cannot copy now is copied
    /// next time, and what it has copied the writer's restart need not copy again.
    pub fn start(conn: Connection) -> anyhow::Result<Checkpointer> {
        let (stop, stopped) = mpsc::channel::<()>();
        let restart_wanted = Arc::new(AtomicBool::new(false));
        let wanted = Arc::clone(&restart_wanted);
        let thread = std::thread::Builder::new()
            .name("db-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(INTERVAL) {
                    if wanted.load(Ordering::Relaxed) {
                        continue;
                    }
                    if let Err(e) = run(&conn, "PASSIVE") {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                    }
                }
            })?;
        Ok(Checkpointer {
            stop,
            thread,
            restart_wanted,
        })
    }

    /// What the writer needs to keep the WAL within `restart_frames` (see [`WalBound`]).
    pub fn plan(&self, restart_frames: i64) -> WalPlan {
        WalPlan {
            restart_frames,
            restart_wanted: Arc::clone(&self.restart_wanted),
        }
    }

    /// Stops the thread (the writer's final checkpoint takes over).
    pub fn stop(self) {
        drop(self.stop);
        if self.thread.join().is_err() {
            tracing::error!("WAL checkpoint thread panicked");
        }
    }
}

thread_local! {
    /// Frames in the WAL after the last commit made on this thread (the writer's).
    static FRAMES_IN_WAL: Cell<i64> = const { Cell::new(0) };
}

fn count_frames(_: &rusqlite::hooks::Wal, frames: c_int) -> rusqlite::Result<()> {
    FRAMES_IN_WAL.set(i64::from(frames));
    Ok(())
}

/// The WAL's bound, and the flag by which the writer holds the checkpointer's PASSIVE
/// copies back while it waits to restart the WAL.
#[derive(Debug, Clone)]
pub struct WalPlan {
    restart_frames: i64,
    restart_wanted: Arc<AtomicBool>,
}

/// Keeps the WAL within a bound from the writer's own connection, between two commits.
///
/// The checkpointer thread cannot: a RESTART or TRUNCATE there must first win the write
/// lock from a writer that takes it back after every commit (SQLite's lock is not fair),
/// and when it wins it copies hundreds of megabytes while writes queue (the WAL reached
/// 247 MB at 50x despite a 64 MiB bound). The writer needs no lock: it runs a RESTART,
/// which copies the few frames the PASSIVE checkpoints have not yet copied and waits up to
/// [`RESTART_WAIT`] for the readers still in the WAL, so its next commit writes from the
/// beginning; `journal_size_limit` then cuts the file back to the bound. A checkpoint holds
/// a lock of its own, which the checkpointer's PASSIVE copies (back to back on a large
/// school) would rarely leave free, so the checkpointer starts none while a restart is
/// wanted.
pub struct WalBound {
    restart_frames: i64,
    restart_wanted: Arc<AtomicBool>,
    /// Frames past which the next restart is tried: the bound, or further on after readers
    /// held a restart up, so an export holding its snapshot is not waited for at every commit.
    next_try: i64,
    busy_timeout: Duration,
}

impl WalBound {
    /// Must run on the thread that will commit on `conn`, after its last
    /// `wal_autocheckpoint` pragma (which replaces the hook this installs).
    pub fn install(conn: &Connection, plan: WalPlan) -> rusqlite::Result<WalBound> {
        let WalPlan {
            restart_frames,
            restart_wanted,
        } = plan;
        let page_size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
        let busy_timeout_ms: u32 = conn.pragma_query_value(None, "busy_timeout", |r| r.get(0))?;
        conn.pragma_update(
            None,
            "journal_size_limit",
            restart_frames.saturating_mul(page_size),
        )?;
        conn.wal_hook(Some(count_frames));
        Ok(WalBound {
            restart_frames,
            restart_wanted,
            next_try: restart_frames,
            busy_timeout: Duration::from_millis(busy_timeout_ms.into()),
        })
    }

    /// Starts the WAL over when the last commit left more frames in it than the bound.
    pub fn after_commit(&mut self, conn: &Connection) {
        let frames = FRAMES_IN_WAL.get();
        if frames <= self.next_try {
            return;
        }
        self.restart_wanted.store(true, Ordering::Relaxed);
        match self.restart(conn) {
            Ok(CheckpointResult { busy: 0, .. }) => {
                FRAMES_IN_WAL.set(0);
                self.next_try = self.restart_frames;
            }
            // The checkpointer is finishing a PASSIVE copy and starts no other: try again
            // after the next commit.
            Ok(CheckpointResult { log: -1, .. }) => return,
            Ok(_) => self.next_try = frames + self.restart_frames / 4,
            Err(e) => {
                tracing::warn!(error = %e, "restarting the WAL failed");
                self.next_try = frames + self.restart_frames / 4;
            }
        }
        self.restart_wanted.store(false, Ordering::Relaxed);
    }

    fn restart(&self, conn: &Connection) -> rusqlite::Result<CheckpointResult> {
        let started = std::time::Instant::now();
        conn.busy_timeout(RESTART_WAIT)?;
        let result = query(conn, "RESTART");
        conn.busy_timeout(self.busy_timeout)?;
        let result = result?;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        tracing::debug!(?result, ms, "WAL restart");
        Ok(result)
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

    /// A database with a table of page-sized rows, its writer bounding the WAL at
    /// `restart_frames` and a checkpointer copying frames.
    struct Flood {
        _dir: tempfile::TempDir,
        path: std::path::PathBuf,
        writer: Arc<super::super::writer::Writer>,
        checkpointer: Checkpointer,
    }

    impl Flood {
        fn new(restart_frames: i64) -> Flood {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("flood.db");
            let conn = open(&path);
            conn.execute_batch("CREATE TABLE t (x BLOB); INSERT INTO t VALUES (zeroblob(4000));")
                .unwrap();
            let changes = crate::db::TableChanges::of_schema(&conn).unwrap();
            let checkpointer = Checkpointer::start(open(&path)).unwrap();
            let plan = checkpointer.plan(restart_frames);
            let writer = super::super::writer::Writer::start(conn, changes, Some(plan)).unwrap();
            Flood {
                _dir: dir,
                path,
                writer: Arc::new(writer),
                checkpointer,
            }
        }

        fn wal_bytes(&self) -> u64 {
            let wal = self.path.with_extension("db-wal");
            std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
        }

        /// Writes `count` rows of a page, one write each, and returns the WAL file's largest
        /// size after a write.
        fn write_pages(&self, count: usize) -> u64 {
            let mut largest = 0;
            for _ in 0..count {
                let reply = self.writer.submit(|conn| {
                    conn.execute("INSERT INTO t VALUES (zeroblob(4000))", [])?;
                    Ok(())
                });
                let outcome = reply.blocking_recv();
                assert!(matches!(outcome, Ok(Ok(Ok(())))), "{outcome:?}");
                largest = largest.max(self.wal_bytes());
            }
            largest
        }

        fn stop(self) {
            self.checkpointer.stop();
            Arc::into_inner(self.writer).unwrap().shutdown();
        }
    }

    /// A connection as the server's: WAL, no automatic checkpoint, a 30 s busy timeout.
    fn open(path: &std::path::Path) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
             PRAGMA wal_autocheckpoint = 0; PRAGMA busy_timeout = 30000;",
        )
        .unwrap();
        conn
    }

    /// The WAL file's largest size while eight threads write through the writer without
    /// pause and two read without pause.
    fn largest_wal_under_flood(restart_frames: i64) -> u64 {
        let flood = Arc::new(Flood::new(restart_frames));
        let done = Arc::new(AtomicBool::new(false));
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (done, conn) = (Arc::clone(&done), open(&flood.path));
                std::thread::spawn(move || {
                    while !done.load(Ordering::Relaxed) {
                        let _: i64 = conn
                            .query_row("SELECT length(x) FROM t WHERE rowid = 1", [], |r| r.get(0))
                            .unwrap();
                    }
                })
            })
            .collect();
        let writers: Vec<_> = (0..8)
            .map(|_| {
                let flood = Arc::clone(&flood);
                std::thread::spawn(move || flood.write_pages(1000))
            })
            .collect();
        let largest = writers.into_iter().map(|t| t.join().unwrap()).max();
        done.store(true, Ordering::Relaxed);
        readers.into_iter().for_each(|t| t.join().unwrap());
        Arc::into_inner(flood).unwrap().stop();
        largest.unwrap_or(0)
    }

    #[test]
    fn a_wal_that_never_finds_a_quiet_moment_is_started_over_past_its_bound() {
        // 8,000 writes of a page each: 31 MiB of WAL, 32 times the bound of 256 frames.
        let bound_bytes = 256 * 4096;
        // Without the writer's restarts (the control) the WAL only grows, since the writer
        // never begins while every frame is copied and no reader is in it.
        let unbounded = largest_wal_under_flood(i64::MAX);
        assert!(
            unbounded > 8 * bound_bytes,
            "the flood never outgrew the bound: {unbounded} bytes"
        );
        let bounded = largest_wal_under_flood(256);
        assert!(
            bounded < 4 * bound_bytes,
            "the WAL reached {bounded} bytes with a bound of {bound_bytes}"
        );
    }

    #[test]
    fn a_reader_holding_its_snapshot_delays_the_restart_but_not_the_writes() {
        let flood = Flood::new(256);
        let export = open(&flood.path);
        export
            .execute_batch("BEGIN; SELECT count(*) FROM t;")
            .unwrap();
        let started = std::time::Instant::now();
        let held = flood.write_pages(2000);
        // Each restart would otherwise wait out the 30 s busy timeout for the reader.
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "2,000 writes took {:?} while a reader held its snapshot",
            started.elapsed()
        );
        assert!(held > 4 * 256 * 4096, "the held WAL stayed at {held} bytes");
        export.execute_batch("COMMIT").unwrap();
        flood.write_pages(300);
        let after = flood.wal_bytes();
        assert!(
            after < 2 * 256 * 4096,
            "the WAL was still {after} bytes after the reader let go"
        );
        flood.stop();
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
