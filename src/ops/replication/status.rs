//! What the replica holds and how far it trails: read from the bucket with `litestream ltx`
//! and from Litestream's local state with `litestream status`, for `doctor` and `/metrics`.

use serde::Deserialize;
use time::OffsetDateTime;

use super::litestream::Litestream;
use crate::config::Config;

/// One LTX file of `litestream ltx -json -level all`.
#[derive(Debug, Clone, Deserialize)]
struct LtxFile {
    level: u32,
    max_txid: String,
    timestamp: String,
}

/// One database of `litestream status -json`.
#[derive(Debug, Clone, Deserialize)]
struct LocalStatus {
    local_txid: Option<String>,
}

/// The level Litestream keeps full snapshots at.
const SNAPSHOT_LEVEL: u32 = 9;

/// The replica as seen from its bucket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplicaView {
    /// Highest transaction the bucket holds (0 when empty).
    pub max_txid: u64,
    /// When the newest file was written: the last successful sync.
    pub last_sync: Option<OffsetDateTime>,
    /// When the newest full snapshot was written.
    pub last_snapshot: Option<OffsetDateTime>,
}

/// The replica against the local database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    pub replica: ReplicaView,
    /// Litestream's position in the local database (0 before its first sync).
    pub local_txid: u64,
    pub lag_seconds: f64,
}

/// Reads the bucket's listing (`litestream ltx -json -level all`).
pub fn replica_view(json: &str) -> anyhow::Result<ReplicaView> {
    let files: Vec<LtxFile> = serde_json::from_str(json)?;
    let mut view = ReplicaView::default();
    for file in files {
        let txid = u64::from_str_radix(&file.max_txid, 16)?;
        let at = crate::clock::parse_rfc3339(&file.timestamp);
        view.max_txid = view.max_txid.max(txid);
        view.last_sync = view.last_sync.max(at);
        if file.level == SNAPSHOT_LEVEL {
            view.last_snapshot = view.last_snapshot.max(at);
        }
    }
    Ok(view)
}

/// Reads Litestream's local position (`litestream status -json DB`).
pub fn local_txid(json: &str) -> anyhow::Result<u64> {
    let statuses: Vec<LocalStatus> = serde_json::from_str(json)?;
    let txid = statuses
        .first()
        .and_then(|s| s.local_txid.as_deref())
        .unwrap_or("0");
    Ok(u64::from_str_radix(txid, 16)?)
}

/// Seconds the replica trails: 0 when it holds every local transaction, else the time since
/// its last sync (the local writes it lacks are at least that old), or since `unknown_from`
/// when it holds nothing yet.
pub fn lag_seconds(
    local_txid: u64,
    replica: &ReplicaView,
    now: OffsetDateTime,
    unknown_from: OffsetDateTime,
) -> f64 {
    if replica.max_txid >= local_txid {
        return 0.0;
    }
    let since = replica.last_sync.unwrap_or(unknown_from);
    (now - since).as_seconds_f64().max(0.0)
}

/// Reads the replica's status through `litestream` (blocking: two short child processes).
pub fn read(config: &Config, now: OffsetDateTime) -> anyhow::Result<Status> {
    let litestream = Litestream::prepare(config, None)?;
    let db = litestream.db_path.display().to_string();
    let replica = replica_view(&litestream.output("ltx", &["-json", "-level", "all", &db])?)?;
    // No local state yet (a fresh data dir) reads as position 0.
    let local_txid = litestream
        .output("status", &["-json", &db])
        .ok()
        .and_then(|json| local_txid(&json).ok())
        .unwrap_or(0);
    Ok(Status {
        lag_seconds: lag_seconds(local_txid, &replica, now, now),
        replica,
        local_txid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const LISTING: &str = r#"[
      {"level": 0, "min_txid": "0000000000000001", "max_txid": "0000000000000001", "size": 567, "timestamp": "2026-12-06T18:11:06Z"},
      {"level": 0, "min_txid": "0000000000000002", "max_txid": "000000000000000a", "size": 191, "timestamp": "2026-12-06T18:11:09Z"},
      {"level": 9, "min_txid": "0000000000000001", "max_txid": "0000000000000001", "size": 567, "timestamp": "2026-12-06T18:11:07Z"}
    ]"#;

    #[test]
    fn the_newest_file_is_the_last_sync_and_level_nine_the_last_snapshot() {
        let view = replica_view(LISTING).unwrap();
        assert_eq!(view.max_txid, 10);
        assert_eq!(view.last_sync, Some(datetime!(2026-12-06 18:11:09 UTC)));
        assert_eq!(view.last_snapshot, Some(datetime!(2026-12-06 18:11:07 UTC)));
        assert_eq!(replica_view("[]").unwrap(), ReplicaView::default());
    }

    #[test]
    fn a_replica_holding_every_local_transaction_has_no_lag() {
        let view = replica_view(LISTING).unwrap();
        let now = datetime!(2026-12-06 19:00:00 UTC);
        assert_eq!(lag_seconds(10, &view, now, now), 0.0);
    }

    #[test]
    fn a_replica_missing_local_transactions_lags_by_the_time_since_its_last_sync() {
        let view = replica_view(LISTING).unwrap();
        let now = datetime!(2026-12-06 18:11:39 UTC);
        assert_eq!(lag_seconds(11, &view, now, now), 30.0);
        let empty = ReplicaView::default();
        let started = datetime!(2026-12-06 18:11:00 UTC);
        assert_eq!(lag_seconds(1, &empty, now, started), 39.0);
    }

    #[test]
    fn the_local_position_is_read_from_status_json() {
        let json = r#"[{"database": "/d/schoolhouse.db", "status": "ok", "local_txid": "00000000000000ff", "wal_size": "21 kB"}]"#;
        assert_eq!(local_txid(json).unwrap(), 255);
        assert_eq!(local_txid("[]").unwrap(), 0);
    }
}
