//! `doctor` checks of replication: the replica's health, lag and last snapshot, and keys
//! that a restored database would need but that live only in the data dir.

use time::OffsetDateTime;

use crate::config::Config;
use crate::ops::doctor::Check;
use crate::ops::replication::status::{self, Status};

const NAME: &str = "replication";
const SECRETS: &str = "replica keys";
/// A replica further behind than this many sync intervals is reported.
const LAGGING_INTERVALS: f64 = 10.0;
/// A last snapshot older than this many snapshot intervals is reported.
const STALE_SNAPSHOTS: i64 = 2;

/// Reads the bucket through Litestream: reachable, how far behind, when last snapshotted.
pub fn replica(config: &Config, now: OffsetDateTime) -> Check {
    if !config.replication.enabled {
        return Check::ok(NAME, "off (nightly archives only; see docs/deploy.md)");
    }
    match status::read(config, now) {
        Ok(status) => judge(config, &status, now),
        Err(e) => Check::fail(
            NAME,
            format!("cannot read the replica: {e:#}"),
            "check replication.bucket, endpoint and credentials, and that replication.litestream_bin runs",
        ),
    }
}

/// The verdict on a replica's status (pure, so its thresholds are tested).
pub fn judge(config: &Config, status: &Status, now: OffsetDateTime) -> Check {
    let replication = &config.replication;
    let Some(last_sync) = status.replica.last_sync else {
        return Check::warn(
            NAME,
            format!(
                "s3://{}/{} holds nothing yet",
                replication.bucket, replication.path
            ),
            "start `schoolhouse serve` with replication on; the first sync uploads a snapshot",
        );
    };
    let synced_ago = (now - last_sync).whole_seconds();
    let snapshot_ago = status
        .replica
        .last_snapshot
        .map(|at| (now - at).whole_hours());
    let message = format!(
        "lag {:.0} s, last sync {synced_ago} s ago (txid {}), last snapshot {}",
        status.lag_seconds,
        status.replica.max_txid,
        snapshot_ago.map_or("none".into(), |h| format!("{h} h ago"))
    );
    let interval = replication.sync_interval_seconds as f64;
    if status.lag_seconds > LAGGING_INTERVALS * interval {
        return Check::warn(
            NAME,
            message,
            "the replica trails the database: is `serve` running its Litestream (see the log, target litestream)?",
        );
    }
    let limit = STALE_SNAPSHOTS * replication.snapshot_interval_hours as i64;
    if snapshot_ago.is_none_or(|hours| hours > limit) {
        return Check::warn(
            NAME,
            message,
            "no recent snapshot: restores replay more WAL; Litestream snapshots every replication.snapshot_interval_hours",
        );
    }
    Check::ok(NAME, message)
}

/// With replication on, a restored database is only usable with the same JWT and encryption
/// keys; kept only in `<data_dir>/secrets/` they are lost with the machine.
pub fn secrets(config: &Config, _now: OffsetDateTime) -> Check {
    if !config.replication.enabled {
        return Check::ok(SECRETS, "replication off");
    }
    let mut only_on_disk = Vec::new();
    if config.auth.jwt_secret.is_empty() {
        only_on_disk.push("auth.jwt_secret");
    }
    if config.auth.encryption_key.is_empty() {
        only_on_disk.push("auth.encryption_key");
    }
    if only_on_disk.is_empty() {
        return Check::ok(
            SECRETS,
            "the JWT and encryption keys come from the configuration",
        );
    }
    Check::warn(
        SECRETS,
        format!(
            "{} live only in the data dir's secrets/: a database restored from the replica is useless without them",
            only_on_disk.join(" and ")
        ),
        "set them in the configuration or environment (SCHOOLHOUSE_AUTH__JWT_SECRET, SCHOOLHOUSE_AUTH__ENCRYPTION_KEY) from the files in secrets/, and keep a copy off the machine",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::doctor::Status as Verdict;
    use crate::ops::replication::status::ReplicaView;
    use time::macros::datetime;

    fn replicating() -> Config {
        let mut config = Config::default();
        config.replication.enabled = true;
        config.replication.bucket = "school".into();
        config
    }

    fn synced(seconds_ago: i64, lag: f64, snapshot_hours_ago: Option<i64>) -> Status {
        let now = datetime!(2026-12-06 12:00 UTC);
        Status {
            replica: ReplicaView {
                max_txid: 7,
                last_sync: Some(now - time::Duration::seconds(seconds_ago)),
                last_snapshot: snapshot_hours_ago.map(|h| now - time::Duration::hours(h)),
            },
            local_txid: 7,
            lag_seconds: lag,
        }
    }

    #[test]
    fn a_current_replica_with_a_recent_snapshot_is_ok() {
        let now = datetime!(2026-12-06 12:00 UTC);
        let check = judge(&replicating(), &synced(1, 0.0, Some(3)), now);
        assert_eq!(check.status, Verdict::Ok, "{check:?}");
        assert!(check.message.contains("lag 0 s"), "{}", check.message);
    }

    #[test]
    fn a_replica_trailing_by_more_than_ten_sync_intervals_is_a_warning() {
        let now = datetime!(2026-12-06 12:00 UTC);
        let check = judge(&replicating(), &synced(30, 30.0, Some(3)), now);
        assert_eq!(check.status, Verdict::Warn);
    }

    #[test]
    fn a_replica_without_a_recent_snapshot_is_a_warning() {
        let now = datetime!(2026-12-06 12:00 UTC);
        assert_eq!(
            judge(&replicating(), &synced(1, 0.0, None), now).status,
            Verdict::Warn
        );
        assert_eq!(
            judge(&replicating(), &synced(1, 0.0, Some(49)), now).status,
            Verdict::Warn
        );
    }

    #[test]
    fn keys_only_in_the_data_dir_are_a_warning_when_replicating() {
        let now = datetime!(2026-12-06 12:00 UTC);
        assert_eq!(secrets(&Config::default(), now).status, Verdict::Ok);
        let check = secrets(&replicating(), now);
        assert_eq!(check.status, Verdict::Warn);
        assert!(check.message.contains("auth.encryption_key"));
        let mut configured = replicating();
        configured.auth.jwt_secret = "j".repeat(40);
        configured.auth.encryption_key = "k".repeat(44);
        assert_eq!(secrets(&configured, now).status, Verdict::Ok);
    }
}
