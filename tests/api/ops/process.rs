//! The serve process: first-start secrets, idle memory, the printed setup link, and SIGTERM
//! letting in-flight requests finish.

use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;

use crate::support::{PASSWORD, client, spawn_app_with};
use std::os::unix::fs::PermissionsExt;

const BIN: &str = env!("CARGO_BIN_EXE_schoolhouse");

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

/// Starts the real binary on a free port (with a cheap argon2 cost unless `env` sets
/// another), its log going to `stderr`, and waits until `/readyz` answers.
async fn start_binary(
    data: &std::path::Path,
    env: &[(&str, &str)],
    stderr: Stdio,
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
        .stderr(stderr)
        .spawn()
        .unwrap();
    let base = format!("http://{listen}");
    let http = client();
    let ready = format!("{base}/readyz");
    wait_until("the server becoming ready", || async {
        http.get(&ready)
            .send()
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
    })
    .await;
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
        Stdio::null(),
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
    let (mut child, base, _) = start_binary(dir.path(), &[], Stdio::null()).await;
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

/// Polls `ready` every few milliseconds; fails naming `what` after 20 s.
async fn wait_until<F: std::future::Future<Output = bool>>(what: &str, ready: impl Fn() -> F) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !ready().await {
        assert!(
            std::time::Instant::now() < deadline,
            "{what} did not happen within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Requests the server is handling now, by its own `/metrics` (the scrape counts itself).
async fn requests_in_flight(base: &str) -> usize {
    let text = client()
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let gauge = text
        .lines()
        .find_map(|l| l.strip_prefix("http_requests_in_flight "))
        .expect("the in-flight gauge");
    gauge.trim().parse::<f64>().unwrap() as usize - 1
}

#[tokio::test]
async fn sigterm_lets_in_flight_requests_finish_and_exits_zero() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("server.log");
    let (mut child, base, listen) = start_binary(
        dir.path(),
        &[("SCHOOLHOUSE_LOG", "info")],
        Stdio::from(std::fs::File::create(&log).unwrap()),
    )
    .await;
    let in_flight: Vec<_> = (0..3)
        .map(|n| start_slow_registration(&listen, n))
        .collect();
    // The server has accepted the three and is reading their bodies.
    wait_until("three registrations in flight", || async {
        requests_in_flight(&base).await >= 3
    })
    .await;
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    wait_until("the server starting to shut down", || async {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("shutting down")
    })
    .await;
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
