//! The rows that time whole reports rather than a request rate: every admin analytics
//! report, the instructor's own, the orders CSV export, a heavy learner's data export,
//! `backup` and `backup verify`, and `migrate --dry-run`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::load::{self, Call, MakeCall};
use crate::server_log_filter;
use crate::summary::record;

/// Single requests timed one after another: enough for a p99 that is not just the maximum
/// of a handful, unless a report is so slow that they would take longer than
/// [`SINGLE_REQUESTS_TIME`] (then as many as fit, at least [`MIN_SINGLE_REQUESTS`]).
const SINGLE_REQUESTS: usize = 100;
const SINGLE_REQUESTS_TIME: Duration = Duration::from_secs(15);
const MIN_SINGLE_REQUESTS: usize = 5;

pub struct Target<'a> {
    pub client: &'a reqwest::Client,
    pub base: &'a str,
    pub address: std::net::SocketAddr,
    pub server_pid: u32,
}

/// Every analytics report over the seeded year: p50/p99 of single requests, then
/// requests/s at 8 connections.
pub async fn analytics(
    target: &Target<'_>,
    admin_token: &str,
    instructor_token: &str,
    course_id: &str,
    duration: Duration,
) {
    let year = "from=2026-01-01&to=2026-12-31";
    let reports: Vec<(String, String, &str)> = vec![
        (
            "sales by day, a year".into(),
            format!("/api/admin/analytics/sales?{year}&interval=day"),
            admin_token,
        ),
        (
            "sales by week, a year".into(),
            format!("/api/admin/analytics/sales?{year}&interval=week"),
            admin_token,
        ),
        (
            "sales by month, a year".into(),
            format!("/api/admin/analytics/sales?{year}&interval=month"),
            admin_token,
        ),
        (
            "top products, a year".into(),
            format!("/api/admin/analytics/top-products?{year}"),
            admin_token,
        ),
        (
            "top courses, a year".into(),
            format!("/api/admin/analytics/top-courses?{year}"),
            admin_token,
        ),
        (
            "users DAU/WAU/MAU, a year".into(),
            format!("/api/admin/analytics/users?{year}"),
            admin_token,
        ),
        (
            "course funnel".into(),
            format!("/api/admin/analytics/courses/{course_id}?{year}"),
            admin_token,
        ),
        (
            "instructor's own sales by day".into(),
            format!("/api/admin/analytics/sales?{year}&interval=day"),
            instructor_token,
        ),
        (
            "instructor's own top courses".into(),
            format!("/api/admin/analytics/top-courses?{year}"),
            instructor_token,
        ),
    ];
    println!(
        "\n{:<40} {:>8} {:>8} {:>12}",
        "analytics report (single requests)", "p50 ms", "p99 ms", "req/s at 8"
    );
    for (name, path, token) in reports {
        let mut times = Vec::with_capacity(SINGLE_REQUESTS);
        let mut failure = None;
        let started = Instant::now();
        for n in 0..SINGLE_REQUESTS {
            if n >= MIN_SINGLE_REQUESTS && started.elapsed() > SINGLE_REQUESTS_TIME {
                break;
            }
            let at = Instant::now();
            let response = target
                .client
                .get(format!("{}{path}", target.base))
                .bearer_auth(token)
                .send()
                .await;
            match response {
                Ok(r) if r.status().is_success() => {
                    let _ = r.bytes().await;
                }
                Ok(r) => {
                    failure = Some(format!(
                        "{} {}",
                        r.status(),
                        r.text().await.unwrap_or_default()
                    ))
                }
                Err(e) => failure = Some(e.to_string()),
            }
            times.push(at.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let (p50, p99) = (quantile(&times, 0.5), quantile(&times, 0.99));
        let (t, p) = (token.to_string(), path.clone());
        let make: MakeCall = Arc::new(move |_, _| Call::get(p.clone()).auth(&t));
        let loaded = load::run(target.address, 8, duration, make).await;
        println!(
            "{name:<40} {p50:>8.2} {p99:>8.2} {:>12.0}{}",
            loaded.rps(),
            if times.len() < SINGLE_REQUESTS {
                format!("  (p99 of {} requests)", times.len())
            } else {
                String::new()
            }
        );
        if let Some(f) = failure.or(loaded.first_error.clone()) {
            println!(
                "    first error: {}",
                f.chars().take(200).collect::<String>()
            );
        }
        record(format!("analytics: {name} p99"), "ms", p99);
        record(
            format!("analytics: {name} at 8 conns"),
            "req/s",
            loaded.rps(),
        );
    }
}

/// The full orders CSV export, streamed: time, bytes and how far the server's resident
/// memory rose above where it stood before the request.
pub async fn orders_csv(target: &Target<'_>, admin_token: &str) {
    let before = rss_mb(target.server_pid);
    // Kilobytes, so the watcher can keep the highest with one atomic.
    let highest = Arc::new(AtomicU64::new((before * 1024.0) as u64));
    let running = Arc::new(AtomicBool::new(true));
    let watcher = {
        let (highest, running, pid) = (highest.clone(), running.clone(), target.server_pid);
        tokio::spawn(async move {
            while running.load(Ordering::Relaxed) {
                highest.fetch_max(status_kb(pid, "VmRSS:") as u64, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let at = Instant::now();
    let mut bytes = 0usize;
    let status = match target
        .client
        .get(format!(
            "{}/api/admin/orders/export?from=2026-01-01&to=2026-12-31",
            target.base
        ))
        .bearer_auth(admin_token)
        .send()
        .await
    {
        Ok(mut response) => {
            let status = response.status().to_string();
            while let Ok(Some(chunk)) = response.chunk().await {
                bytes += chunk.len();
            }
            status
        }
        Err(e) => e.to_string(),
    };
    let seconds = at.elapsed().as_secs_f64();
    running.store(false, Ordering::Relaxed);
    let _ = watcher.await;
    let growth = highest.load(Ordering::Relaxed) as f64 / 1024.0 - before;
    println!(
        "\norders CSV export: {status}, {:.1} MB in {seconds:.2} s ({:.0} MB/s), server RSS +{growth:.1} MiB",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds.max(1e-6)
    );
    record("orders CSV export", "s", seconds);
    record("orders CSV export size", "MB", bytes as f64 / 1e6);
    record("orders CSV export RSS growth", "MiB", growth);
}

/// A learner's whole data export (GDPR), for the learner with 5,000 progress rows.
pub async fn learner_export(target: &Target<'_>, learner_token: &str) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..5 {
        let at = Instant::now();
        if let Ok(r) = target
            .client
            .get(format!("{}/api/users/me/export", target.base))
            .bearer_auth(learner_token)
            .send()
            .await
        {
            size = r.bytes().await.map_or(0, |b| b.len());
        }
        times.push(at.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let worst = times.last().copied().unwrap_or(0.0);
    println!(
        "data export of a learner with 5,000 progress rows: {:.1} kB, median {:.1} ms, worst of 5 {worst:.1} ms",
        size as f64 / 1e3,
        quantile(&times, 0.5)
    );
    record("learner data export (worst of 5)", "ms", worst);
}

/// `backup` while the server serves, then `backup verify` of that archive, both timed
/// against the database's size.
pub fn backup_and_verify(binary: &str, data: &Path, out_dir: &Path) {
    let db_mb = database_mb(data);
    let archive = out_dir.join("bench-backup.zip");
    let at = Instant::now();
    let made = cli(
        binary,
        data,
        &["backup", "--out", archive.to_str().unwrap_or("")],
    );
    let backup_s = at.elapsed().as_secs_f64();
    let at = Instant::now();
    let verified = cli(
        binary,
        data,
        &["backup", "verify", archive.to_str().unwrap_or("")],
    );
    let verify_s = at.elapsed().as_secs_f64();
    let archive_mb = std::fs::metadata(&archive).map_or(0.0, |m| m.len() as f64 / 1e6);
    println!(
        "backup of a {db_mb:.0} MB database: {} in {backup_s:.2} s ({:.0} MB/s, archive {archive_mb:.0} MB); verify: {} in {verify_s:.2} s ({:.0} MB/s)",
        if made { "ok" } else { "FAILED" },
        db_mb / backup_s.max(1e-6),
        if verified { "ok" } else { "FAILED" },
        db_mb / verify_s.max(1e-6),
    );
    let _ = std::fs::remove_file(&archive);
    record("database size", "MB", db_mb);
    record("backup", "MB/s", db_mb / backup_s.max(1e-6));
    record("backup verify", "MB/s", db_mb / verify_s.max(1e-6));
}

/// `migrate --dry-run` on a database one migration behind: the latest migration applied to
/// a copy of the seeded school, checked and counted.
pub fn migrate_dry_run(binary: &str, data: &Path) {
    let at = Instant::now();
    let ok = cli(binary, data, &["migrate", "--dry-run"]);
    let seconds = at.elapsed().as_secs_f64();
    println!(
        "migrate --dry-run of the latest migration: {} in {seconds:.2} s",
        if ok { "ok" } else { "FAILED" }
    );
    record("migrate --dry-run (latest migration)", "s", seconds);
}

/// Runs `schoolhouse ARGS --data-dir DATA` quietly; whether it succeeded.
pub fn cli(binary: &str, data: &Path, args: &[&str]) -> bool {
    Command::new(binary)
        .args(args)
        .args(["--data-dir", data.to_str().unwrap_or(".")])
        .env("SCHOOLHOUSE_LOG", server_log_filter())
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The database's own size (its pages), which is what a backup copies: the WAL file can be
/// far larger than the pages it holds new versions of after a write-heavy run.
pub fn database_mb(data: &Path) -> f64 {
    let open = rusqlite::Connection::open_with_flags(
        data.join("schoolhouse.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    );
    open.and_then(|conn| {
        conn.query_row(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            [],
            |r| r.get::<_, i64>(0),
        )
    })
    .map_or(0.0, |bytes| bytes as f64 / 1e6)
}

pub fn rss_mb(pid: u32) -> f64 {
    status_kb(pid, "VmRSS:") / 1024.0
}

pub fn status_kb(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
}

/// The `q` quantile of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}
