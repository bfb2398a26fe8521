//! HTTP problems and probes: health and readiness, malformed or wrong input, oversize bodies,
//! unknown routes and methods.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn health_and_readiness_answer_json() {
    let app = spawn_app().await;
    let (status, body) = app.get("/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    let (status, body) = app.get("/readyz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ready");
    assert_eq!(body["pending_migrations"], 0);
}

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/register"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    assert!(response.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn wrong_type_and_missing_field_are_422_naming_the_field() {
    let app = spawn_app().await;
    let (status, body) = app
        .post(
            "/api/auth/register",
            json!({ "email": 5, "password": "x", "name": "A" }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "email");
    let (status, body) = app
        .post(
            "/api/auth/register",
            json!({ "email": "a@example.com", "name": "A" }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "password");
}

#[tokio::test]
async fn wrong_content_type_is_a_415_problem() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "text/plain")
        .body("email=a")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn oversize_body_is_a_413_problem_and_changes_nothing() {
    let app = spawn_app_with(|c| c.server.body_limit_bytes = 4096).await;
    let huge = json!({ "email": "big@example.com", "password": "x".repeat(10_000), "name": "Big" });
    let (status, body) = app.post("/api/auth/register", huge, None).await;
    assert_problem(status, &body, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = app
        .post(
            "/api/auth/login",
            json!({ "email": "big@example.com", "password": "x".repeat(10_000) }),
            None,
        )
        .await;
    assert_ne!(status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_route_and_wrong_method_are_problems() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/no-such-thing", None).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = app.delete("/healthz", None).await;
    assert_problem(status, &body, StatusCode::METHOD_NOT_ALLOWED);
}
