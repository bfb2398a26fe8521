//! Response headers: security headers and a request id on every response, HSTS only over
//! TLS, CORS only for listed origins.

use crate::support::{client, spawn_app, spawn_app_with};

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let response = client().get(app.url("/healthz")).send().await.unwrap();
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(!headers["x-request-id"].is_empty());
}

#[tokio::test]
async fn hsts_only_over_tls_and_cors_only_for_listed_origins() {
    let plain = spawn_app().await;
    let response = plain
        .client
        .get(plain.url("/healthz"))
        .header("origin", "https://shop.example")
        .send()
        .await
        .unwrap();
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );

    let tls = spawn_app_with(|c| {
        c.server.public_url = "https://school.example".into();
        c.server.cors_origins = vec!["https://shop.example".into()];
    })
    .await;
    let response = tls
        .client
        .get(tls.url("/healthz"))
        .header("origin", "https://shop.example")
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let preflight = tls
        .client
        .request(reqwest::Method::OPTIONS, tls.url("/api/users/me"))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}
