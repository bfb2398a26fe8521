//! Foundation: probes, problem responses, configuration, migrations, secrets, setup, shutdown.

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use schoolhouse::http::AppError;

use crate::support::{PASSWORD, assert_problem, client, spawn_app, spawn_app_with};

const BIN: &str = env!("CARGO_BIN_EXE_schoolhouse");

#[tokio::test]
async fn health_and_readiness_answer_json() {
    let app = spawn_app().await;
    let (status, body) = app.get("/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    let (status, body) = app.get("/readyz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ready");
    assert_eq!(body["pending_migrations"], 0);
}

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/register"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    assert!(response.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn wrong_type_and_missing_field_are_422_naming_the_field() {
    let app = spawn_app().await;
    let (status, body) = app
        .post(
            "/api/auth/register",
            json!({ "email": 5, "password": "x", "name": "A" }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "email");
    let (status, body) = app
        .post(
            "/api/auth/register",
            json!({ "email": "a@example.com", "name": "A" }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "password");
}

#[tokio::test]
async fn wrong_content_type_is_a_415_problem() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "text/plain")
        .body("email=a")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn oversize_body_is_a_413_problem_and_changes_nothing() {
    let app = spawn_app_with(|c| c.server.body_limit_bytes = 4096).await;
    let huge = json!({ "email": "big@example.com", "password": "x".repeat(10_000), "name": "Big" });
    let (status, body) = app.post("/api/auth/register", huge, None).await;
    assert_problem(status, &body, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = app
        .post(
            "/api/auth/login",
            json!({ "email": "big@example.com", "password": "x".repeat(10_000) }),
            None,
        )
        .await;
    assert_ne!(status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_route_and_wrong_method_are_problems() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/no-such-thing", None).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = app.delete("/healthz", None).await;
    assert_problem(status, &body, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let response = client().get(app.url("/healthz")).send().await.unwrap();
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(!headers["x-request-id"].is_empty());
}

#[tokio::test]
async fn setup_link_creates_exactly_one_admin() {
    let app = spawn_app().await;
    let token = schoolhouse::auth::service::issue_setup_token(&app.state)
        .await
        .unwrap()
        .expect("a token while no admin exists");
    let (status, body) = app
        .post(
            "/api/setup",
            json!({ "token": "forged", "email": "root@example.com", "password": PASSWORD }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(
            "/api/setup",
            json!({ "token": token, "email": "root@example.com", "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["user"]["role"], "admin");
    let (status, body) = app
        .post(
            "/api/setup",
            json!({ "token": token, "email": "second@example.com", "password": PASSWORD }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    let admins: i64 = app
        .state
        .db
        .read(|c| {
            Ok(
                c.query_row("SELECT COUNT(*) FROM users WHERE role = 'admin'", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
        .unwrap();
    assert_eq!(admins, 1);
    assert!(
        schoolhouse::auth::service::issue_setup_token(&app.state)
            .await
            .unwrap()
            .is_none(),
        "no new setup link once an admin exists"
    );
    app.login("root@example.com", PASSWORD).await;
}

#[tokio::test]
async fn expired_setup_link_is_gone() {
    let app = spawn_app().await;
    let token = schoolhouse::auth::service::issue_setup_token(&app.state)
        .await
        .unwrap()
        .unwrap();
    app.state.clock.advance(time::Duration::minutes(61));
    let (status, body) = app
        .post(
            "/api/setup",
            json!({ "token": token, "email": "root@example.com", "password": PASSWORD }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::GONE);
}

#[tokio::test]
async fn first_start_secrets_are_private_and_reused_on_restart() {
    let kept = tempfile::tempdir().unwrap();
    let data = kept.path().join("data");
    let data_for_config = data.clone();
    let app = spawn_app_with(move |c| c.data_dir = data_for_config).await;
    let user = app.student().await;
    let jwt_path = data.join("secrets/jwt.key");
    let key_path = data.join("secrets/encryption.key");
    for path in [&jwt_path, &key_path] {
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
    let before = (
        std::fs::read(&jwt_path).unwrap(),
        std::fs::read(&key_path).unwrap(),
    );
    let config = app.state.config.as_ref().clone();
    app.stop().await;
    let state = schoolhouse::state::AppState::open(config).unwrap();
    assert_eq!(std::fs::read(&jwt_path).unwrap(), before.0);
    assert_eq!(std::fs::read(&key_path).unwrap(), before.1);
    // A token signed before the restart still verifies with the reused key.
    let now = state.now().unix_timestamp();
    assert!(state.jwt.verify(&user.token, now).is_some());
    state.db.close();
}

/// Rows of about 600 bytes: 20,000 of them outgrow the writer's page cache (8 MiB), so the
/// write's pages and their savepoint copies also spill out of memory.
async fn write_big_rows(app: &crate::support::TestApp, fail: bool) -> Result<usize, AppError> {
    app.state
        .db
        .write(move |conn| {
            let changed = if conn.query_row(
                "SELECT COUNT(*) FROM counters WHERE name LIKE 'big-%'",
                [],
                |r| r.get::<_, i64>(0),
            )? == 0
            {
                let mut insert = conn.prepare(
                    "INSERT INTO counters (name, value) VALUES ('big-' || ?1 || ?2, ?1)",
                )?;
                for n in 0..20_000 {
                    insert.execute(rusqlite::params![n, "x".repeat(600)])?;
                }
                20_000
            } else {
                conn.execute(
                    "UPDATE counters SET value = value + 1 WHERE name LIKE 'big-%'",
                    [],
                )?
            };
            if fail {
                return Err(AppError::conflict("refused after writing"));
            }
            Ok(changed)
        })
        .await
}

#[tokio::test]
async fn a_write_bigger_than_the_page_cache_commits_or_rolls_back_whole() {
    let app = spawn_app().await;
    assert_eq!(write_big_rows(&app, false).await.unwrap(), 20_000);
    assert!(write_big_rows(&app, true).await.is_err());
    assert_eq!(write_big_rows(&app, false).await.unwrap(), 20_000);
    let values = app
        .state
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT MIN(value - CAST(substr(name, 5) AS INTEGER)), MAX(value - CAST(substr(name, 5) AS INTEGER)) FROM counters WHERE name LIKE 'big-%'",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(
        values,
        (1, 1),
        "one update kept, the refused one rolled back"
    );
}

#[tokio::test]
async fn the_writer_runs_ahead_of_request_handling_where_allowed() {
    let nice_of = |tid| rustix::process::getpriority_process(Some(tid)).unwrap();
    let app = spawn_app().await;
    let writer_nice = app
        .state
        .db
        .write(move |_| Ok::<_, AppError>(nice_of(rustix::thread::gettid())))
        .await
        .unwrap();
    // Whether this process may raise a thread's priority: try on a throwaway thread.
    let allowed = std::thread::spawn(|| {
        let me = Some(rustix::thread::gettid());
        rustix::process::setpriority_process(me, schoolhouse::db::WRITER_NICENESS).is_ok()
    })
    .join()
    .unwrap();
    let process_nice = nice_of(rustix::thread::gettid());
    if allowed {
        assert_eq!(
            writer_nice,
            process_nice.min(schoolhouse::db::WRITER_NICENESS)
        );
    } else {
        assert_eq!(writer_nice, process_nice, "a refusal leaves it as it was");
    }
}

fn run_cli(args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("SCHOOLHOUSE_CONFIG");
    for (k, v) in envs {
        command.env(k, v);
    }
    command.output().unwrap()
}

#[test]
fn config_errors_name_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[server]\nlisten = \"not an address\"\n").unwrap();
    let out = run_cli(
        &["config", "check", "--config", file.to_str().unwrap()],
        &[],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("server.listen"));

    std::fs::write(&file, "[database]\nsynchronus = \"full\"\n").unwrap();
    let out = run_cli(
        &["config", "check", "--config", file.to_str().unwrap()],
        &[],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("synchronus"));

    let out = run_cli(
        &["config", "check"],
        &[("SCHOOLHOUSE_STORE__CURRENCY", "euro")],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("store.currency"));
}

#[test]
fn config_check_prints_effective_config_without_secrets() {
    let out = run_cli(
        &["config", "check"],
        &[(
            "SCHOOLHOUSE_AUTH__JWT_SECRET",
            "a-very-long-secret-that-nobody-should-see",
        )],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("listen = \"127.0.0.1:8080\""));
    assert!(!text.contains("nobody-should-see"));
}

#[test]
fn config_example_is_the_documented_file() {
    let out = run_cli(&["config", "example"], &[]);
    assert!(out.status.success());
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml"))
            .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), shipped);
}

#[test]
fn migrations_apply_once_and_status_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = run_cli(&["migrate", "status", "--data-dir", data], &[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("pending"));
    let out = run_cli(&["migrate", "--data-dir", data], &[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("applied migrations"));
    let out = run_cli(&["migrate", "--data-dir", data], &[]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("up to date"), "{text}");
    let out = run_cli(&["migrate", "status", "--data-dir", data], &[]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("V1") && text.contains("initial"), "{text}");
    assert!(!text.contains("pending"), "{text}");
}

#[test]
fn version_prints_the_crate_version() {
    let out = run_cli(&["version"], &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
}

/// Starts the real binary on a free port (with a cheap argon2 cost unless `env` sets
/// another) and waits until `/readyz` answers.
async fn start_binary(
    data: &std::path::Path,
    env: &[(&str, &str)],
) -> (std::process::Child, String, String) {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(BIN)
        .args([
            "serve",
            "--data-dir",
            data.to_str().unwrap(),
            "--listen",
            &listen,
        ])
        .env("SCHOOLHOUSE_AUTH__ARGON2__MEMORY_KIB", "64")
        .env("SCHOOLHOUSE_AUTH__ARGON2__ITERATIONS", "1")
        .env("SCHOOLHOUSE_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://{listen}");
    let http = client();
    for _ in 0..200 {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await
            && r.status() == StatusCode::OK
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    (child, base, listen)
}

/// Guards the memory settings: the allocator commits only what it uses (`.cargo/config.toml`)
/// and start-up keeps no argon2 buffer. Either regression adds about 17-19 MB here.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn an_idle_server_keeps_little_memory_resident() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, _, _) = start_binary(
        dir.path(),
        &[
            ("SCHOOLHOUSE_AUTH__ARGON2__MEMORY_KIB", "19456"),
            ("SCHOOLHOUSE_AUTH__ARGON2__ITERATIONS", "2"),
        ],
    )
    .await;
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let anon_kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("RssAnon:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    assert!(
        anon_kib < 30 * 1024,
        "an idle server holds {anon_kib} KiB of anonymous memory (a CFLAGS set in the \
         environment replaces the allocator setting in .cargo/config.toml)"
    );
}

#[tokio::test]
async fn serve_prints_a_setup_link_that_works() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let (mut child, base, _) = start_binary(dir.path(), &[]).await;
    let mut stdout = child.stdout.take().unwrap();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success());
    let mut printed = String::new();
    stdout.read_to_string(&mut printed).unwrap();
    let token = printed
        .split("/setup?token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("serve printed a setup link")
        .to_string();
    // Each start prints a fresh link; the printed one was valid while that server ran.
    assert_eq!(token.len(), 43);
    assert!(printed.contains(&base));
}

/// Sends a registration whose body arrives in two parts, so the request is provably in
/// flight (accepted, headers read, body pending) while the server is told to stop.
fn start_slow_registration(listen: &str, n: usize) -> (std::net::TcpStream, Vec<u8>) {
    use std::io::Write;
    let body = format!(
        "{{\"email\":\"slow{n}@example.com\",\"password\":\"{PASSWORD}\",\"name\":\"Slow {n}\"}}"
    );
    let mut stream = std::net::TcpStream::connect(listen).unwrap();
    let head = format!(
        "POST /api/auth/register HTTP/1.1\r\nHost: {listen}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let (first, rest) = body.as_bytes().split_at(10);
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(first).unwrap();
    stream.flush().unwrap();
    (stream, rest.to_vec())
}

#[tokio::test]
async fn sigterm_lets_in_flight_requests_finish_and_exits_zero() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let (mut child, _base, listen) = start_binary(dir.path(), &[]).await;
    let in_flight: Vec<_> = (0..3)
        .map(|n| start_slow_registration(&listen, n))
        .collect();
    // Give the server time to accept the connections and start reading the bodies.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    tokio::time::sleep(Duration::from_millis(300)).await;
    for (mut stream, rest) in in_flight {
        stream.write_all(&rest).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(
            response.starts_with("HTTP/1.1 201"),
            "in-flight request was not answered: {response}"
        );
    }
    let exit = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(exit.success(), "exit status {exit:?}");
    // The database was closed cleanly (WAL checkpointed away) and kept the three accounts.
    let wal = dir.path().join("schoolhouse.db-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0);
    let conn = rusqlite::Connection::open(dir.path().join("schoolhouse.db")).unwrap();
    let users: i64 = conn
        .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(users, 3);
}
