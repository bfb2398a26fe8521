//! Moves committed WAL frames into the database file on its own thread and connection, so
//! the writer's commits never pay for a checkpoint (copying pages and syncing the file).

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// How often the WAL is checkpointed while the server runs.
const INTERVAL: Duration = Duration::from_millis(200);

pub struct Checkpointer {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Checkpointer {
    /// Starts checkpointing with `conn` (a connection of its own) every [`INTERVAL`].
    pub fn start(conn: Connection) -> anyhow::Result<Checkpointer> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("db-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(INTERVAL) {
                    // PASSIVE never waits for readers or the writer; what it cannot copy
                    // now is copied next time.
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
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
