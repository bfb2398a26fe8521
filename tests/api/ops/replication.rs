//! Replication test kit: the S3 peer (SeaweedFS) and Litestream named by the environment, a
//! real `schoolhouse serve` replicating to its own key prefix, and a small shop to order
//! from. A missing peer fails the test: replication is not tested by skipping it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use schoolhouse::auth::service::{self, NewAccount, Origin};
use schoolhouse::http::AppError;
use schoolhouse::state::AppState;
use schoolhouse::users::Role;
use serde_json::{Value, json};

use crate::support::{PASSWORD, client, test_config};

pub const BIN: &str = env!("CARGO_BIN_EXE_schoolhouse");
/// The environment the S3 peer script (tests/support/s3/start.sh) exports.
pub const PEER_VARIABLES: &[&str] = &[
    "S3_ENDPOINT",
    "S3_ACCESS_KEY",
    "S3_SECRET_KEY",
    "S3_REGION",
    "LITESTREAM_BIN",
];
/// Bucket every replication test uses, each under its own key prefix.
const DEFAULT_BUCKET: &str = "schoolhouse-replication";
pub const BUYER: &str = "buyer@example.com";
pub const STOCK: i64 = 100_000;
/// Fixed keys: a restored database is only usable with the keys it was written with.
const JWT_SECRET: &str = "replication-drill-jwt-secret-0123456789abcdef";
const ENCRYPTION_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/// The S3 peer and the Litestream binary.
pub struct Peer {
    pub endpoint: String,
    access_key: String,
    secret_key: String,
    region: String,
    pub litestream: String,
    pub bucket: String,
}

impl Peer {
    /// Reads the peer from the environment and makes sure the bucket exists.
    pub fn from_env() -> Peer {
        let get = |name: &str| {
            std::env::var(name).unwrap_or_else(|_| {
                panic!(
                    "{name} is not set: replication tests need the S3 peer and Litestream \
                     (source the env file of tests/support/s3/start.sh; needs {PEER_VARIABLES:?})"
                )
            })
        };
        let peer = Peer {
            endpoint: get("S3_ENDPOINT"),
            access_key: get("S3_ACCESS_KEY"),
            secret_key: get("S3_SECRET_KEY"),
            region: get("S3_REGION"),
            litestream: get("LITESTREAM_BIN"),
            bucket: std::env::var("S3_BUCKET").unwrap_or_else(|_| DEFAULT_BUCKET.into()),
        };
        peer.create_bucket();
        peer
    }

