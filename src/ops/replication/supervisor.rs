//! `serve`'s Litestream child: started after the database is open, restarted with back-off
//! when it exits, stopped (SIGTERM, which makes it ship what is left) after the database
//! closes. A child left behind by a server that was killed is stopped first.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::litestream::Litestream;
use crate::config::Config;

/// Where the running child's pid is kept, so a restarted server can stop an orphan.
pub const PID_FILE: &str = "litestream.pid";
/// How long a stopping child may take to ship its last frames before it is killed; keeps
/// the whole shutdown under 2 s.
const STOP_GRACE: Duration = Duration::from_millis(1500);
/// A child that ran this long was healthy: the next restart waits the shortest time again.
const HEALTHY_RUN: Duration = Duration::from_secs(60);

pub struct Supervisor {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Supervisor {
    /// Starts `litestream replicate` when replication is enabled. Fails at once when the
    /// binary cannot run, rather than retrying a missing program forever.
    pub fn spawn(config: &Config) -> anyhow::Result<Option<Supervisor>> {
        if !config.replication.enabled {
            return Ok(None);
        }
        let litestream = Litestream::prepare(config, None)?;
        let version = litestream.output("version", &[]).map_err(|e| {
            anyhow::anyhow!("replication is enabled but Litestream cannot run: {e:#}")
        })?;
        let pid_file = config.data_dir.join(PID_FILE);
        stop_orphan(&pid_file);
        tracing::info!(version = version.trim(), bucket = %config.replication.bucket,
            path = %config.replication.path, "replicating with Litestream");
        let max_backoff = Duration::from_secs(config.replication.restart_max_backoff_seconds);
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(supervise(litestream, pid_file, max_backoff, stopped));
        Ok(Some(Supervisor { stop, task }))
    }

    /// Stops the child (it syncs what the WAL still holds, then exits) and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the Litestream supervisor ended abnormally");
        }
    }
}

async fn supervise(
    litestream: Litestream,
    pid_file: PathBuf,
    max_backoff: Duration,
    mut stopped: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_secs(1);
    loop {
        let started = Instant::now();
        match start_child(&litestream, &pid_file) {
            Ok(mut child) => {
                tokio::select! {
                    status = child.wait() => {
                        tracing::error!(status = ?status, "litestream exited; restarting");
                    }
                    _ = stopped.changed() => {
                        terminate(&mut child).await;
                        let _ = std::fs::remove_file(&pid_file);
                        return;
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "cannot start litestream"),
        }
        if started.elapsed() > HEALTHY_RUN {
            backoff = Duration::from_secs(1);
        }
        tracing::warn!(
            seconds = backoff.as_secs(),
            "restarting litestream after a pause"
        );
        tokio::select! {
            () = tokio::time::sleep(backoff) => {}
            _ = stopped.changed() => return,
        }
        backoff = (backoff * 2).min(max_backoff);
    }
}

fn start_child(litestream: &Litestream, pid_file: &Path) -> anyhow::Result<Child> {
    let mut command = tokio::process::Command::from(litestream.command("replicate"));
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    if let Some(pid) = child.id() {
        std::fs::write(pid_file, pid.to_string())?;
    }
    if let Some(out) = child.stdout.take() {
        tokio::spawn(forward(out));
    }
    if let Some(err) = child.stderr.take() {
        tokio::spawn(forward(err));
    }
    Ok(child)
}

/// Logs the child's lines through tracing, at the level Litestream gave them.
async fn forward(stream: impl tokio::io::AsyncRead + Unpin) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.contains("level=ERROR") {
            tracing::error!(target: "litestream", "{line}");
        } else if line.contains("level=WARN") {
            tracing::warn!(target: "litestream", "{line}");
        } else {
            tracing::info!(target: "litestream", "{line}");
        }
    }
}

async fn terminate(child: &mut Child) {
    if let Some(pid) = child
        .id()
        .and_then(|id| rustix::process::Pid::from_raw(id as i32))
    {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    }
    match tokio::time::timeout(STOP_GRACE, child.wait()).await {
        Ok(Ok(status)) => tracing::info!(?status, "litestream stopped"),
        Ok(Err(e)) => tracing::warn!(error = %e, "waiting for litestream failed"),
        Err(_) => {
            tracing::warn!("litestream did not stop in time; killing it");
            let _ = child.kill().await;
        }
    }
}

/// A server killed with SIGKILL leaves its Litestream running; two on one database would
/// both checkpoint and upload. Stops the one named in the pid file if it is Litestream.
fn stop_orphan(pid_file: &Path) {
    let Some(pid) = std::fs::read_to_string(pid_file)
        .ok()
        .and_then(|text| text.trim().parse::<i32>().ok())
        .and_then(rustix::process::Pid::from_raw)
    else {
        return;
    };
    let cmdline =
        std::fs::read(format!("/proc/{}/cmdline", pid.as_raw_nonzero())).unwrap_or_default();
    if !String::from_utf8_lossy(&cmdline).contains("litestream") {
        return;
    }
    tracing::warn!(
        pid = pid.as_raw_nonzero(),
        "stopping a Litestream left by an earlier server"
    );
    let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    let deadline = Instant::now() + STOP_GRACE;
    while rustix::process::test_kill_process(pid).is_ok() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if rustix::process::test_kill_process(pid).is_ok() {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
    }
}
