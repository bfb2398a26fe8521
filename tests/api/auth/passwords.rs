//! Accounts with mail: password change and reset (through a real SMTP server), the outbox
//! and its retries, the file transport, and the `schoolhouse user` CLI.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use schoolhouse::config::Config;
use schoolhouse::mail::config::{MailTransport, SmtpSecurity};
use serde_json::{Value, json};

use crate::support::{PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_with, uuid_suffix};

const NEW_PASSWORD: &str = "a brand new passphrase";
const WAIT: Duration = Duration::from_secs(20);

/// The SMTP server tests/run.sh starts, if this run has one.
fn smtp_sink() -> Option<(u16, PathBuf)> {
    let port = std::env::var("SMTP_TEST_PORT").ok()?.parse().ok()?;
    let dir = std::env::var("SMTP_TEST_DIR").ok()?;
    Some((port, PathBuf::from(dir)))
}

fn use_smtp(config: &mut Config, port: u16) {
    config.mail.transport = MailTransport::Smtp;
    config.mail.smtp.host = "127.0.0.1".into();
    config.mail.smtp.port = port;
    config.mail.smtp.security = SmtpSecurity::None;
    config.mail.smtp.timeout_seconds = 5;
}

/// Waits for the SMTP server to have received a mail for `to` whose subject has `subject`.
async fn received_mail(dir: &Path, to: &str, subject: &str) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") {
                let record: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                let for_us = record["rcpt_tos"].as_array().unwrap().contains(&json!(to));
                if for_us && record["subject"].as_str().unwrap().contains(subject) {
                    return record;
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "no mail `{subject}` for {to} arrived"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for the file transport to have written a mail for `to`; returns the raw message.
async fn mail_file(app: &TestApp, to: &str, subject: &str) -> String {
    let dir = app.state.config.data_dir.join("mail");
    let deadline = Instant::now() + WAIT;
    loop {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            if entry.path().extension().is_some_and(|e| e == "eml")
                && text.contains(&format!("To: {to}"))
                && text.contains(subject)
            {
                return text;
            }
        }
        assert!(Instant::now() < deadline, "no .eml `{subject}` for {to}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Undoes quoted-printable soft line breaks and `=3D`, enough to read an ASCII link.
fn unfold_quoted_printable(raw: &str) -> String {
    raw.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

fn token_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {text}"))
        + marker.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// One outbox row as stored.
#[derive(Debug, Clone)]
struct OutboxRow {
    template: String,
    attempts: i64,
    last_error: Option<String>,
    sent_at: Option<String>,
    body_text: String,
    vars: Option<String>,
}

/// Every outbox row addressed to `to`, oldest first.
async fn outbox(app: &TestApp, to: &str) -> Vec<OutboxRow> {
    let to = to.to_string();
    app.state
        .db
        .read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT template, attempts, last_error, sent_at, body_text, vars FROM outbox
                 WHERE to_address = ?1 ORDER BY created_at",
            )?;
            let rows = stmt
                .query_map([to], |r| {
                    Ok(OutboxRow {
                        template: r.get(0)?,
                        attempts: r.get(1)?,
                        last_error: r.get(2)?,
                        sent_at: r.get(3)?,
                        body_text: r.get(4)?,
                        vars: r.get(5)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
        .unwrap()
}

async fn reset_token_from_file(app: &TestApp, email: &str) -> String {
    let raw = mail_file(app, email, "Reset your").await;
    token_after(&unfold_quoted_printable(&raw), "/reset-password?token=")
}

#[tokio::test]
async fn password_reset_mail_arrives_over_smtp_and_its_link_sets_a_new_password() {
    let Some((port, dir)) = smtp_sink() else {
        eprintln!("SKIPPED: SMTP_TEST_PORT is not set; run tests/run.sh to start the SMTP server");
        return;
    };
    let app = spawn_app_with(|c| {
        use_smtp(c, port);
        c.server.public_url = "https://school.example".into();
        c.store.name = "Lovelace Academy".into();
    })
    .await;
    let user = app.student().await;
    let other_device = app.login(&user.email, PASSWORD).await;

    let (status, body) = app
        .post(
            "/api/auth/password-reset/request",
            json!({ "email": user.email }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");

    let mail = received_mail(&dir, &user.email, "Reset your Lovelace Academy password").await;
    assert!(
        mail["html"]
            .as_str()
            .unwrap()
            .contains("https://school.example/reset-password?token=")
    );
    let text = mail["text"].as_str().unwrap();
    let link_start = text
        .find("https://school.example/reset-password?token=")
        .unwrap();
    let token = token_after(&text[link_start..], "?token=");
    assert_eq!(token.len(), 43, "a 256-bit token: {token}");

    let (status, body) = app
        .post(
            "/api/auth/password-reset/confirm",
            json!({ "token": token, "new_password": NEW_PASSWORD }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let fresh = app.login(&user.email, NEW_PASSWORD).await;
    assert_eq!(
        app.get("/api/users/me", Some(&fresh.token)).await.0,
        StatusCode::OK
    );
    for old in [&user.token, &other_device.token] {
        let (status, body) = app.get("/api/users/me", Some(old)).await;
        assert_problem(status, &body, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = app
        .post(
            "/api/auth/login",
            json!({ "email": user.email, "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the old password still works"
    );
    let (status, body) = app
        .post(
            "/api/auth/password-reset/confirm",
            json!({ "token": token, "new_password": "yet another passphrase" }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::GONE);
    app.stop().await;
}

#[tokio::test]
async fn reset_request_answers_the_same_for_unknown_addresses_and_sends_nothing() {
    let app = spawn_app().await;
    let (status, known) = {
        let user = app.student().await;
        app.post(
            "/api/auth/password-reset/request",
            json!({ "email": user.email }),
            None,
        )
        .await
    };
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, unknown) = app
        .post(
            "/api/auth/password-reset/request",
            json!({ "email": "nobody@example.com" }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(known, unknown);
    assert!(outbox(&app, "nobody@example.com").await.is_empty());
    let (status, body) = app
        .post(
            "/api/auth/password-reset/request",
            json!({ "email": "not an email" }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn reset_tokens_are_refused_when_unknown_replayed_or_expired() {
    let app = spawn_app().await;
    let user = app.student().await;
    let confirm =
        |token: String, password: &str| json!({ "token": token, "new_password": password });

    let (status, body) = app
        .post(
            "/api/auth/password-reset/confirm",
            confirm("made-up".into(), NEW_PASSWORD),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::BAD_REQUEST);

    app.post(
        "/api/auth/password-reset/request",
        json!({ "email": user.email }),
        None,
    )
    .await;
    let token = reset_token_from_file(&app, &user.email).await;
    let (status, body) = app
        .post(
            "/api/auth/password-reset/confirm",
            confirm(token.clone(), "short"),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "new_password");
    let (status, _) = app
        .post(
            "/api/auth/password-reset/confirm",
            confirm(token.clone(), NEW_PASSWORD),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "a weak try must not use up the token"
    );
    let (status, body) = app
        .post(
            "/api/auth/password-reset/confirm",
            confirm(token, "another passphrase!"),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::GONE);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("already been used")
    );

    let other = app.student().await;
    app.post(
        "/api/auth/password-reset/request",
        json!({ "email": other.email }),
        None,
    )
    .await;
    let token = reset_token_from_file(&app, &other.email).await;
    app.state.clock.advance(time::Duration::minutes(61));
    let (status, body) = app
        .post(
            "/api/auth/password-reset/confirm",
            confirm(token, NEW_PASSWORD),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::GONE);
    assert!(body["detail"].as_str().unwrap().contains("expired"));
    app.login(&other.email, PASSWORD).await;
}

/// Every outbox row addressed to `to`, once there is one and all are sent.
async fn sent_rows(app: &TestApp, to: &str) -> Vec<OutboxRow> {
    let deadline = Instant::now() + WAIT;
    loop {
        let rows = outbox(app, to).await;
        if !rows.is_empty() && rows.iter().all(|row| row.sent_at.is_some()) {
            return rows;
        }
        assert!(Instant::now() < deadline, "mail to {to} was never sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn file_transport_writes_the_welcome_mail_as_an_eml_file() {
    let app = spawn_app().await;
    let (status, _) = app
        .post(
            "/api/auth/register",
            json!({ "email": "grace@example.com", "password": PASSWORD, "name": "Grace" }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let raw = mail_file(&app, "grace@example.com", "Welcome to Schoolhouse").await;
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(raw.contains("text/plain") && raw.contains("text/html"));
    assert_eq!(sent_rows(&app, "grace@example.com").await.len(), 1);
}

#[tokio::test]
async fn sent_mail_keeps_its_bodies_as_sent_unless_they_hold_a_one_time_link() {
    let app = spawn_app().await;
    let (status, _) = app
        .post(
            "/api/auth/register",
            json!({ "email": "ada@example.com", "password": PASSWORD, "name": "Ada L" }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app
        .post(
            "/api/auth/password-reset/request",
            json!({ "email": "ada@example.com" }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let token = reset_token_from_file(&app, "ada@example.com").await;
    let rows = sent_rows(&app, "ada@example.com").await;
    let templates: Vec<&str> = rows.iter().map(|r| r.template.as_str()).collect();
    assert_eq!(templates, ["welcome", "password_reset"]);
    // Rendered by the worker and kept; the values it was rendered from are dropped.
    assert!(rows[0].body_text.contains("Ada L"), "{rows:?}");
    assert_eq!(rows[0].vars, None);
    // The reset link is gone from the row, rendered and raw alike.
    assert_eq!(rows[1].body_text, "");
    assert_eq!(rows[1].vars, None);
    assert!(find_in_outbox(&app, &token).await.is_empty());
}

/// Ids of outbox rows holding `needle` in any column.
async fn find_in_outbox(app: &TestApp, needle: &str) -> Vec<String> {
    let needle = format!("%{needle}%");
    app.state
        .db
        .read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id FROM outbox WHERE subject LIKE ?1 OR body_text LIKE ?1
                    OR body_html LIKE ?1 OR COALESCE(vars, '') LIKE ?1",
            )?;
            let ids = stmt
                .query_map([needle], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(ids)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_but_not_the_callers() {
    let app = spawn_app().await;
    let user = app.student().await;
    let other = app.login(&user.email, PASSWORD).await;
    let change =
        |current: &str, new: &str| json!({ "current_password": current, "new_password": new });

    let (status, body) = app
        .put(
            "/api/users/me/password",
            change("wrong password!", NEW_PASSWORD),
            Some(&user.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "current_password");
    let (status, _) = app.get("/api/users/me", Some(&other.token)).await;
    assert_eq!(status, StatusCode::OK, "a refused change must end nothing");

    let (status, body) = app
        .put(
            "/api/users/me/password",
            change(PASSWORD, NEW_PASSWORD),
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        app.get("/api/users/me", Some(&user.token)).await.0,
        StatusCode::OK
    );
    let (status, body) = app.get("/api/users/me", Some(&other.token)).await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .post(
            "/api/auth/refresh",
            json!({ "refresh_token": other.refresh_token }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.login(&user.email, NEW_PASSWORD).await;
    let (status, _) = app
        .put(
            "/api/users/me/password",
            change(PASSWORD, NEW_PASSWORD),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_failed_send_is_retried_later_and_the_mail_stays_queued() {
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let app = spawn_app_with(|c| use_smtp(c, closed_port)).await;
    let email = format!("retry-{}@example.com", uuid_suffix());
    let (status, _) = app
        .post(
            "/api/auth/register",
            json!({ "email": email, "password": PASSWORD, "name": "Retry" }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let mut seen = 0;
    for round in 1..=2 {
        let deadline = Instant::now() + WAIT;
        loop {
            let row = outbox(&app, &email).await[0].clone();
            assert!(
                row.sent_at.is_none(),
                "a mail to a closed port was marked sent"
            );
            if row.attempts > seen {
                let error = row.last_error.unwrap_or_default();
                assert!(error.contains("SMTP"), "round {round}");
                seen = row.attempts;
                break;
            }
            assert!(Instant::now() < deadline, "attempt {round} never happened");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The next attempt waits for the back-off; move the clock past it.
        app.state.clock.advance(time::Duration::hours(1));
        schoolhouse::mail::wake(&app.state);
    }
    assert!(seen >= 2);
    app.stop().await;
}

fn schoolhouse(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_schoolhouse"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("SCHOOLHOUSE_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "schoolhouse {args:?} failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[tokio::test]
async fn cli_manages_accounts_while_the_server_runs() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_with(|c| c.data_dir = dir.path().to_path_buf()).await;
    let data = dir.path();

    let out = schoolhouse(
        data,
        &[
            "user",
            "create",
            "--email",
            "Tess@Example.com",
            "--role",
            "instructor",
            "--name",
            "Tess",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(
        out.contains("created instructor account tess@example.com"),
        "{out}"
    );
    assert!(!out.contains(PASSWORD));
    let tess = app.login("tess@example.com", PASSWORD).await;
    let (_, me) = app.get("/api/users/me", Some(&tess.token)).await;
    assert_eq!(
        (me["role"].as_str(), me["name"].as_str()),
        (Some("instructor"), Some("Tess"))
    );

    let out = schoolhouse(
        data,
        &[
            "user",
            "create",
            "--email",
            "vic@example.com",
            "--role",
            "vendor",
        ],
        None,
    );
    let generated = out
        .lines()
        .find_map(|l| l.strip_prefix("password (shown only now): "))
        .unwrap_or_else(|| panic!("no generated password in {out}"));
    assert!(generated.len() >= 32);
    app.login("vic@example.com", generated).await;

    let out = schoolhouse(
        data,
        &[
            "user",
            "set-role",
            "--email",
            "tess@example.com",
            "--role",
            "admin",
        ],
        None,
    );
    assert!(out.contains("now admin (was instructor)"), "{out}");
    let (_, me) = app.get("/api/users/me", Some(&tess.token)).await;
    assert_eq!(me["role"], "admin");

    let out = schoolhouse(
        data,
        &[
            "user",
            "set-password",
            "--email",
            "tess@example.com",
            "--password-stdin",
        ],
        Some(&format!("{NEW_PASSWORD}\n")),
    );
    assert!(out.contains("session(s) ended"), "{out}");
    let (status, _) = app.get("/api/users/me", Some(&tess.token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.login("tess@example.com", NEW_PASSWORD).await;

    let out = schoolhouse(data, &["user", "list"], None);
    let header = out.lines().next().unwrap();
    assert!(header.starts_with("EMAIL") && header.contains("ROLE") && header.contains("CREATED"));
    assert!(
        out.lines()
            .any(|l| l.starts_with("tess@example.com") && l.contains("admin"))
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("vic@example.com") && l.contains("vendor"))
    );

    let mut command = Command::new(env!("CARGO_BIN_EXE_schoolhouse"));
    let refused = command
        .arg("--data-dir")
        .arg(data)
        .args([
            "user",
            "create",
            "--email",
            "tess@example.com",
            "--role",
            "root",
        ])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unknown role"));
}

#[tokio::test]
async fn a_login_link_from_the_cli_logs_in_once() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_with(|c| c.data_dir = dir.path().to_path_buf()).await;
    let user = app.student().await;

    let out = schoolhouse(
        dir.path(),
        &["user", "login-link", "--email", &user.email],
        None,
    );
    assert!(out.contains("/login-link?token="), "{out}");
    assert!(out.contains("15 minutes"));
    let token = token_after(&out, "/login-link?token=");

    let response = app
        .client
        .post(app.url("/api/auth/login-link"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("HttpOnly")
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], user.email.as_str());
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/users/me", Some(access)).await.0,
        StatusCode::OK
    );

    let (status, body) = app
        .post("/api/auth/login-link", json!({ "token": token }), None)
        .await;
    assert_problem(status, &body, StatusCode::GONE);
    let (status, body) = app
        .post("/api/auth/login-link", json!({ "token": "forged" }), None)
        .await;
    assert_problem(status, &body, StatusCode::BAD_REQUEST);

    let out = schoolhouse(
        dir.path(),
        &["user", "login-link", "--email", &user.email],
        None,
    );
    let late = token_after(&out, "/login-link?token=");
    app.state.clock.advance(time::Duration::minutes(16));
    let (status, body) = app
        .post("/api/auth/login-link", json!({ "token": late }), None)
        .await;
    assert_problem(status, &body, StatusCode::GONE);
}
