//! The single writer thread: groups queued write closures into one durable commit.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::TableChanges;
use crate::http::error::AppError;

/// Upper bound of closures grouped into one commit, so one commit stays short.
const MAX_GROUP: usize = 128;

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
    work: Option<F>,
    outcome: Option<Result<Result<T, AppError>, Panic>>,
    reply: oneshot::Sender<Result<Result<T, AppError>, Panic>>,
    span: tracing::Span,
}

impl<T, F> Job for Pending<T, F>
where
    F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let _entered = self.span.enter();
        let Some(work) = self.work.take() else {
            return false;
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| work(conn)));
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
}

#[derive(Default)]
struct Counters {
    commits: AtomicU64,
    writes: AtomicU64,
    submitted: AtomicU64,
}

pub struct Writer {
    queue: mpsc::Sender<Box<dyn Job>>,
    thread: JoinHandle<()>,
    counters: Arc<Counters>,
}

impl Writer {
    /// Starts the writer thread on `conn`, whose update hook feeds `changes`.
    pub fn start(conn: Connection, changes: Arc<TableChanges>) -> anyhow::Result<Writer> {
        let (queue, jobs) = mpsc::channel::<Box<dyn Job>>();
        let counters = Arc::new(Counters::default());
        let thread_counters = counters.clone();
        let thread = std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || {
                raise_priority();
                run_writer(conn, jobs, &thread_counters, &changes)
            })?;
        Ok(Writer {
            queue,
            thread,
            counters,
        })
    }

    pub fn submit<T, F>(&self, work: F) -> Reply<T>
    where
        F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, receiver) = oneshot::channel();
        let job = Box::new(Pending {
            work: Some(work),
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
) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let count = group.len() as u64;
        let commit = run_group(&conn, &mut group);
        changes.publish();
        if commit.is_ok() {
            counters.commits.fetch_add(1, Ordering::Relaxed);
        } else if let Err(e) = &commit {
            tracing::error!(error = %e, "write group failed");
        }
        for job in group {
            job.finish(commit.clone());
        }
        counters.writes.fetch_add(count, Ordering::Relaxed);
    }
    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
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

fn run_group(conn: &Connection, group: &mut [Box<dyn Job>]) -> Result<(), String> {
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
    exec(conn, "COMMIT").inspect_err(|_| {
        let _ = exec(conn, "ROLLBACK");
    })
}
