//! The benchmark: seeds a large school, starts the release server, drives each scenario at
//! a fixed concurrency and prints requests/s, latency percentiles, errors, the ratio to the
//! `/healthz` baseline, peak RSS, time to ready and binary size.
//!
//! Run it with `bench/run` (which builds the release binary first).

mod drain;
mod load;
mod reports;
mod requests;
mod seed;
mod summary;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use load::{Figures, MakeCall};
use serde_json::{Value, json};
use summary::record;

pub struct Options {
    binary: String,
    pub seconds: u64,
    /// Scenario names to run (the baseline always runs); empty: all.
    only: Vec<String>,
    /// Sizes of school to run at, in multiples of the reference school.
    scales: Vec<usize>,
    /// Seeded data dirs kept here (one per scale) and reused by the next run.
    keep_data: Option<std::path::PathBuf>,
    /// Mails queued for each outbox drain row.
    mails: usize,
}

/// Scenario names for `--only` (comma-separated).
const SCENARIOS: &[&str] = &[
    "courses",
    "course",
    "search",
    "cart",
    "checkout",
    "cart-checkout",
    "progress",
    "login",
    "mixed",
    "analytics",
    "exports",
    "backup",
    "mail",
];

impl Options {
    pub fn wants(&self, scenario: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == scenario)
    }
}

fn options() -> Options {
    let mut binary = "target/release/schoolhouse".to_string();
    let mut seconds = 10;
    let mut only = Vec::new();
    let mut scales = vec![1];
    let mut keep_data = None;
    let mut mails = 20_000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--binary" => binary = args.next().unwrap_or(binary),
            "--seconds" => seconds = args.next().and_then(|s| s.parse().ok()).unwrap_or(seconds),
            "--scale" => {
                scales = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|s| s.trim().trim_end_matches('x').parse().ok())
                    .filter(|n| *n > 0)
                    .collect();
                if scales.is_empty() {
                    eprintln!("--scale takes positive whole numbers, e.g. 1,10,50");
                    std::process::exit(2);
                }
            }
            "--keep-data" => keep_data = args.next().map(std::path::PathBuf::from),
            "--mails" => mails = args.next().and_then(|s| s.parse().ok()).unwrap_or(mails),
            "--only" => {
                only = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                if let Some(bad) = only.iter().find(|s| !SCENARIOS.contains(&s.as_str())) {
                    eprintln!("unknown scenario {bad}; one of: {}", SCENARIOS.join(", "));
                    std::process::exit(2);
                }
            }
            other => {
                eprintln!(
                    "unknown argument {other}; usage: bench [--binary PATH] [--seconds N] \
                     [--scale 1,10,50] [--keep-data DIR] [--mails N] [--only {}]",
                    SCENARIOS.join(",")
                );
                std::process::exit(2);
            }
        }
    }
    Options {
        binary,
        seconds,
        only,
        scales,
        keep_data,
        mails,
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18080)
}

