//! `schoolhouse user`: managing accounts from the shell while the server runs, and one-time
//! login links.

use std::path::Path;
use std::process::{Command, Stdio};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::mail::token_after;
use crate::support::{PASSWORD, assert_problem, spawn_app_with};

const NEW_PASSWORD: &str = "a brand new passphrase";

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
