//! Restarts under load, over HTTP and HTTPS: with a socket passed the systemd way (`LISTEN_FDS`), replacing the server refuses no connection; requests made while no server runs wait in the kernel.

use std::net::TcpListener;
use std::os::fd::OwnedFd;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

const BINARY: &str = env!("CARGO_BIN_EXE_schoolhouse");
/// Load workers, each with one request in flight at a time, on a new connection each time.
const WORKERS: usize = 8;
/// Bounds the load loop even if the stop flag were never set.
const MAX_REQUESTS_PER_WORKER: usize = 5_000;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Starts `schoolhouse serve` with `socket` as its fd 3, `LISTEN_FDS=1` and `LISTEN_PID` set
/// to its own pid, as systemd does. The socket goes in as stdin and the shell moves it to fd
/// 3 before `exec`, which keeps the pid `$$` names (the crate forbids the `unsafe` a
/// `pre_exec` hook would need).
fn serve_on(socket: &TcpListener, data_dir: &Path, log: &Path, envs: &[(String, String)]) -> Child {
    let fd: OwnedFd = socket
        .try_clone()
        .expect("clone the listening socket")
        .into();
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("server log");
    Command::new("sh")
        .arg("-c")
        .arg(r#"LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" serve --data-dir "$1" 3<&0 </dev/null"#)
        .arg(BINARY)
        .arg(data_dir)
        // Were the socket ignored, the server would listen somewhere else and every request
        // to the passed socket would time out.
        .env("SCHOOLHOUSE_SERVER__LISTEN", "127.0.0.1:0")
        .env_remove("LISTEN_FDS")
        .env_remove("LISTEN_PID")
        .env_remove("SCHOOLHOUSE_CONFIG")
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::from(fd))
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .expect("spawn schoolhouse serve")
}

fn terminate(child: &Child) {
    let pid = child.id().expect("the server is running") as i32;
    let pid = rustix::process::Pid::from_raw(pid).expect("a real pid");
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("send SIGTERM");
}

/// One request of the load: when it started and ended, and what came back.
struct Outcome {
    started: Instant,
    ended: Instant,
    result: Result<u16, String>,
}

/// What the load has done so far, for waiting on it instead of sleeping.
#[derive(Default)]
struct Progress {
    started: AtomicUsize,
    finished: AtomicUsize,
    answered: AtomicUsize,
}

impl Progress {
    fn started(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }

    fn answered(&self) -> usize {
        self.answered.load(Ordering::SeqCst)
    }

    /// Requests sent and not yet answered.
    fn waiting(&self) -> usize {
        self.started() - self.finished.load(Ordering::SeqCst)
    }
}

async fn load(
    client: reqwest::Client,
    url: String,
    stop: Arc<AtomicBool>,
    progress: Arc<Progress>,
) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for _ in 0..MAX_REQUESTS_PER_WORKER {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let started = Instant::now();
        progress.started.fetch_add(1, Ordering::SeqCst);
        let result = match client.get(&url).send().await {
            Ok(response) => Ok(response.status().as_u16()),
            Err(e) => Err(format!("{e:?}")),
        };
        if result == Ok(200) {
            progress.answered.fetch_add(1, Ordering::SeqCst);
        }
        progress.finished.fetch_add(1, Ordering::SeqCst);
        outcomes.push(Outcome {
            started,
            ended: Instant::now(),
            result,
        });
    }
    outcomes
}

async fn wait_for_exit(child: &mut Child, what: &str, log: &Path) {
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .unwrap_or_else(|_| panic!("{what} did not stop within 20 s:\n{}", read(log)))
        .expect("wait for the server");
    assert!(
        status.success(),
        "{what} exited with {status}:\n{}",
        read(log)
    );
}

