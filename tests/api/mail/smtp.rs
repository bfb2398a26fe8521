//! Delivery over a real SMTP server (the one tests/run.sh starts; without it these tests fail).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::mail::{WAIT, token_after, use_smtp};
use crate::support::{PASSWORD, assert_problem, spawn_app_with};

const NEW_PASSWORD: &str = "a brand new passphrase";

/// The SMTP server tests/run.sh started. Without it this test fails, as the payment tests do
/// without the Stripe emulator: a delivery test that passes without delivering proves nothing.
pub(crate) fn smtp_sink() -> (u16, PathBuf) {
    let (Ok(port), Ok(dir)) = (
        std::env::var("SMTP_TEST_PORT"),
        std::env::var("SMTP_TEST_DIR"),
    ) else {
        panic!(
            "SMTP_TEST_PORT and SMTP_TEST_DIR are not set: the SMTP delivery test needs the test \
             SMTP server; run it through tests/run.sh (it starts aiosmtpd), or start it with \
             tests/support/smtp/start.sh and export the variables it prints"
        );
    };
    let port: u16 = port
        .parse()
        .unwrap_or_else(|_| panic!("SMTP_TEST_PORT={port} is not a port number"));
    if let Err(e) = std::net::TcpStream::connect(("127.0.0.1", port)) {
        panic!("the test SMTP server on 127.0.0.1:{port} does not answer ({e}): start it again");
    }
    (port, PathBuf::from(dir))
}

/// Waits for the SMTP server to have received a mail for `to` whose subject has `subject`.
pub(crate) async fn received_mail(dir: &Path, to: &str, subject: &str) -> Value {
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

#[tokio::test]
async fn password_reset_mail_arrives_over_smtp_and_its_link_sets_a_new_password() {
    let (port, dir) = smtp_sink();
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