    /// PUT bucket (signed by curl); an existing bucket answers 409, which is fine.
    fn create_bucket(&self) {
        let out = Command::new("curl")
            .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT"])
            .arg("--aws-sigv4")
            .arg(format!("aws:amz:{}:s3", self.region))
            .arg("--user")
            .arg(format!("{}:{}", self.access_key, self.secret_key))
            .arg(format!("{}/{}", self.endpoint, self.bucket))
            .output()
            .expect("curl creates the test bucket");
        let code = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            code == "200" || code == "409",
            "creating bucket {} at {} answered {code}",
            self.bucket,
            self.endpoint
        );
    }

    /// `SCHOOLHOUSE_*` variables that replicate to `prefix` (plus fixed keys and cheap
    /// hashing).
    pub fn env(&self, prefix: &str) -> Vec<(String, String)> {
        [
            ("SCHOOLHOUSE_REPLICATION__ENABLED", "true"),
            ("SCHOOLHOUSE_REPLICATION__LITESTREAM_BIN", &self.litestream),
            ("SCHOOLHOUSE_REPLICATION__BUCKET", &self.bucket),
            ("SCHOOLHOUSE_REPLICATION__PATH", prefix),
            ("SCHOOLHOUSE_REPLICATION__ENDPOINT", &self.endpoint),
            ("SCHOOLHOUSE_REPLICATION__REGION", &self.region),
            ("SCHOOLHOUSE_REPLICATION__FORCE_PATH_STYLE", "true"),
            ("SCHOOLHOUSE_REPLICATION__ACCESS_KEY_ID", &self.access_key),
            (
                "SCHOOLHOUSE_REPLICATION__SECRET_ACCESS_KEY",
                &self.secret_key,
            ),
            ("SCHOOLHOUSE_AUTH__JWT_SECRET", JWT_SECRET),
            ("SCHOOLHOUSE_AUTH__ENCRYPTION_KEY", ENCRYPTION_KEY),
            ("SCHOOLHOUSE_AUTH__ARGON2__MEMORY_KIB", "64"),
            ("SCHOOLHOUSE_AUTH__ARGON2__ITERATIONS", "1"),
            ("SCHOOLHOUSE_RATE_LIMIT__AUTH_PER_MINUTE", "10000"),
            // One buyer places every order of a drill.
            ("SCHOOLHOUSE_ORDERS__MAX_OPEN_ORDERS", "10000"),
            ("SCHOOLHOUSE_ORDERS__MAX_PENDING_UNITS_PER_PRODUCT", "10000"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }
}

/// A key prefix no other test run uses.
pub fn unique_prefix(name: &str) -> String {
    format!("tests/{name}-{}", uuid::Uuid::now_v7())
}

/// Runs the CLI with `env` (no config file), returning its output.
pub fn cli(args: &[&str], env: &[(String, String)]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("SCHOOLHOUSE_CONFIG")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("run schoolhouse")
}

pub fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A `schoolhouse serve` in its own process group (with its Litestream child), so a test can
/// lose the whole machine at once.
pub struct Node {
    pub child: Child,
    pub base: String,
    pub log: PathBuf,
}

impl Node {
    /// Starts serving `data` and waits for `/readyz`.
    pub async fn start(data: &Path, env: &[(String, String)], log: &Path) -> Node {
        use std::os::unix::process::CommandExt;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listen = format!("127.0.0.1:{port}");
        let file = std::fs::File::create(log).unwrap();
        let child = Command::new(BIN)
            .args([
                "serve",
                "--data-dir",
                data.to_str().unwrap(),
                "--listen",
                &listen,
            ])
            .env_remove("SCHOOLHOUSE_CONFIG")
            .env("SCHOOLHOUSE_LOG", "info")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(file)
            .process_group(0)
            .spawn()
            .unwrap();
        let node = Node {
            child,
            base: format!("http://{listen}"),
            log: log.to_path_buf(),
        };
        node.wait_ready(Duration::from_secs(30)).await;
        node
    }

    pub async fn wait_ready(&self, limit: Duration) {
        let http = client();
        let deadline = Instant::now() + limit;
        loop {
            let ready = http
                .get(format!("{}/readyz", self.base))
                .send()
                .await
                .is_ok_and(|r| r.status() == StatusCode::OK);
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server was not ready within {limit:?}:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Loses the machine: SIGKILL to the server and its Litestream together.
    pub fn kill_machine(&mut self) {
        let group = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        rustix::process::kill_process_group(group, rustix::process::Signal::KILL).unwrap();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits; returns how long the stop took.
    pub fn stop(&mut self) -> Duration {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        let started = Instant::now();
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
        let status = self.child.wait().unwrap();
        let took = started.elapsed();
        assert!(status.success(), "exit {status:?}:\n{}", self.log_text());
        took
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.kill_machine();
        }
    }
}

/// Fills `data` with a buyer account and one product with [`STOCK`] units; returns the
/// product's id. Done in-process before any server (or replication) starts.
pub async fn shop(data: &Path) -> String {
    let mut config = test_config(data);
    config.auth.jwt_secret = JWT_SECRET.into();
    config.auth.encryption_key = ENCRYPTION_KEY.into();
    let state = AppState::open(config).unwrap();
    service::create_account(
        &state,
        NewAccount {
            email: BUYER.into(),
            password: PASSWORD.into(),
            name: "Buyer".into(),
            role: Role::Student,
        },
        None,
        &Origin::default(),
    )
    .await
    .unwrap();
    let product = uuid::Uuid::now_v7().to_string();
    let id = product.clone();
    state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO products (id, vendor_id, name, slug, kind, price_cents, currency,
                    stock_quantity, status, created_at, updated_at)
                 VALUES (?1, (SELECT id FROM users WHERE email = ?3), 'Notebook', ?1,
                    'physical', 500, 'USD', ?2, 'published', '2026-01-01T00:00:00Z',
                    '2026-01-01T00:00:00Z')",
                rusqlite::params![id, STOCK, BUYER],
            )?;
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
    state.db.close();
    product
}

/// The buyer's access token on `base`.
pub async fn login(base: &str) -> String {
    let response = client()
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "email": BUYER, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

/// An order the server acknowledged (201), with when the answer arrived.
#[derive(Debug, Clone)]
pub struct Acked {
    pub id: String,
    pub number: String,
    pub at: time::OffsetDateTime,
    pub instant: Instant,
}

/// One unit into the cart, then checkout; `None` when the server did not acknowledge.
pub async fn order(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    product: &str,
) -> Option<Acked> {
    let added = http
        .post(format!("{base}/api/cart"))
        .bearer_auth(token)
        .json(&json!({ "item_type": "product", "item_id": product, "quantity": 1 }))
        .send()
        .await
        .ok()?;
    if added.status() != StatusCode::CREATED {
        return None;
    }
    let address = json!({ "name": "Ada Lovelace", "line1": "1 Analytical St", "city": "London",
        "postal_code": "N1 9GU", "country": "GB" });
    let placed = http
        .post(format!("{base}/api/orders"))
        .bearer_auth(token)
        .json(&json!({ "shipping_address": address }))
        .send()
        .await
        .ok()?;
    if placed.status() != StatusCode::CREATED {
        return None;
    }
    let body: Value = placed.json().await.ok()?;
    Some(Acked {
        id: body["id"].as_str()?.to_string(),
        number: body["number"].as_str()?.to_string(),
        at: time::OffsetDateTime::now_utc(),
        instant: Instant::now(),
    })
}

/// Places orders one after another for `duration`, recording each acknowledged one.
pub async fn order_for(base: &str, product: &str, duration: Duration) -> Vec<Acked> {
    let http = client();
    let token = login(base).await;
    let until = Instant::now() + duration;
    let mut acked = Vec::new();
    while Instant::now() < until {
        if let Some(order) = order(&http, base, &token, product).await {
            acked.push(order);
        }
    }
    acked
}

/// What a restored database holds: order ids by number, the product's stock, the order
/// counter.
pub struct Held {
    pub orders: Vec<String>,
    pub stock: i64,
    pub counter: i64,
}

pub fn held(data: &Path, product: &str) -> Held {
    let conn = rusqlite::Connection::open(data.join("schoolhouse.db")).unwrap();
    let orders = conn
        .prepare("SELECT id FROM orders ORDER BY number")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap();
    let stock = conn
        .query_row(
            "SELECT stock_quantity FROM products WHERE id = ?1",
            [product],
            |r| r.get(0),
        )
        .unwrap();
    let counter = conn
        .query_row(
            "SELECT value FROM counters WHERE name = 'order_number'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    Held {
        orders,
        stock,
        counter,
    }
}

/// Asserts the restored orders are the first of the acknowledged ones, in order, with stock
/// and the order counter matching them; returns how many were restored.
pub fn assert_prefix(acked: &[Acked], held: &Held) -> usize {
    let restored = held.orders.len();
    assert!(
        restored <= acked.len(),
        "{restored} orders restored, only {} acknowledged",
        acked.len()
    );
    let expected: Vec<&str> = acked[..restored].iter().map(|a| a.id.as_str()).collect();
    let got: Vec<&str> = held.orders.iter().map(String::as_str).collect();
    assert_eq!(
        got, expected,
        "the restored orders are not a prefix of the acknowledged ones"
    );
    assert_eq!(
        held.stock,
        STOCK - restored as i64,
        "stock does not match the orders"
    );
    assert_eq!(
        held.counter, restored as i64,
        "the order counter does not match the orders"
    );
    restored
}
