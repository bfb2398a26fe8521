//! `schoolhouse standby` keeps a follower copy of the replica current (`litestream restore
//! -f`); `schoolhouse promote` stops it, catches up with the bucket, checks the copy and
//! makes it an ordinary data dir that `serve` (with replication on) runs as the primary.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::litestream::Litestream;
use super::restore::{check, prepare_dir, remove_with_sidecars};
use super::status;
use crate::config::Config;
use crate::db::DB_FILE;
use crate::state::DataDirLock;

/// Marks a data dir as a follower copy and holds the pid of the `schoolhouse standby` that
/// follows into it (empty when none runs); no server may open it.
pub const MARKER_FILE: &str = "STANDBY";
/// How long `promote` waits for a running follower to stop.
const STOP_WAIT: Duration = Duration::from_secs(10);

/// Refuses to open a standby's data dir as a database of its own (a write there would be
/// lost at the next update, or split the history at promotion).
pub fn guard(data_dir: &Path) -> anyhow::Result<()> {
    if data_dir.join(MARKER_FILE).exists() {
        anyhow::bail!(
            "{} is a standby copy (it holds {MARKER_FILE}); run `schoolhouse promote` to make it \
             the primary first",
            data_dir.display()
        );
    }
    Ok(())
}

/// Follows the replica into `<data_dir>/schoolhouse.db` until `stop` resolves. A data dir
/// with a database that is not a standby copy is refused.
pub async fn follow(
    config: &Config,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let data_dir = &config.data_dir;
    let db_path = data_dir.join(DB_FILE);
    let marker = data_dir.join(MARKER_FILE);
    if db_path.exists() && !marker.exists() {
        anyhow::bail!(
            "{} has a database that is not a standby copy; a standby starts from an empty data dir",
            data_dir.display()
        );
    }
    prepare_dir(data_dir)?;
    let _lock = DataDirLock::acquire(data_dir)?;
    // Litestream 0.5.17 cannot resume following past its last snapshot ("saved TXID is
    // ahead of latest snapshot"), so a follower starts from a fresh restore each time.
    remove_with_sidecars(&db_path);
    let litestream = Litestream::prepare(config, None)?;
    let interval = format!("{}s", config.replication.sync_interval_seconds);
    let db = litestream.db_path.display().to_string();
    let mut child = tokio::process::Command::from(litestream.command("restore"))
        .args(["-f", "-follow-interval", &interval, &db])
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot run litestream: {e}"))?;
    std::fs::write(&marker, std::process::id().to_string())?;
    println!(
        "following s3://{}/{} into {db}",
        config.replication.bucket, config.replication.path
    );
    tokio::select! {
        status = child.wait() => {
            anyhow::bail!("litestream stopped following ({:?})", status?);
        }
        () = stop => {
            if let Some(pid) = child.id().and_then(|id| rustix::process::Pid::from_raw(id as i32)) {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
            }
            let _ = tokio::time::timeout(STOP_WAIT, child.wait()).await;
            std::fs::write(&marker, "")?;
            println!("standby stopped; `schoolhouse promote` makes this copy the primary");
        }
    }
    Ok(())
}

/// What a promotion did.
#[derive(Debug)]
pub struct Promoted {
    pub schema_version: i64,
    /// Whether the copy was behind the bucket and restored afresh.
    pub caught_up: bool,
    pub seconds: f64,
}

/// Stops a running follower, brings the copy up to the bucket's last transaction, checks it
/// and removes the standby mark.
pub fn promote(config: &Config) -> anyhow::Result<Promoted> {
    let started = Instant::now();
    let data_dir = &config.data_dir;
    let marker = data_dir.join(MARKER_FILE);
    let follower = std::fs::read_to_string(&marker).map_err(|_| {
        anyhow::anyhow!(
            "{} is not a standby copy (no {MARKER_FILE})",
            data_dir.display()
        )
    })?;
    stop_follower(follower.trim());
    let _lock = DataDirLock::acquire(data_dir)?;
    let db_path = data_dir.join(DB_FILE);
    let litestream = Litestream::prepare(config, None)?;
    let db = litestream.db_path.display().to_string();
    let replica =
        status::replica_view(&litestream.output("ltx", &["-json", "-level", "all", &db])?)?;
    let caught_up = followed_txid(&db_path) < replica.max_txid || !db_path.exists();
    if caught_up {
        let scratch = data_dir.join(format!("{DB_FILE}.promoting"));
        remove_with_sidecars(&scratch);
        litestream.output("restore", &["-o", &scratch.display().to_string(), &db])?;
        remove_with_sidecars(&db_path);
        std::fs::rename(&scratch, &db_path)?;
    }
    let schema_version = check(&db_path, config)?;
    let _ = std::fs::remove_file(txid_file(&db_path));
    std::fs::remove_file(&marker)?;
    Ok(Promoted {
        schema_version,
        caught_up,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// `schoolhouse promote` for people.
pub fn run_promote(config: &Config) -> anyhow::Result<()> {
    let done = promote(config)?;
    println!(
        "promoted {} (schema V{}{}) in {:.1} s; start `schoolhouse serve` with replication on: \
         it continues the same replica",
        config.data_dir.display(),
        done.schema_version,
        if done.caught_up {
            ", caught up with the bucket"
        } else {
            ""
        },
        done.seconds
    );
    for secret in super::restore::missing_secrets(config) {
        println!("WARNING: {secret} is missing: configure it as the old primary had it");
    }
    Ok(())
}

fn txid_file(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push("-txid");
    PathBuf::from(name)
}

/// The last transaction the follower applied (0 when unknown).
fn followed_txid(db_path: &Path) -> u64 {
    std::fs::read_to_string(txid_file(db_path))
        .ok()
        .and_then(|text| u64::from_str_radix(text.trim(), 16).ok())
        .unwrap_or(0)
}

fn stop_follower(pid: &str) {
    let Some(pid) = pid
        .parse::<i32>()
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return;
    };
    // Only a `schoolhouse standby`: after a reboot the pid may name anything.
    let cmdline =
        std::fs::read(format!("/proc/{}/cmdline", pid.as_raw_nonzero())).unwrap_or_default();
    if !String::from_utf8_lossy(&cmdline).contains("standby") {
        return;
    }
    let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    let deadline = Instant::now() + STOP_WAIT;
    while rustix::process::test_kill_process(pid).is_ok() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}