fn peak_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn start_server(
    binary: &str,
    data: &std::path::Path,
    port: u16,
    extra_env: &[(&'static str, String)],
) -> Child {
    Command::new(binary)
        .args([
            "serve",
            "--data-dir",
            data.to_str().unwrap_or("."),
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env("SCHOOLHOUSE_LOG", server_log_filter())
        .env("SCHOOLHOUSE_AUTH__ACCESS_TOKEN_MINUTES", "120")
        .env("SCHOOLHOUSE_RATE_LIMIT__ENABLED", "false")
        .env("SCHOOLHOUSE_BACKUPS__INTERVAL_HOURS", "0")
        // Its buyers each place a few unpaid orders of one product in a row, past the
        // per-buyer holds a school runs with (3 orders, 5 units): lift them to the most the
        // config takes, so the rows measure the write path, the cap checks included.
        .env("SCHOOLHOUSE_ORDERS__MAX_OPEN_ORDERS", "10000")
        .env("SCHOOLHOUSE_ORDERS__MAX_PENDING_UNITS_PER_PRODUCT", "10000")
        .envs(extra_env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {binary}: {e}"))
}

/// The server's log filter: errors only, unless `BENCH_SERVER_LOG` asks for more (for
/// example `schoolhouse::db=debug` to see each checkpoint while a row runs).
pub fn server_log_filter() -> String {
    std::env::var("BENCH_SERVER_LOG").unwrap_or_else(|_| "error".into())
}

async fn wait_ready(client: &reqwest::Client, base: &str) -> Duration {
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status().is_success()
        {
            return started.elapsed();
        }
        if started.elapsed() > Duration::from_secs(30) {
            panic!("the server did not become ready within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

async fn login(client: &reqwest::Client, base: &str, email: &str) -> String {
    let body: Value = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "email": email, "password": seed::PASSWORD }))
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .expect("bench login")
        .json()
        .await
        .expect("login body");
    body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The writer's commits, writes, idle seconds and commit seconds from `/metrics`.
async fn writer_counts(client: &reqwest::Client, base: &str) -> [f64; 4] {
    let text = match client.get(format!("{base}/metrics")).send().await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    [
        value("db_writer_commits_total "),
        value("db_writer_writes_total "),
        value("db_writer_idle_seconds "),
        value("db_writer_commit_seconds "),
    ]
}

/// Waits until the writer has had nothing to do for a second (two minutes at most), and
/// returns the seconds waited.
async fn settle(client: &reqwest::Client, base: &str) -> f64 {
    let start = Instant::now();
    let mut writes = writer_counts(client, base).await[1];
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = writer_counts(client, base).await[1];
        if now == writes || start.elapsed() > Duration::from_secs(120) {
            return start.elapsed().as_secs_f64();
        }
        writes = now;
    }
}

/// Lets the earlier rows' work end before a row that measures writes or latency: their
/// queued work (an order's receipt is sent, and marked sent, after its answer) would share
/// the writer and the cores with it, and the pages they left dirty (the checkout rows' about
/// 390 MB at 1x) would be written back by the kernel 30 s later, in the middle of this row,
/// with its fsyncs waiting behind them.
pub async fn quiet_down(client: &reqwest::Client, base: &str) {
    let waited = settle(client, base).await;
    if waited >= 2.0 {
        println!("  (the writer finished the earlier rows' work in {waited:.1} s)");
    }
    let flushed = flush_to_disk();
    if flushed >= 0.5 {
        println!("  (wrote the earlier rows' dirty pages to disk in {flushed:.1} s)");
    }
}

/// Writes every dirty page to disk (`sync`), so no row's fsyncs queue behind the seeding's
/// or the settling's writes: a fresh 1x seed leaves about 300 MB for the kernel to write back
/// while the first rows run. Returns the seconds it took.
pub fn flush_to_disk() -> f64 {
    let at = Instant::now();
    if let Err(e) = Command::new("sync").status() {
        eprintln!("sync failed: {e}");
    }
    at.elapsed().as_secs_f64()
}

/// Runs a write scenario and prints its row, then how the writer grouped its writes.
pub async fn write_row(
    client: &reqwest::Client,
    base: &str,
    address: std::net::SocketAddr,
    name: &str,
    duration: Duration,
    make: MakeCall,
    baseline: f64,
) {
    quiet_down(client, base).await;
    let before = writer_counts(client, base).await;
    let cpu_before = writer_cpu_ns();
    let figures = load::run(address, 32, duration, make).await;
    let cpu = writer_cpu_ns() - cpu_before;
    let after = writer_counts(client, base).await;
    row(name, 32, &figures, baseline);
    let [commits, writes, idle, committing] = std::array::from_fn(|i| after[i] - before[i]);
    let seconds = figures.seconds.max(0.001);
    println!(
        "    writer: {:.0} commits/s, {:.1} writes per commit; {:.0} µs of CPU per write; \
         time on CPU {:.0}%, waiting for writes {:.0}%, in COMMIT {:.0}%",
        commits / seconds,
        writes / commits.max(1.0),
        cpu / 1e3 / writes.max(1.0),
        cpu / 1e7 / seconds,
        idle * 100.0 / seconds,
        committing * 100.0 / seconds,
    );
    record(
        format!("{name} writer CPU per write"),
        "us",
        cpu / 1e3 / writes.max(1.0),
    );
}

/// Nanoseconds the server's `db-writer` thread has spent on a CPU (its `schedstat`), so a
/// write row can say how much writer CPU each write costs: a steadier figure than
/// throughput when the generator and the server share the cores.
fn writer_cpu_ns() -> f64 {
    let Some(pid) = server_pid() else {
        return 0.0;
    };
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0.0;
    };
    tasks
        .flatten()
        .find(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == "db-writer")
        })
        .and_then(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0)
}

/// The running server's process id (0: none), for the RSS column and the writer's CPU.
static SERVER_PID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

fn server_pid() -> Option<u32> {
    Some(SERVER_PID.load(std::sync::atomic::Ordering::Relaxed)).filter(|pid| *pid != 0)
}

pub fn row(name: &str, connections: usize, f: &Figures, baseline: f64) {
    println!(
        "{name:<34} {connections:>5} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>7} {:>7.1}% {:>8.1}",
        f.rps(),
        f.p50_ms,
        f.p99_ms,
        f.p999_ms,
        f.errors,
        100.0 * f.rps() / baseline.max(1.0),
        server_pid().map_or(0.0, peak_rss_mb)
    );
    record(format!("{name} ({connections}) p99"), "ms", f.p99_ms);
    record(
        format!("{name} ({connections}) of base"),
        "%",
        100.0 * f.rps() / baseline.max(1.0),
    );
    if let Some((reads, writes)) = f.read_write_p99_ms {
        println!("    p99 of reads {reads:.2} ms, of writes {writes:.2} ms");
    }
    if let Some(e) = &f.first_error {
        println!(
            "    first error: {}",
            e.chars().take(200).collect::<String>()
        );
    }
}

/// One server under test: how to start it on the scale's data dir and wait until ready.
pub struct Server<'a> {
    pub binary: &'a str,
    pub data: &'a std::path::Path,
    pub port: u16,
    pub client: &'a reqwest::Client,
    pub base: String,
}

impl Server<'_> {
    pub fn start(&self, extra_env: &[(&'static str, String)]) -> Child {
        let child = start_server(self.binary, self.data, self.port, extra_env);
        SERVER_PID.store(child.id(), std::sync::atomic::Ordering::Relaxed);
        child
    }

    pub async fn ready(&self) -> Duration {
        wait_ready(self.client, &self.base).await
    }
}

fn stop(mut child: Child) {
    terminate(child.id());
    let _ = child.wait();
    SERVER_PID.store(0, std::sync::atomic::Ordering::Relaxed);
}

/// Asks the server process `pid` to shut down (SIGTERM).
fn terminate(pid: u32) {
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
}

/// A data dir with the school seeded at `counts`: the kept one when it was seeded at the
/// same scale (its missing migrations tried and applied as below), else a fresh one (one
/// migration short, seeded, the latest migration tried with `migrate --dry-run`, then
/// applied).
fn prepare_data(
    options: &Options,
    counts: &seed::Counts,
    scratch: &std::path::Path,
) -> std::path::PathBuf {
    let data = match &options.keep_data {
        Some(dir) => dir.join(format!("scale-{}", counts.scale)),
        None => scratch.join(format!("scale-{}", counts.scale)),
    };
    let marker = data.join("bench-seeded");
    if marker.exists() {
        println!(
            "reusing the school seeded at {}x in {} (with the writes of earlier runs)",
            counts.scale,
            data.display()
        );
        let mut conn =
            rusqlite::Connection::open(data.join("schoolhouse.db")).expect("open database");
        let pending = schoolhouse::db::pending_migrations(&mut conn).expect("migrations");
        drop(conn);
        if pending > 0 {
            println!("it lacks {pending} migration(s) of this binary");
            migrate_timed(options, &data);
        }
        let at = Instant::now();
        let rehashed = seed::rehash_kept(&data).expect("re-hash the seeded password");
        if rehashed > 0 {
            println!(
                "stored the password's hash under this binary's argon2 settings for {rehashed} accounts in {:.1} s",
                at.elapsed().as_secs_f64()
            );
        }
        return data;
    }
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).expect("data dir");
    let latest = schoolhouse::db::latest_migration_version();
    {
        let mut conn =
            rusqlite::Connection::open(data.join("schoolhouse.db")).expect("open database");
        schoolhouse::db::migrate_to(&mut conn, (latest - 1) as i32).expect("migrate");
    }
    let seeding = Instant::now();
    seed::seed(&data, counts).expect("seed");
    println!(
        "seeded {} users, {} products, {} courses x {} lessons, {} orders, {} progress rows (+5,000 of one learner) in {:.1} s",
        counts.users,
        counts.products,
        counts.courses,
        seed::LESSONS_PER_COURSE,
        counts.orders,
        counts.progress_rows,
        seeding.elapsed().as_secs_f64()
    );
    record("seeding", "s", seeding.elapsed().as_secs_f64());
    migrate_timed(options, &data);
    std::fs::write(&marker, counts.scale.to_string()).expect("marker");
    data
}

/// `migrate --dry-run`, then `migrate` (which first writes its verified snapshot), timed.
fn migrate_timed(options: &Options, data: &std::path::Path) {
    reports::migrate_dry_run(&options.binary, data);
    let at = Instant::now();
    assert!(
        reports::cli(&options.binary, data, &["migrate"]),
        "migrate failed"
    );
    println!(
        "migrate (the latest migration, with its pre-migration snapshot): {:.2} s",
        at.elapsed().as_secs_f64()
    );
    record(
        "migrate (latest migration)",
        "s",
        at.elapsed().as_secs_f64(),
    );
}

async fn run_scale(options: &Options, scale: usize, scratch: &std::path::Path) {
    println!("\n=== scale {scale}x ===");
    let counts = seed::Counts::at(scale);
    let data = prepare_data(options, &counts, scratch);
    let seeded = Arc::new(seed::Seeded::of(&counts));
    let duration = Duration::from_secs(options.seconds);
    let port = free_port();
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .expect("client");
    let server = Server {
        binary: &options.binary,
        data: &data,
        port,
        client: &client,
        base: format!("http://127.0.0.1:{port}"),
    };
    let base = server.base.clone();
    // The orders earlier runs on a kept school left unpaid: cancelled before the measured
    // start by a server whose holds last a minute, so no row shares the writer with their
    // expiry (and a buyer holds only this run's orders).
    let settling = server.start(&[("SCHOOLHOUSE_ORDERS__RESERVATION_MINUTES", "1".into())]);
    server.ready().await;
    let waited = settle(&client, &base).await;
    stop(settling);
    if waited >= 2.0 {
        println!("cancelled the orders earlier runs left unpaid in {waited:.1} s");
    }
    let flushed = flush_to_disk();
    if flushed >= 0.5 {
        println!("wrote the seeding's and settling's pages to disk in {flushed:.1} s");
    }
    let buyers = seed::sign_in_buyers(
        &data,
        &counts,
        requests::BUYERS_START,
        requests::MOST_BUYERS,
    )
    .expect("sign in the buyers");
    let process = server.start(&[]);
    let ready_ms = server.ready().await.as_secs_f64() * 1000.0;
    let pid = process.id();
    println!("process start to /readyz: {ready_ms:.0} ms");
    record("serve start to /readyz", "ms", ready_ms);

    let mut tokens = Vec::new();
    for email in seeded.student_emails.iter().take(requests::BUYERS_START) {
        tokens.push(login(&client, &base, email).await);
    }
    tokens.extend(buyers);
    println!(
        "signed in {} students ({} through the API)",
        tokens.len(),
        requests::BUYERS_START
    );
    let tokens = Arc::new(tokens);

    println!(
        "\n{:<34} {:>5} {:>10} {:>8} {:>8} {:>8} {:>7} {:>8} {:>8}",
        "scenario",
        "conns",
        "req/s",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "errors",
        "of base",
        "RSS MiB"
    );
    let (_, progress) = requests::rows(&client, &base, address, options, &seeded, &tokens).await;

    let target = reports::Target {
        client: &client,
        base: &base,
        address,
        server_pid: pid,
    };
    if options.wants("analytics") {
        let admin = login(&client, &base, "user2@bench.school").await;
        let instructor = login(&client, &base, &seeded.instructor_email).await;
        reports::analytics(
            &target,
            &admin,
            &instructor,
            &seeded.free_course_id,
            duration / 2,
        )
        .await;
    }
    if options.wants("exports") {
        let admin = login(&client, &base, "user2@bench.school").await;
        let learner = login(&client, &base, &seeded.heavy_learner_email).await;
        reports::orders_csv(&target, &admin).await;
        reports::learner_export(&target, &learner).await;
    }
    if options.wants("backup") {
        reports::backup_and_verify(&options.binary, &data, scratch);
    }
    let peak = peak_rss_mb(pid);
    println!("\npeak server RSS: {peak:.1} MiB");
    record("peak server RSS", "MiB", peak);
    stop(process);

    if options.wants("mail") {
        let mut transports = vec![drain::Transport::File];
        match std::env::var("SMTP_TEST_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
        {
            Some(port) => transports.push(drain::Transport::Smtp(port)),
            None => println!(
                "outbox drain to SMTP not measured: SMTP_TEST_PORT is not set (bench/run starts aiosmtpd)"
            ),
        }
        for transport in transports {
            if let Err(e) = drain::drain(
                &server,
                address,
                &data,
                transport,
                options.mails,
                progress.clone(),
                duration,
            )
            .await
            {
                println!("outbox drain failed: {e}");
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // A failed run must not leave its server holding the data dir (the next run's server
    // would refuse it).
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Some(pid) = server_pid() {
            terminate(pid);
        }
        report(info);
    }));
    let options = options();
    let scratch = tempfile::tempdir().expect("temp dir");
    let mut runs = Vec::new();
    for &scale in &options.scales {
        run_scale(&options, scale, scratch.path()).await;
        runs.push(summary::take());
        if options.keep_data.is_none() {
            let _ = std::fs::remove_dir_all(scratch.path().join(format!("scale-{scale}")));
        }
    }
    summary::print(&options.scales, &runs);
    if let Ok(meta) = std::fs::metadata(&options.binary) {
        println!(
            "\nrelease binary: {:.1} MB",
            meta.len() as f64 / 1_048_576.0
        );
    }
}
