//! The outbox and its sender: the file transport, bodies kept as sent (one-time links
//! cleared), and failed sends retried later.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::mail::{
    WAIT, find_in_outbox, mail_file, outbox, reset_token_from_file, sent_rows, use_smtp,
};
use crate::support::{PASSWORD, spawn_app, spawn_app_with, uuid_suffix};

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
