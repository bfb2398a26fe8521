//! Gauges read fresh on every scrape of `/metrics` (cheap COUNTs through indexes): orders
//! and payments by status, the mail outbox backlog, backup age and last verification, and
//! with replication on the replica's lag and last sync (read from the bucket).
//! Rendered as Prometheus text per app, so apps sharing a process never mix values.

use std::fmt::Write;

use crate::commerce::lifecycle::OrderStatus;
use crate::http::AppError;
use crate::payments::lifecycle::PaymentStatus;
use crate::state::AppState;
use crate::status::StatusEnum;

use super::schedule;
use super::store::{self, StatusTable};

/// One scrape's values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub orders: Vec<(String, i64)>,
    pub payments: Vec<(String, i64)>,
    pub outbox_pending: i64,
    pub outbox_failed: i64,
    pub backup_age_seconds: Option<f64>,
    pub backup_last_verified: Option<bool>,
    /// With replication on: the replica's status, or None when the bucket cannot be read.
    pub replication: Option<Option<ReplicaGauges>>,
}

/// The replica as `/metrics` shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplicaGauges {
    pub lag_seconds: f64,
    pub last_sync_unix: Option<i64>,
    pub last_snapshot_unix: Option<i64>,
}

/// Reads the counts and the backup record.
pub async fn read(state: &AppState) -> Result<Snapshot, AppError> {
    let max_attempts = state.config.mail.max_attempts;
    let (orders, payments, (outbox_pending, outbox_failed)) = state
        .db
        .read(move |conn| {
            Ok((
                store::status_counts(conn, StatusTable::Orders)?,
                store::status_counts(conn, StatusTable::Payments)?,
                store::outbox_backlog(conn, max_attempts)?,
            ))
        })
        .await?;
    let backup = schedule::load_state(&state.config.data_dir);
    let now = state.now();
    let replication = if state.config.replication.enabled {
        let config = state.config.clone();
        // Two short `litestream` child processes: off the async runtime.
        let read = tokio::task::spawn_blocking(move || {
            crate::ops::replication::status::read(&config, now)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
        Some(match read {
            Ok(status) => Some(ReplicaGauges {
                lag_seconds: status.lag_seconds,
                last_sync_unix: status.replica.last_sync.map(|t| t.unix_timestamp()),
                last_snapshot_unix: status.replica.last_snapshot.map(|t| t.unix_timestamp()),
            }),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the replica's status");
                None
            }
        })
    } else {
        None
    };
    Ok(Snapshot {
        orders: with_every_status(OrderStatus::ALL, orders),
        payments: with_every_status(PaymentStatus::ALL, payments),
        outbox_pending,
        outbox_failed,
        backup_age_seconds: backup
            .last_backup_at
            .as_deref()
            .and_then(crate::clock::parse_rfc3339)
            .map(|last| (now - last).as_seconds_f64().max(0.0)),
        backup_last_verified: backup.last_verified,
        replication,
    })
}

/// Every known status in lifecycle order (0 when absent), then any other stored value.
fn with_every_status<S: StatusEnum>(all: &[S], counted: Vec<(String, i64)>) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = all
        .iter()
        .map(|s| {
            let n = counted
                .iter()
                .find(|(name, _)| name == s.as_str())
                .map_or(0, |(_, n)| *n);
            (s.as_str().to_string(), n)
        })
        .collect();
    for (name, n) in counted {
        if !out.iter().any(|(known, _)| *known == name) {
            out.push((name, n));
        }
    }
    out
}

fn family(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
}

