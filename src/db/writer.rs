//! The single writer thread: groups queued write closures into one durable commit.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Instant;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::TableChanges;
use super::checkpoint::{WalBound, WalPlan};
use crate::http::error::AppError;

/// Upper bound of closures grouped into one commit, so one commit stays short.
const MAX_GROUP: usize = 128;

/// Groups run with a savepoint per write after a write failed (see [`run_group`]).
const CAREFUL_GROUPS: u32 = 16;

/// Nice value the writer thread asks for. Every write waits for this one thread, so when
/// request handling keeps the cores busy it should not wait its turn behind it (measured:
/// checkout p99 31-36 -> 18-22 ms, mixed load p99 at 256 connections 62-71 -> 51-56 ms;
/// -3 and -8 did no better). Raising a priority needs root, CAP_SYS_NICE or an
/// RLIMIT_NICE that allows it (install.sh's unit sets `LimitNICE=-5`); without it the
/// writer runs at the process's priority.
pub const WRITER_NICENESS: i32 = -5;

type Panic = Box<dyn std::any::Any + Send + 'static>;
pub type Reply<T> = oneshot::Receiver<Result<Result<T, AppError>, Panic>>;

trait Job: Send {
    /// Runs the closure; true when it succeeded and its changes should be kept.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Delivers the outcome once the group's commit is known.
    fn finish(self: Box<Self>, commit: Result<(), String>);
}

struct Pending<T, F> {
    work: F,
    outcome: Option<Result<Result<T, AppError>, Panic>>,
    reply: oneshot::Sender<Result<Result<T, AppError>, Panic>>,
    span: tracing::Span,
}

impl<T, F> Job for Pending<T, F>
where
    F: Fn(&Connection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let _entered = self.span.enter();
        let outcome = catch_unwind(AssertUnwindSafe(|| (self.work)(conn)));
        let ok = matches!(outcome, Ok(Ok(_)));
        self.outcome = Some(outcome);
        ok
    }

    fn finish(self: Box<Self>, commit: Result<(), String>) {
        let outcome = match (self.outcome, commit) {
            (Some(Ok(Ok(_))), Err(e)) => Ok(Err(AppError::Internal(anyhow::anyhow!(
                "database commit failed: {e}"
            )))),
            (Some(outcome), _) => outcome,
            (None, Err(e)) => Ok(Err(AppError::Internal(anyhow::anyhow!(
                "database transaction failed: {e}"
            )))),
            (None, Ok(())) => Ok(Err(AppError::Internal(anyhow::anyhow!(
                "write was never run"
            )))),
        };
        // The caller may have gone away (client disconnected); the write still stands.
        let _ = self.reply.send(outcome);
    }
}

/// Figures for metrics and benchmarks.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct WriterStats {
    pub commits: u64,
    pub writes: u64,
    pub queued: u64,
    /// Time the thread waited for writes to arrive.
    pub idle_seconds: f64,
    /// Time spent in `COMMIT`: writing the WAL frames and syncing them.
    pub commit_seconds: f64,
}

struct Counters {
    commits: AtomicU64,
    writes: AtomicU64,
    submitted: AtomicU64,
    /// What the nanosecond figures below count from.
    started: Instant,
    /// Finished waits for writes; a wait in progress is in `waiting_since`.
    idle_nanos: AtomicU64,
    /// When the current wait for writes began (nanoseconds after `started`, plus one), or 0.
    waiting_since: AtomicU64,
    commit_nanos: AtomicU64,
}

