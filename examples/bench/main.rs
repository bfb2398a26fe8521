//! The benchmark: seeds a large school, starts the release server, drives each scenario at
//! a fixed concurrency and prints requests/s, latency percentiles, errors, the ratio to the
//! `/healthz` baseline, peak RSS, time to ready and binary size.
//!
//! Run it with `bench/run` (which builds the release binary first).

mod load;
mod seed;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use load::{Call, Figures, MakeCall};
use serde_json::{Value, json};

struct Options {
    binary: String,
    seconds: u64,
    /// Scenario names to run (the baseline always runs); empty: all.
    only: Vec<String>,
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
];

impl Options {
    fn wants(&self, scenario: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == scenario)
    }
}

fn options() -> Options {
    let mut binary = "target/release/schoolhouse".to_string();
    let mut seconds = 10;
    let mut only = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--binary" => binary = args.next().unwrap_or(binary),
            "--seconds" => seconds = args.next().and_then(|s| s.parse().ok()).unwrap_or(seconds),
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
                     [--only {}]",
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

fn start_server(binary: &str, data: &std::path::Path, port: u16) -> Child {
    Command::new(binary)
        .args([
            "serve",
            "--data-dir",
            data.to_str().unwrap_or("."),
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env("SCHOOLHOUSE_LOG", "error")
        .env("SCHOOLHOUSE_AUTH__ACCESS_TOKEN_MINUTES", "120")
        .env("SCHOOLHOUSE_RATE_LIMIT__ENABLED", "false")
        .env("SCHOOLHOUSE_BACKUPS__INTERVAL_HOURS", "0")
        // Its 32 buyers each place thousands of unpaid orders of one product, far past the
        // per-buyer holds a school runs with (3 orders, 5 units): lift them to the most the
        // config takes, so the rows measure the write path, the cap checks included.
        .env("SCHOOLHOUSE_ORDERS__MAX_OPEN_ORDERS", "10000")
        .env("SCHOOLHOUSE_ORDERS__MAX_PENDING_UNITS_PER_PRODUCT", "10000")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {binary}: {e}"))
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

/// Runs a write scenario and prints its row, then how the writer grouped its writes.
async fn write_row(
    client: &reqwest::Client,
    base: &str,
    address: std::net::SocketAddr,
    name: &str,
    duration: Duration,
    make: MakeCall,
    baseline: f64,
) {
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
}

/// Nanoseconds the server's `db-writer` thread has spent on a CPU (its `schedstat`), so a
/// write row can say how much writer CPU each write costs: a steadier figure than
/// throughput when the generator and the server share the cores.
fn writer_cpu_ns() -> f64 {
    let Some(pid) = SERVER_PID.get() else {
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

/// The server's process id, for the peak RSS column.
static SERVER_PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();

fn row(name: &str, connections: usize, f: &Figures, baseline: f64) {
    println!(
        "{name:<34} {connections:>5} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>7} {:>7.1}% {:>8.1}",
        f.rps(),
        f.p50_ms,
        f.p99_ms,
        f.p999_ms,
        f.errors,
        100.0 * f.rps() / baseline.max(1.0),
        SERVER_PID.get().map_or(0.0, |pid| peak_rss_mb(*pid))
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

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let options = options();
    let duration = Duration::from_secs(options.seconds);
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let status = Command::new(&options.binary)
        .args(["migrate", "--data-dir", data.to_str().unwrap_or(".")])
        .stdout(Stdio::null())
        .status()
        .expect("run migrate");
    assert!(status.success(), "migrate failed");
    let seeding = Instant::now();
    let seeded = Arc::new(seed::seed(&data).expect("seed"));
    println!(
        "seeded {} users, {} products, {} courses x {} lessons, {} orders, {} progress rows in {:.1} s",
        seed::USERS,
        seed::PRODUCTS,
        seed::COURSES,
        seed::LESSONS_PER_COURSE,
        seed::ORDERS,
        seed::PROGRESS_ROWS,
        seeding.elapsed().as_secs_f64()
    );

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .expect("client");
    let process_started = Instant::now();
    let mut server = start_server(&options.binary, &data, port);
    wait_ready(&client, &base).await;
    let ready_ms = process_started.elapsed().as_secs_f64() * 1000.0;
    let pid = server.id();
    let _ = SERVER_PID.set(pid);

    let mut tokens = Vec::new();
    for email in seeded.student_emails.iter().take(256) {
        tokens.push(login(&client, &base, email).await);
    }
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
    let healthz: MakeCall = Arc::new(|_, _| Call::get("/healthz"));
    let baseline = load::run(address, 32, duration, healthz).await;
    row("GET /healthz (baseline)", 32, &baseline, baseline.rps());
    let base_rps = baseline.rps();

    let s = seeded.clone();
    let course_list: MakeCall = Arc::new(move |_, i| {
        Call::get(format!(
            "/api/courses?per_page=20&sort=rating&category={}&page={}",
            s.category_id,
            1 + i % 5
        ))
    });
    if options.wants("courses") {
        row(
            "GET /api/courses (filter+sort)",
            32,
            &load::run(address, 32, duration, course_list.clone()).await,
            base_rps,
        );
    }

    let s = seeded.clone();
    let course_detail: MakeCall = Arc::new(move |w, i| {
        Call::get(format!(
            "/api/courses/{}",
            s.course_ids[(w * 7 + i as usize) % s.course_ids.len()]
        ))
    });
    if options.wants("course") {
        row(
            "GET /api/courses/:id",
            32,
            &load::run(address, 32, duration, course_detail.clone()).await,
            base_rps,
        );
    }

    let search: MakeCall = Arc::new(|w, i| {
        const TERMS: &[&str] = &["garden", "guitar", "chess", "piano", "yoga", "design"];
        Call::get(format!(
            "/api/products?q={}",
            TERMS[(w + i as usize) % TERMS.len()]
        ))
    });
    if options.wants("search") {
        row(
            "GET /api/products?q= (search)",
            32,
            &load::run(address, 32, duration, search).await,
            base_rps,
        );
    }

    // Cart adds use their own 32 users (tokens 32..64), so checkout's carts start empty;
    // each worker cycles through the digital products (a line holds at most 1,000).
    let (s, t) = (seeded.clone(), tokens.clone());
    let cart_add: MakeCall = Arc::new(move |w, i| {
        let product = &s.digital_product_ids[(w * 13 + i as usize) % s.digital_product_ids.len()];
        Call::post(
            "/api/cart",
            json!({ "item_type": "product", "item_id": product, "quantity": 1 }),
        )
        .auth(&t[32 + w])
    });
    if options.wants("cart") {
        write_row(
            &client,
            &base,
            address,
            "POST /api/cart",
            duration,
            cart_add,
            base_rps,
        )
        .await;
    }

    let shipping = json!({ "name": "Bench", "line1": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US" });
    // "Buy now": the physical product named in the order itself, one request per order.
    let (s, t, to) = (seeded.clone(), tokens.clone(), shipping.clone());
    let checkout: MakeCall = Arc::new(move |w, _| {
        Call::post(
            "/api/orders",
            json!({ "items": [{ "item_type": "product", "item_id": s.physical_product_id }], "shipping_method": "standard", "shipping_address": to }),
        )
        .auth(&t[w])
    });
    if options.wants("checkout") {
        write_row(
            &client,
            &base,
            address,
            "POST /api/orders (checkout)",
            duration,
            checkout,
            base_rps,
        )
        .await;
    }

    // The same order through the cart: a cart add, then the order of the cart.
    let (s, t) = (seeded.clone(), tokens.clone());
    let cart_checkout: MakeCall = Arc::new(move |w, _| {
        Call::post(
            "/api/orders",
            json!({ "shipping_method": "standard", "shipping_address": shipping }),
        )
        .auth(&t[w])
        .after(
            Call::post(
                "/api/cart",
                json!({ "item_type": "product", "item_id": s.physical_product_id, "quantity": 1 }),
            )
            .auth(&t[w]),
        )
    });
    if options.wants("cart-checkout") {
        write_row(
            &client,
            &base,
            address,
            "POST /api/cart + /api/orders",
            duration,
            cart_checkout,
            base_rps,
        )
        .await;
    }

    let (s, t) = (seeded.clone(), tokens.clone());
    let progress: MakeCall = Arc::new(move |w, i| {
        let lesson = &s.free_course_lessons[(i as usize) % s.free_course_lessons.len()];
        Call::post(
            format!("/api/courses/{}/progress", s.free_course_id),
            json!({ "lesson_id": lesson, "time_spent_seconds": 1 }),
        )
        .auth(&t[w])
    });
    if options.wants("progress") {
        write_row(
            &client,
            &base,
            address,
            "POST /api/courses/:id/progress",
            duration,
            progress.clone(),
            base_rps,
        )
        .await;
    }

    let s = seeded.clone();
    let logins: MakeCall = Arc::new(move |w, i| {
        Call::post(
            "/api/auth/login",
            json!({ "email": s.student_emails[(w * 31 + i as usize) % s.student_emails.len()], "password": seed::PASSWORD }),
        )
    });
    if options.wants("login") {
        let (login_figures, reads_during) = tokio::join!(
            load::run(address, 32, duration, logins),
            load::run(address, 4, duration, course_detail.clone()),
        );
        row(
            "POST /api/auth/login (argon2 hashes)",
            32,
            &login_figures,
            base_rps,
        );
        row(
            "  GET /api/courses/:id during logins",
            4,
            &reads_during,
            base_rps,
        );
    }

    for connections in [32, 256] {
        if !options.wants("mixed") {
            break;
        }
        let (reads, writes) = (course_list.clone(), progress.clone());
        let detail = course_detail.clone();
        let mixed: MakeCall = Arc::new(move |w, i| match i % 10 {
            0 | 1 => writes(w % 256, i),
            2..=5 => detail(w, i),
            _ => reads(w, i),
        });
        row(
            "mixed 80% read / 20% write",
            connections,
            &load::run(address, connections, duration, mixed).await,
            base_rps,
        );
    }

    println!("\npeak server RSS: {:.1} MiB", peak_rss_mb(pid));
    println!("process start to /readyz: {ready_ms:.0} ms");
    if let Ok(meta) = std::fs::metadata(&options.binary) {
        println!("release binary: {:.1} MB", meta.len() as f64 / 1_048_576.0);
    }
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = server.wait();
}
