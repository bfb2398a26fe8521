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

/// What the writer thread receives.
enum Message {
    Job(Box<dyn Job>),
    /// The sync thread has made every commit handed to it so far durable.
    Synced,
    /// Commit what is open and stop.
    Stop,
}

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
    queue: mpsc::Sender<Message>,
    thread: Option<JoinHandle<()>>,
    counters: Arc<Counters>,
}

impl Writer {
    /// Starts the writer thread on `conn`, whose update hook feeds `changes`. With `sync`,
    /// a second thread syncs the log after each commit (or run of commits) and only then
    /// answers the writes in it. Meanwhile the writer already runs the writes that arrive
    /// in a new transaction, and commits it as soon as that sync is done: the disk's wait
    /// overlaps the next group's work, and the group grows for as long as the disk is busy.
    pub fn start(
        conn: Connection,
        changes: Arc<TableChanges>,
        sync: Option<SyncLog>,
    ) -> anyhow::Result<Writer> {
        let (queue, inbox) = mpsc::channel::<Message>();
        let counters = Arc::new(Counters::default());
        let thread_counters = counters.clone();
        let syncer = match sync {
            Some(sync) => {
                let (committed, to_sync) = mpsc::channel::<Committed>();
                let (counters, changes, synced) =
                    (counters.clone(), changes.clone(), queue.clone());
                let thread = std::thread::Builder::new()
                    .name("db-sync".into())
                    .spawn(move || run_syncer(&to_sync, sync, &synced, &counters, &changes))?;
                Some((committed, thread))
            }
            None => None,
        };
        let thread = std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || {
                Group::new(conn, &thread_counters, &changes, syncer).run(&inbox);
            })?;
        Ok(Writer {
            queue,
            thread: Some(thread),
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
        let _ = self.queue.send(Message::Job(job));
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

    /// Lets every queued write commit and be answered, then checkpoints and closes.
    pub fn shutdown(mut self) {
        let _ = self.queue.send(Message::Stop);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("database writer thread panicked");
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Without `shutdown` (e.g. a test's state going away) the thread still stops.
        let _ = self.queue.send(Message::Stop);
    }
}

/// The writer thread's state: the jobs run in the open transaction, and where commits go.
struct Group<'a> {
    conn: Connection,
    jobs: Vec<Box<dyn Job>>,
    counters: &'a Counters,
    changes: &'a TableChanges,
    syncer: Option<(mpsc::Sender<Committed>, JoinHandle<()>)>,
    /// A commit handed to the sync thread is not durable yet.
    syncing: bool,
}

impl<'a> Group<'a> {
    fn new(
        conn: Connection,
        counters: &'a Counters,
        changes: &'a TableChanges,
        syncer: Option<(mpsc::Sender<Committed>, JoinHandle<()>)>,
    ) -> Group<'a> {
        Group {
            conn,
            jobs: Vec::new(),
            counters,
            changes,
            syncer,
            syncing: false,
        }
    }

    fn run(mut self, inbox: &mpsc::Receiver<Message>) {
        loop {
            // Commit once nothing more is queued, unless the previous commit is still
            // being synced: then wait, and let what arrives meanwhile join this group.
            let message = if self.jobs.is_empty() || self.syncing {
                inbox.recv().unwrap_or(Message::Stop)
            } else {
                match inbox.try_recv() {
                    Ok(message) => message,
                    Err(mpsc::TryRecvError::Empty) => {
                        self.commit(Ok(()));
                        continue;
                    }
                    Err(mpsc::TryRecvError::Disconnected) => Message::Stop,
                }
            };
            match message {
                Message::Job(job) => match self.add(job) {
                    Err(e) => self.commit(Err(e)),
                    Ok(()) if self.jobs.len() >= MAX_GROUP => self.commit(Ok(())),
                    Ok(()) => {}
                },
                Message::Synced => self.syncing = false,
                Message::Stop => break,
            }
        }
        if !self.jobs.is_empty() {
            self.commit(Ok(()));
        }
        if let Some((to_sync, thread)) = self.syncer.take() {
            drop(to_sync);
            if thread.join().is_err() {
                tracing::error!("database sync thread panicked");
            }
        }
        if let Err(e) = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
            tracing::warn!(error = %e, "final WAL checkpoint failed");
        }
        if let Err((_, e)) = self.conn.close() {
            tracing::warn!(error = %e, "closing the database failed");
        }
    }

    /// Runs `job` in its own savepoint of the open transaction (opening one if needed). An
    /// error here ends the transaction: the caller rolls the whole group back.
    fn add(&mut self, mut job: Box<dyn Job>) -> Result<(), String> {
        let conn = &self.conn;
        let opened = if self.jobs.is_empty() {
            exec(conn, "BEGIN IMMEDIATE")
        } else {
            Ok(())
        };
        let step = opened
            .and_then(|()| exec(conn, "SAVEPOINT job"))
            .and_then(|()| {
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
        self.jobs.push(job);
        step
    }

    /// Ends the open transaction (committing it unless `outcome` is already an error) and
    /// sends its jobs on: to the sync thread, or straight to their callers.
    fn commit(&mut self, outcome: Result<(), String>) {
        let conn = &self.conn;
        let commit = outcome.and_then(|()| exec(conn, "COMMIT"));
        match &commit {
            Ok(()) => {
                self.counters.commits.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                if !conn.is_autocommit() {
                    let _ = exec(conn, "ROLLBACK");
                }
                tracing::error!(error = %e, "write group failed");
            }
        }
        let committed = Committed {
            group: std::mem::take(&mut self.jobs),
            commit,
            changed: self.changes.take(),
        };
        match &self.syncer {
            Some((to_sync, _)) => {
                // The sync thread only stops once this sender is dropped (end of `run`).
                let _ = to_sync.send(committed);
                self.syncing = true;
            }
            None => deliver(vec![committed], &Ok(()), self.counters, self.changes),
        }
    }
}

/// Syncs the log once for every run of commits waiting, answers their writes, and tells
/// the writer the disk is free.
fn run_syncer(
    committed: &mpsc::Receiver<Committed>,
    mut sync: SyncLog,
    writer: &mpsc::Sender<Message>,
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
        let _ = writer.send(Message::Synced);
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
    fn writes_that_arrive_during_a_sync_run_at_once_and_share_the_next_commit() {
        let (syncing, sync_started) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let sync: SyncLog = Box::new(move || {
            let _ = syncing.send(());
            // Waits for the first release; once the sender is dropped, returns at once.
            let _ = released.recv();
            Ok(())
        });
        let (writer, _) = writer(Some(sync));
        let first = writer.submit(add_note);
        sync_started.recv().unwrap();
        let (second, third) = (writer.submit(add_note), writer.submit(add_note));
        drop(release);
        for reply in [first, second, third] {
            assert_eq!(answer(reply).unwrap(), 1);
        }
        assert_eq!(
            writer.stats().commits,
            2,
            "the two writes that waited for the disk committed together"
        );
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
