//! Test support: a real server on 127.0.0.1:0 with its own temp data dir, and a client.
#![allow(dead_code)] // shared helpers; not every test module uses every one

use std::sync::Once;

use reqwest::{Method, StatusCode};
use schoolhouse::app::Server;
use schoolhouse::auth::service::{self, NewAccount, Origin};
use schoolhouse::config::Config;
use schoolhouse::http::AppError;
use schoolhouse::mail::store::{MAIL_COLUMNS, OutboxMail};
use schoolhouse::mail::templates::Rendered;
use schoolhouse::state::AppState;
use schoolhouse::users::Role;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;

static CRYPTO: Once = Once::new();

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub dir: TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// A logged-in user of the test app.
pub struct TestUser {
    pub id: String,
    pub email: String,
    pub token: String,
    pub refresh_token: String,
}

pub fn test_config(dir: &std::path::Path) -> Config {
    let mut config = Config {
        data_dir: dir.to_path_buf(),
        ..Config::default()
    };
    config.server.listen = "127.0.0.1:0".parse().unwrap();
    // Cheap hashing keeps the suite fast; production uses OWASP's parameters.
    config.auth.argon2.memory_kib = 64;
    config.auth.argon2.iterations = 1;
    // Limits stay on, high enough not to trip ordinary tests; security tests lower them.
    config.rate_limit.auth_per_minute = 10_000;
    config
}

pub fn client() -> reqwest::Client {
    CRYPTO.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    adjust(&mut config);
    let state = AppState::open(config).unwrap();
    let server = Server::bind(state.clone()).await.unwrap();
    let addr = server.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let handle = tokio::spawn(server.run(async {
        let _ = rx.await;
    }));
    TestApp {
        base: format!("http://{addr}"),
        client: client(),
        state,
        dir,
        shutdown: Some(tx),
        handle: Some(handle),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends a request with an optional JSON body and bearer token; returns status and JSON
    /// (or `Value::Null` for an empty body).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let bytes = response.bytes().await.unwrap();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        (status, value)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::GET, path, None, token).await
    }

    pub async fn post(&self, path: &str, body: Value, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body), token).await
    }

    pub async fn put(&self, path: &str, body: Value, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(body), token).await
    }

    pub async fn patch(&self, path: &str, body: Value, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, Some(body), token).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, None, token).await
    }

    /// Creates an account with `role` through the same service the CLI uses, and logs in.
    pub async fn user(&self, role: Role, email: &str) -> TestUser {
        service::create_account(
            &self.state,
            NewAccount {
                email: email.into(),
                password: PASSWORD.into(),
                name: format!("Test {role}"),
                role,
            },
            None,
            &Origin::default(),
        )
        .await
        .unwrap();
        self.login(email, PASSWORD).await
    }

    pub async fn login(&self, email: &str, password: &str) -> TestUser {
        let (status, body) = self
            .post(
                "/api/auth/login",
                json!({ "email": email, "password": password }),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login failed: {body}");
        TestUser {
            id: body["user"]["id"].as_str().unwrap().into(),
            email: email.into(),
            token: body["access_token"].as_str().unwrap().into(),
            refresh_token: body["refresh_token"].as_str().unwrap().into(),
        }
    }

    pub async fn student(&self) -> TestUser {
        self.user(
            Role::Student,
            &format!("student-{}@example.com", uuid_suffix()),
        )
        .await
    }

    pub async fn admin(&self) -> TestUser {
        self.user(Role::Admin, &format!("admin-{}@example.com", uuid_suffix()))
            .await
    }

    /// Every outbox mail to `to`, oldest first: its template and its content as the mail
    /// worker sends it (rendered from the stored values while it waits).
    pub async fn mails_to(&self, to: &str) -> Vec<(String, Rendered)> {
        let to = to.to_string();
        self.state
            .db
            .read(move |conn| {
                let mut stmt = conn.prepare(&format!(
                    "SELECT {MAIL_COLUMNS} FROM outbox WHERE to_address = ?1
                     ORDER BY created_at, id"
                ))?;
                let rows = stmt.query_map([to], OutboxMail::from_row)?;
                let mut mails = Vec::new();
                for row in rows {
                    let row = row?;
                    let content = row.content().expect("the queued mail renders");
                    mails.push((row.template, content));
                }
                Ok::<_, AppError>(mails)
            })
            .await
            .unwrap()
    }

    /// A GET that must answer 200 OK: its headers and body bytes (a file download).
    pub async fn download(&self, path: &str, token: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
        let (status, headers, body) = self.get_bytes(path, token).await;
        assert_eq!(status, StatusCode::OK);
        (headers, body)
    }

    /// A GET of `path` as `token`'s holder, whatever its status: the status, the headers and
    /// the raw body.
    pub async fn get_bytes(
        &self,
        path: &str,
        token: &str,
    ) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        (status, headers, response.bytes().await.unwrap().to_vec())
    }

    /// The caller's personal-data export (`GET /api/users/me/export`): the response's
    /// headers, `data.json` and `index.html`.
    pub async fn data_export(&self, token: &str) -> (reqwest::header::HeaderMap, Value, String) {
        use std::io::Read;
        let (headers, bytes) = self.download("/api/users/me/export", token).await;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            archive
                .by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        let json = read("data.json");
        (
            headers,
            serde_json::from_str(&json).unwrap(),
            read("index.html"),
        )
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub fn uuid_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Asserts a problem+json response with `status`, returning its body.
pub fn assert_problem(status: StatusCode, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "unexpected status; body: {body}");
    assert_eq!(
        body["status"],
        expected.as_u16(),
        "not a problem document: {body}"
    );
    assert!(body["detail"].is_string(), "problem without detail: {body}");
}