impl Counters {
    fn new() -> Counters {
        Counters {
            commits: AtomicU64::new(0),
            writes: AtomicU64::new(0),
            submitted: AtomicU64::new(0),
            started: Instant::now(),
            idle_nanos: AtomicU64::new(0),
            waiting_since: AtomicU64::new(0),
            commit_nanos: AtomicU64::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn add_commit_time(&self, since: Instant) {
        let nanos = u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.commit_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    fn start_waiting(&self) {
        self.waiting_since.store(self.now() + 1, Ordering::Relaxed);
    }

    fn stop_waiting(&self) {
        let since = self.waiting_since.swap(0, Ordering::Relaxed);
        if since > 0 {
            let waited = (self.now() + 1).saturating_sub(since);
            self.idle_nanos.fetch_add(waited, Ordering::Relaxed);
        }
    }

    /// Seconds spent waiting for writes, the wait in progress included.
    fn idle_seconds(&self) -> f64 {
        let since = self.waiting_since.load(Ordering::Relaxed);
        let ongoing = match since {
            0 => 0,
            _ => (self.now() + 1).saturating_sub(since),
        };
        (self.idle_nanos.load(Ordering::Relaxed) + ongoing) as f64 / 1e9
    }
}

pub struct Writer {
    queue: mpsc::Sender<Box<dyn Job>>,
    thread: JoinHandle<()>,
    counters: Arc<Counters>,
}

impl Writer {
    /// Starts the writer thread on `conn`, whose update hook feeds `changes`. With a `wal`
    /// plan the server checkpoints: the writer keeps the WAL within its bound and empties it
    /// at shutdown; without one Litestream checkpoints (see [`super::Checkpoints`]).
    pub fn start(
        conn: Connection,
        changes: Arc<TableChanges>,
        wal: Option<WalPlan>,
    ) -> anyhow::Result<Writer> {
        let (queue, jobs) = mpsc::channel::<Box<dyn Job>>();
        let counters = Arc::new(Counters::new());
        let thread_counters = counters.clone();
        let thread = std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || {
                raise_priority();
                super::memo::serve_on_this_thread(changes.clone());
                run_writer(conn, jobs, &thread_counters, &changes, wal)
            })?;
        Ok(Writer {
            queue,
            thread,
            counters,
        })
    }

    pub fn submit<T, F>(&self, work: F) -> Reply<T>
    where
        F: Fn(&Connection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, receiver) = oneshot::channel();
        let job = Box::new(Pending {
            work,
            outcome: None,
            reply,
            span: tracing::Span::current(),
        });
        self.counters.submitted.fetch_add(1, Ordering::Relaxed);
        // A send error means the thread is gone; the dropped reply tells the caller.
        let _ = self.queue.send(job);
        receiver
    }

    pub fn stats(&self) -> WriterStats {
        let writes = self.counters.writes.load(Ordering::Relaxed);
        WriterStats {
            commits: self.counters.commits.load(Ordering::Relaxed),
            writes,
            queued: self
                .counters
                .submitted
                .load(Ordering::Relaxed)
                .saturating_sub(writes),
            idle_seconds: self.counters.idle_seconds(),
            commit_seconds: self.counters.commit_nanos.load(Ordering::Relaxed) as f64 / 1e9,
        }
    }

    /// Closes the queue, waits for every queued write to commit, and checkpoints.
    pub fn shutdown(self) {
        drop(self.queue);
        if self.thread.join().is_err() {
            tracing::error!("database writer thread panicked");
        }
    }
}

/// Moves the calling thread to [`WRITER_NICENESS`] unless it already runs at a higher
/// priority; a refusal (no privilege) only costs the priority.
fn raise_priority() {
    let me = Some(rustix::thread::gettid());
    let current = rustix::process::getpriority_process(me).unwrap_or(0);
    if let Err(e) = rustix::process::setpriority_process(me, current.min(WRITER_NICENESS)) {
        tracing::debug!(error = %e, "cannot raise the database writer's priority");
    }
}

fn run_writer(
    conn: Connection,
    jobs: mpsc::Receiver<Box<dyn Job>>,
    counters: &Counters,
    changes: &TableChanges,
    wal: Option<WalPlan>,
) {
    let checkpoints_own = wal.is_some();
    let mut bound = wal.and_then(|plan| {
        WalBound::install(&conn, plan)
            .inspect_err(|e| tracing::error!(error = %e, "cannot bound the WAL"))
            .ok()
    });
    let mut careful_groups_left = 0;
    loop {
        counters.start_waiting();
        let next = jobs.recv();
        counters.stop_waiting();
        let Ok(first) = next else { break };
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let count = group.len() as u64;
        let commit = run_group(&conn, &mut group, &mut careful_groups_left, counters);
        changes.publish();
        if commit.is_ok() {
            counters.commits.fetch_add(1, Ordering::Relaxed);
        } else if let Err(e) = &commit {
            tracing::error!(error = %e, "write group failed");
        }
        // Counted before the answers go out, so a caller that has its answer sees it counted.
        counters.writes.fetch_add(count, Ordering::Relaxed);
        for job in group {
            job.finish(commit.clone());
        }
        if let Some(bound) = &mut bound {
            bound.after_commit(&conn);
        }
    }
    if checkpoints_own && let Err(e) = super::checkpoint::run(&conn, "TRUNCATE") {
        tracing::warn!(error = %e, "final WAL checkpoint failed");
    }
    if let Err((_, e)) = conn.close() {
        tracing::warn!(error = %e, "closing the database failed");
    }
}

/// Runs one transaction-control statement, prepared once per connection.
fn exec(conn: &Connection, sql: &str) -> Result<(), String> {
    conn.prepare_cached(sql)
        .and_then(|mut statement| statement.execute([]))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Commits the group's successful writes and none of a failed write's changes.
///
/// A savepoint per write would do that alone, but copying every page a write touches into
/// the savepoint's journal costs about a sixth of the writer's time. So the group first runs
/// as one plain transaction; only when a write in it fails is that rolled back and the whole
/// group run again, each write in its own savepoint (which is why writes are `Fn`). After
/// a failure the next [`CAREFUL_GROUPS`] groups go straight to savepoints, so a stream of
/// failing writes costs no more than savepoints always did.
fn run_group(
    conn: &Connection,
    group: &mut [Box<dyn Job>],
    careful_groups_left: &mut u32,
    counters: &Counters,
) -> Result<(), String> {
    if *careful_groups_left > 0 {
        *careful_groups_left -= 1;
    } else if run_plain(conn, group, counters)? {
        return Ok(());
    } else {
        *careful_groups_left = CAREFUL_GROUPS;
    }
    run_with_savepoints(conn, group, counters)
}

/// Commits the open transaction (rolling it back when the commit fails), timing it.
fn commit(conn: &Connection, counters: &Counters) -> Result<(), String> {
    let started = Instant::now();
    let committed = exec(conn, "COMMIT").inspect_err(|_| {
        let _ = exec(conn, "ROLLBACK");
    });
    counters.add_commit_time(started);
    committed
}

/// Runs the group as one transaction: `Ok(true)` once committed, `Ok(false)` when a write
/// failed and everything was rolled back.
fn run_plain(
    conn: &Connection,
    group: &mut [Box<dyn Job>],
    counters: &Counters,
) -> Result<bool, String> {
    exec(conn, "BEGIN IMMEDIATE")?;
    for job in group.iter_mut() {
        let kept = job.run(conn);
        if !kept || conn.is_autocommit() {
            if !conn.is_autocommit() {
                exec(conn, "ROLLBACK")?;
            }
            return Ok(false);
        }
    }
    commit(conn, counters)?;
    Ok(true)
}

fn run_with_savepoints(
    conn: &Connection,
    group: &mut [Box<dyn Job>],
    counters: &Counters,
) -> Result<(), String> {
    exec(conn, "BEGIN IMMEDIATE")?;
    for job in group.iter_mut() {
        let step = exec(conn, "SAVEPOINT job").and_then(|()| {
            let kept = job.run(conn);
            if conn.is_autocommit() {
                // SQLite itself rolled the whole transaction back (e.g. disk full).
                return Err("the transaction was rolled back by the database".to_string());
            }
            if !kept {
                exec(conn, "ROLLBACK TO job")?;
            }
            exec(conn, "RELEASE job")
        });
        if let Err(e) = step {
            if !conn.is_autocommit() {
                let _ = exec(conn, "ROLLBACK");
            }
            return Err(e);
        }
    }
    commit(conn, counters)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    fn start() -> (tempfile::TempDir, Writer) {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("w.db")).unwrap();
        conn.execute_batch("CREATE TABLE t (v TEXT NOT NULL UNIQUE);")
            .unwrap();
        let changes = TableChanges::of_schema(&conn).unwrap();
        (dir, Writer::start(conn, changes, None).unwrap())
    }

    fn rows(dir: &tempfile::TempDir) -> Vec<String> {
        let conn = Connection::open(dir.path().join("w.db")).unwrap();
        let mut statement = conn.prepare("SELECT v FROM t ORDER BY v").unwrap();
        statement
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn insert(conn: &Connection, v: &str) -> Result<(), AppError> {
        conn.execute("INSERT INTO t (v) VALUES (?1)", [v])?;
        Ok(())
    }

    /// Holds the writer busy, once it has started, until the returned sender fires or is
    /// dropped, so the writes submitted meanwhile are grouped into the next commit.
    fn hold(writer: &Writer) -> (mpsc::Sender<()>, Reply<()>) {
        let (go, wait) = mpsc::channel::<()>();
        let (started, running) = mpsc::channel::<()>();
        let wait = std::sync::Mutex::new(wait);
        let held = writer.submit(move |_| {
            let _ = started.send(());
            let _ = wait.lock().unwrap().recv();
            Ok(())
        });
        running.recv().unwrap();
        (go, held)
    }

    fn counted(
        runs: &Arc<AtomicUsize>,
        v: &'static str,
    ) -> impl Fn(&Connection) -> Result<(), AppError> + Send + 'static {
        let runs = runs.clone();
        move |conn| {
            runs.fetch_add(1, Ordering::Relaxed);
            insert(conn, v)
        }
    }

    /// A write that inserts `v`, then fails.
    fn refused_after_writing(
        v: &'static str,
    ) -> impl Fn(&Connection) -> Result<(), AppError> + Send + 'static {
        move |conn| {
            insert(conn, v)?;
            Err(AppError::conflict("refused after writing"))
        }
    }