/// Polls `ready` until it holds; fails naming `what` (with the server log) after 20 s.
async fn wait_until(what: &str, log: &Path, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within 20 s:\n{}",
            read(log)
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarting_on_a_passed_socket_refuses_no_request() {
    let dir = tempfile::tempdir().expect("temp dir");
    let socket = TcpListener::bind("127.0.0.1:0").expect("bind a test socket");
    let url = format!("http://{}/healthz", socket.local_addr().expect("address"));
    restart_under_load(dir.path(), socket, url, client_builder(), &[]).await;
}

/// The same restart over HTTPS: connections accepted by the old process, still in their TLS
/// handshake or before their first request, are answered, not closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarting_with_tls_on_a_passed_socket_refuses_no_request() {
    let dir = tempfile::tempdir().expect("temp dir");
    let socket = TcpListener::bind("127.0.0.1:0").expect("bind a test socket");
    let addr = socket.local_addr().expect("address");
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("cert");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).expect("write cert");
    std::fs::write(&key, made.signing_key.serialize_pem()).expect("write key");
    let trusted = reqwest::Certificate::from_pem(made.cert.pem().as_bytes()).expect("pem");
    let client = client_builder()
        .add_root_certificate(trusted)
        .resolve("localhost", addr);
    let envs = [
        ("SCHOOLHOUSE_SERVER__TLS__CERT", &cert),
        ("SCHOOLHOUSE_SERVER__TLS__KEY", &key),
    ]
    .map(|(k, v)| (k.to_string(), v.display().to_string()));
    let url = format!("https://localhost:{}/healthz", addr.port());
    restart_under_load(dir.path(), socket, url, client, &envs).await;
}

/// No connection reuse: every request is a new connection the listening socket must take.
fn client_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(REQUEST_TIMEOUT)
}

async fn restart_under_load(
    dir: &Path,
    socket: TcpListener,
    url: String,
    client: reqwest::ClientBuilder,
    envs: &[(String, String)],
) {
    let data_dir = dir.join("data");
    let log = dir.join("server.log");
    let client = client.build().expect("client");

    let mut first = serve_on(&socket, &data_dir, &log, envs);
    let stop = Arc::new(AtomicBool::new(false));
    let progress = Arc::new(Progress::default());
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(load(client, url, stop.clone(), progress.clone()))
        })
        .collect();

    // Let the first server answer under load for a moment (its start-up queues requests).
    let probe = client.clone();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !probe
        .get(&url)
        .timeout(REQUEST_TIMEOUT)
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            Instant::now() < deadline,
            "the first server never answered on the passed socket:\n{}",
            read(&log)
        );
    }
    // The first server answers the whole load, several requests per worker.
    wait_until("the first server answering the load", &log, || {
        progress.answered() >= 2 * WORKERS
    })
    .await;

    terminate(&first);
    wait_for_exit(&mut first, "the first server", &log).await;
    let first_gone = Instant::now();
    let answered_at_gone = progress.answered();
    // No process accepts now: every worker's request waits in the kernel's queue.
    wait_until("requests waiting while no server runs", &log, || {
        progress.waiting() == WORKERS
    })
    .await;
    let mut second = serve_on(&socket, &data_dir, &log, envs);
    let second_started = Instant::now();
    // At most one answer per worker is for a request sent before the first server was gone.
    wait_until("the second server answering the load", &log, || {
        progress.answered() > answered_at_gone + 2 * WORKERS
    })
    .await;
    stop.store(true, Ordering::Relaxed);

    let mut outcomes = Vec::new();
    for worker in workers {
        outcomes.extend(worker.await.expect("load worker"));
    }
    terminate(&second);
    wait_for_exit(&mut second, "the second server", &log).await;

    let failures: Vec<_> = outcomes
        .iter()
        .filter(|o| o.result != Ok(200))
        .map(|o| o.result.clone())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} requests failed across the restart: {:?}\nserver log:\n{}",
        failures.len(),
        outcomes.len(),
        &failures[..failures.len().min(5)],
        read(&log)
    );
    let waited = outcomes
        .iter()
        .filter(|o| o.started < second_started && o.ended > second_started)
        .count();
    assert!(
        waited >= 1,
        "no request was made while no server ran, so the restart was not under load"
    );
    let answered_after = outcomes.iter().filter(|o| o.started > first_gone).count();
    assert!(
        answered_after > WORKERS,
        "the second server answered only {answered_after} requests"
    );
}
