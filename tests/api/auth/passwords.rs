//! Passwords: reset requests answer the same for unknown addresses, reset tokens work once,
//! and a password change ends the other sessions.

use reqwest::StatusCode;
use serde_json::json;

use crate::mail::{outbox, reset_token_from_file};
use crate::support::{PASSWORD, assert_problem, spawn_app};

const NEW_PASSWORD: &str = "a brand new passphrase";

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
