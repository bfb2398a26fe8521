//! The single writer thread: groups queued write closures into one commit, and the thread
//! that makes each commit durable before its writers hear back.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::TableChanges;
use super::changes::Changed;
use crate::http::error::AppError;

/// Upper bound of closures grouped into one commit, so one commit stays short.
const MAX_GROUP: usize = 128;

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

/// Makes every commit made so far durable (syncs the write-ahead log). Given to the writer
/// when SQLite is told not to sync each commit itself.
pub type SyncLog = Box<dyn FnMut() -> std::io::Result<()> + Send>;

/// One group's outcome on its way to its callers.
struct Committed {
    group: Vec<Box<dyn Job>>,
    commit: Result<(), String>,
    changed: Changed,
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
    /// Starts the writer thread on `conn`, whose update hook feeds `changes`. With `sync`,
    /// a second thread syncs the log after each commit (or run of commits) and only then
    /// answers the writes in it, while the writer already runs the next group: the sync's
    /// wait overlaps the next group's work instead of stalling the queue.
    pub fn start(
        conn: Connection,
        changes: Arc<TableChanges>,
        sync: Option<SyncLog>,
    ) -> anyhow::Result<Writer> {
        let (queue, jobs) = mpsc::channel::<Box<dyn Job>>();
        let counters = Arc::new(Counters::default());
        let thread_counters = counters.clone();
        let syncer = match sync {
            Some(sync) => {
                let (committed, to_sync) = mpsc::channel::<Committed>();
                let (counters, changes) = (counters.clone(), changes.clone());
                let thread = std::thread::Builder::new()
                    .name("db-sync".into())
                    .spawn(move || run_syncer(&to_sync, sync, &counters, &changes))?;
                Some((committed, thread))
            }
            None => None,
        };
        let thread = std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || run_writer(conn, jobs, &thread_counters, &changes, syncer))?;
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

fn run_writer(
    conn: Connection,
    jobs: mpsc::Receiver<Box<dyn Job>>,
    counters: &Counters,
    changes: &TableChanges,
    syncer: Option<(mpsc::Sender<Committed>, JoinHandle<()>)>,
) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let commit = run_group(&conn, &mut group);
        match &commit {
            Ok(()) => {
                counters.commits.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => tracing::error!(error = %e, "write group failed"),
        }
        let committed = Committed {
            group,
            commit,
            changed: changes.take(),
        };
        match &syncer {
            Some((to_sync, _)) => {
                // The sync thread only stops once this sender is dropped, below.
                let _ = to_sync.send(committed);
            }
            None => deliver(vec![committed], &Ok(()), counters, changes),
        }
    }
    if let Some((to_sync, thread)) = syncer {
        drop(to_sync);
        if thread.join().is_err() {
            tracing::error!("database sync thread panicked");
        }
    }
    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
        tracing::warn!(error = %e, "final WAL checkpoint failed");
    }
    if let Err((_, e)) = conn.close() {
        tracing::warn!(error = %e, "closing the database failed");
    }
}

/// Syncs the log once for every run of commits waiting, then answers their writes.
fn run_syncer(
    committed: &mpsc::Receiver<Committed>,
    mut sync: SyncLog,
    counters: &Counters,
    changes: &TableChanges,
) {
    while let Ok(first) = committed.recv() {
        let mut batch = vec![first];
        batch.extend(committed.try_iter());
        let synced = if batch.iter().any(|c| c.commit.is_ok()) {
            sync().map_err(|e| format!("syncing the write-ahead log failed: {e}"))
        } else {
            Ok(())
        };
        if let Err(e) = &synced {
            tracing::error!(error = %e, "commits may not be durable");
        }
        deliver(batch, &synced, counters, changes);
    }
}

/// Publishes what each group changed and answers its writes; a commit counts as failed when
/// the sync that was to make it durable failed.
fn deliver(
    batch: Vec<Committed>,
    synced: &Result<(), String>,
    counters: &Counters,
    changes: &TableChanges,
) {
    for Committed {
        group,
        commit,
        changed,
    } in batch
    {
        changes.publish(&changed);
        let count = group.len() as u64;
        let outcome = commit.and_then(|()| synced.clone());
        for job in group {
            job.finish(outcome.clone());
        }
        counters.writes.fetch_add(count, Ordering::Relaxed);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn writer(sync: Option<SyncLog>) -> (Writer, Arc<TableChanges>) {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT NOT NULL);")
            .unwrap();
        let changes = TableChanges::of_schema(&conn).unwrap();
        changes.watch(&conn).unwrap();
        (Writer::start(conn, changes.clone(), sync).unwrap(), changes)
    }

    /// Waits for a write's answer (a panic inside it fails the test).
    fn answer<T>(reply: Reply<T>) -> Result<T, AppError> {
        match reply.blocking_recv().expect("the writer answers") {
            Ok(outcome) => outcome,
            Err(_) => panic!("the write panicked"),
        }
    }

    fn add_note(conn: &Connection) -> Result<usize, AppError> {
        Ok(conn.execute("INSERT INTO notes (body) VALUES ('hello')", [])?)
    }

    #[test]
    fn a_write_is_answered_and_published_only_once_its_commit_is_synced() {
        let (syncing, sync_started) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let sync: SyncLog = Box::new(move || {
            let _ = syncing.send(());
            released.recv().map_err(std::io::Error::other)
        });
        let (writer, changes) = writer(Some(sync));
        let mut reply = writer.submit(add_note);
        sync_started.recv().unwrap();
        assert!(reply.try_recv().is_err(), "answered before the sync");
        assert_eq!(
            changes.generation(&["notes"]),
            0,
            "published before the sync"
        );
        release.send(()).unwrap();
        assert_eq!(answer(reply).unwrap(), 1);
        assert_eq!(changes.generation(&["notes"]), 1);
        drop(release);
        writer.shutdown();
    }

    #[test]
    fn a_failed_sync_fails_the_writes_it_was_to_make_durable() {
        let sync: SyncLog = Box::new(|| Err(std::io::Error::other("disk gone")));
        let (writer, _) = writer(Some(sync));
        let error = answer(writer.submit(add_note)).unwrap_err().to_string();
        assert!(error.contains("disk gone"), "{error}");
        let refused = answer(writer.submit(|_| Err::<(), _>(AppError::NotFound("note"))));
        assert!(matches!(refused, Err(AppError::NotFound("note"))));
        writer.shutdown();
    }

    #[test]
    fn without_a_sync_thread_writes_are_answered_after_their_commit() {
        let (writer, changes) = writer(None);
        assert_eq!(answer(writer.submit(add_note)).unwrap(), 1);
        assert_eq!(changes.generation(&["notes"]), 1);
        writer.shutdown();
    }
}