    #[test]
    fn a_failed_write_keeps_none_of_its_changes_and_spoils_no_other() {
        let (dir, writer) = start();
        let (go, held) = hold(&writer);
        let runs = Arc::new(AtomicUsize::new(0));
        let first = writer.submit(counted(&runs, "a"));
        let failing = writer.submit(refused_after_writing("b"));
        let panicking = writer.submit(|conn| -> Result<(), AppError> {
            insert(conn, "c")?;
            panic!("a bug after writing")
        });
        let duplicate = writer.submit(|conn| insert(conn, "a"));
        let last = writer.submit(counted(&runs, "d"));
        drop(go);

        assert!(matches!(held.blocking_recv(), Ok(Ok(Ok(())))));
        assert!(matches!(first.blocking_recv(), Ok(Ok(Ok(())))));
        assert!(matches!(
            failing.blocking_recv(),
            Ok(Ok(Err(AppError::Conflict { .. })))
        ));
        assert!(matches!(panicking.blocking_recv(), Ok(Err(_))));
        assert!(matches!(duplicate.blocking_recv(), Ok(Ok(Err(_)))));
        assert!(matches!(last.blocking_recv(), Ok(Ok(Ok(())))));
        writer.shutdown();
        assert_eq!(rows(&dir), ["a", "d"]);
        // "a" ran in the plain attempt, then again with savepoints; "d" ran with savepoints only.
        assert_eq!(runs.load(Ordering::Relaxed), 3);
    }