/// Prometheus text for the snapshot.
pub fn render(s: &Snapshot) -> String {
    let mut out = String::new();
    family(&mut out, "orders_by_status", "Orders in each status.");
    for (status, n) in &s.orders {
        let _ = writeln!(out, "orders_by_status{{status=\"{status}\"}} {n}");
    }
    family(&mut out, "payments_by_status", "Payments in each status.");
    for (status, n) in &s.payments {
        let _ = writeln!(out, "payments_by_status{{status=\"{status}\"}} {n}");
    }
    family(
        &mut out,
        "mail_outbox_backlog",
        "Unsent mail: pending (will be tried) and failed (gave up after mail.max_attempts).",
    );
    let _ = writeln!(
        out,
        "mail_outbox_backlog{{state=\"pending\"}} {}",
        s.outbox_pending
    );
    let _ = writeln!(
        out,
        "mail_outbox_backlog{{state=\"failed\"}} {}",
        s.outbox_failed
    );
    if let Some(age) = s.backup_age_seconds {
        family(
            &mut out,
            "backup_age_seconds",
            "Seconds since the last backup.",
        );
        let _ = writeln!(out, "backup_age_seconds {age}");
    }
    if let Some(verified) = s.backup_last_verified {
        family(
            &mut out,
            "backup_last_verified",
            "1 when the last backup verified, 0 when it failed.",
        );
        let _ = writeln!(out, "backup_last_verified {}", u8::from(verified));
    }
    if let Some(replica) = &s.replication {
        render_replica(&mut out, replica.as_ref());
    }
    out
}

fn render_replica(out: &mut String, replica: Option<&ReplicaGauges>) {
    family(
        out,
        "replication_replica_readable",
        "1 when the replica's bucket could be listed at this scrape, 0 when not.",
    );
    let _ = writeln!(
        out,
        "replication_replica_readable {}",
        u8::from(replica.is_some())
    );
    let Some(replica) = replica else { return };
    family(
        out,
        "replication_lag_seconds",
        "Seconds the replica trails the database (0 when it holds every transaction).",
    );
    let _ = writeln!(out, "replication_lag_seconds {}", replica.lag_seconds);
    if let Some(at) = replica.last_sync_unix {
        family(
            out,
            "replication_last_sync_timestamp_seconds",
            "Unix time of the replica's newest file: the last successful sync.",
        );
        let _ = writeln!(out, "replication_last_sync_timestamp_seconds {at}");
    }
    if let Some(at) = replica.last_snapshot_unix {
        family(
            out,
            "replication_last_snapshot_timestamp_seconds",
            "Unix time of the replica's newest full snapshot.",
        );
        let _ = writeln!(out, "replication_last_snapshot_timestamp_seconds {at}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_shown_even_at_zero() {
        let snapshot = Snapshot {
            orders: with_every_status(OrderStatus::ALL, vec![("paid".into(), 2)]),
            payments: with_every_status(PaymentStatus::ALL, vec![]),
            outbox_pending: 3,
            backup_last_verified: Some(true),
            ..Snapshot::default()
        };
        let text = render(&snapshot);
        assert!(
            text.contains("orders_by_status{status=\"paid\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("orders_by_status{status=\"pending\"} 0\n"),
            "{text}"
        );
        assert!(
            text.contains("payments_by_status{status=\"completed\"} 0\n"),
            "{text}"
        );
        assert!(
            text.contains("mail_outbox_backlog{state=\"pending\"} 3\n"),
            "{text}"
        );
        assert!(text.contains("backup_last_verified 1\n"), "{text}");
        assert!(!text.contains("backup_age_seconds"), "{text}");
        assert!(!text.contains("replication_"), "{text}");
    }

    #[test]
    fn replication_gauges_show_lag_and_last_sync_and_an_unreadable_bucket() {
        let mut snapshot = Snapshot {
            replication: Some(Some(ReplicaGauges {
                lag_seconds: 2.5,
                last_sync_unix: Some(1_800_000_000),
                last_snapshot_unix: None,
            })),
            ..Snapshot::default()
        };
        let text = render(&snapshot);
        assert!(text.contains("replication_lag_seconds 2.5\n"), "{text}");
        assert!(
            text.contains("replication_last_sync_timestamp_seconds 1800000000\n"),
            "{text}"
        );
        assert!(text.contains("replication_replica_readable 1\n"), "{text}");
        snapshot.replication = Some(None);
        let text = render(&snapshot);
        assert!(text.contains("replication_replica_readable 0\n"), "{text}");
        assert!(!text.contains("replication_lag_seconds"), "{text}");
    }
}
