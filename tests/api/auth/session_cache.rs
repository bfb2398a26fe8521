//! Session checks are cached in memory, yet every change to a session or account takes
//! effect on the very next request (each test warms the cache first).

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_role_change_and_a_disable_apply_to_the_next_request_of_a_busy_session() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let user = app.student().await;
    for _ in 0..3 {
        let (status, me) = app.get("/api/users/me", Some(&user.token)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(me["role"], "student");
    }

    let path = format!("/api/admin/users/{}/role", user.id);
    let (status, _) = app
        .put(&path, json!({ "role": "instructor" }), Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = app.get("/api/users/me", Some(&user.token)).await;
    assert_eq!(me["role"], "instructor");

    let path = format!("/api/admin/users/{}/disable", user.id);
    let (status, _) = app.post(&path, json!({}), Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = app.get("/api/users/me", Some(&user.token)).await;
    assert_problem(status, &problem, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn reusing_a_refresh_token_ends_a_busy_session_at_once() {
    // No grace for a retry: the second use is a reuse at once.
    let app = spawn_app_with(|c| c.auth.refresh_reuse_grace_seconds = 0).await;
    let user = app.student().await;
    let (status, _) = app.get("/api/users/me", Some(&user.token)).await;
    assert_eq!(status, StatusCode::OK);
    let body = json!({ "refresh_token": user.refresh_token });
    let (status, _) = app.post("/api/auth/refresh", body.clone(), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.post("/api/auth/refresh", body, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, problem) = app.get("/api/users/me", Some(&user.token)).await;
    assert_problem(status, &problem, StatusCode::UNAUTHORIZED);
}