    #[test]
    fn a_group_of_good_writes_runs_each_once_in_one_commit() {
        let (dir, writer) = start();
        let (go, held) = hold(&writer);
        let runs = Arc::new(AtomicUsize::new(0));
        let replies: Vec<_> = ["p", "q", "r"]
            .into_iter()
            .map(|v| writer.submit(counted(&runs, v)))
            .collect();
        drop(go);
        assert!(matches!(held.blocking_recv(), Ok(Ok(Ok(())))));
        for reply in replies {
            assert!(matches!(reply.blocking_recv(), Ok(Ok(Ok(())))));
        }
        let stats = writer.stats();
        assert_eq!((stats.commits, stats.writes), (2, 4));
        writer.shutdown();
        assert_eq!(rows(&dir), ["p", "q", "r"]);
        assert_eq!(runs.load(Ordering::Relaxed), 3);
    }

    #[test]
    fn the_time_spent_waiting_and_committing_is_counted() {
        let (_dir, writer) = start();
        // A wait still in progress counts: the idle time grows with no write at all. Polled,
        // because on a loaded machine the writer thread may start waiting late.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while writer.stats().idle_seconds < 0.03 {
            assert!(std::time::Instant::now() < deadline, "{:?}", writer.stats());
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let reply = writer.submit(|conn| insert(conn, "x"));
        assert!(matches!(reply.blocking_recv(), Ok(Ok(Ok(())))));
        let stats = writer.stats();
        assert!(stats.idle_seconds >= 0.03, "{stats:?}");
        assert!(stats.commit_seconds > 0.0, "{stats:?}");
        writer.shutdown();
    }

    #[test]
    fn after_a_failure_the_next_groups_go_straight_to_savepoints() {
        let (dir, writer) = start();
        let failed = writer.submit(refused_after_writing("x"));
        assert!(matches!(failed.blocking_recv(), Ok(Ok(Err(_)))));
        let (go, held) = hold(&writer);
        let runs = Arc::new(AtomicUsize::new(0));
        let good = writer.submit(counted(&runs, "m"));
        let failing = writer.submit(refused_after_writing("y"));
        let other = writer.submit(counted(&runs, "n"));
        drop(go);
        assert!(matches!(held.blocking_recv(), Ok(Ok(Ok(())))));
        assert!(matches!(good.blocking_recv(), Ok(Ok(Ok(())))));
        assert!(matches!(failing.blocking_recv(), Ok(Ok(Err(_)))));
        assert!(matches!(other.blocking_recv(), Ok(Ok(Ok(())))));
        writer.shutdown();
        assert_eq!(rows(&dir), ["m", "n"]);
        // No plain attempt to undo, so each good write ran once.
        assert_eq!(runs.load(Ordering::Relaxed), 2);
    }
}
