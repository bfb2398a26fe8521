//! Sign-in limits: the per-address request budget, trusted proxies, and the lockout of a
//! source after failed sign-ins.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::mfa::audit_actions;
use crate::support::{PASSWORD, TestApp, spawn_app_with};

#[tokio::test]
async fn too_many_auth_requests_from_one_address_get_429_with_retry_after() {
    let app = spawn_app_with(|c| c.rate_limit.auth_per_minute = 3).await;
    let login = |email: &str| {
        app.client
            .post(app.url("/api/auth/login"))
            .json(&json!({ "email": email, "password": "wrong password!" }))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(
            login("x@example.com").await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let response = login("x@example.com").await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/problem+json")
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], 429);
    // Other endpoints are not limited by the sign-in limit.
    assert_eq!(app.get("/readyz", None).await.0, StatusCode::OK);
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_trusted_proxies() {
    let send = |app: &TestApp, from: &'static str| {
        app.client
            .post(app.url("/api/auth/login"))
            .header("x-forwarded-for", from)
            .json(&json!({ "email": "x@example.com", "password": "wrong password!" }))
            .send()
    };
    let proxied = spawn_app_with(|c| {
        c.rate_limit.auth_per_minute = 2;
        c.server.trusted_proxies = vec!["127.0.0.0/8".into()];
    })
    .await;
    for _ in 0..2 {
        send(&proxied, "203.0.113.1").await.unwrap();
    }
    assert_eq!(
        send(&proxied, "203.0.113.1").await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same proxy has its own allowance.
    assert_eq!(
        send(&proxied, "203.0.113.2").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let rows = audit_ips(&proxied).await;
    assert!(rows.contains(&"203.0.113.2".to_string()), "{rows:?}");

    // Without trusted proxies the header is ignored: one socket address, one allowance.
    let direct = spawn_app_with(|c| c.rate_limit.auth_per_minute = 2).await;
    send(&direct, "203.0.113.1").await.unwrap();
    send(&direct, "203.0.113.2").await.unwrap();
    assert_eq!(
        send(&direct, "203.0.113.3").await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn audit_ips(app: &TestApp) -> Vec<String> {
    app.state
        .db
        .read(|conn| {
            let mut stmt = conn.prepare("SELECT ip FROM audit_log WHERE ip IS NOT NULL")?;
            let rows = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn five_failed_logins_lock_their_source_even_against_the_right_password() {
    let app = spawn_app_with(|c| c.rate_limit.lockout_base_seconds = 60).await;
    let user = app.student().await;
    let attempt = |password: &'static str| {
        app.client
            .post(app.url("/api/auth/login"))
            .json(&json!({ "email": user.email, "password": password }))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(
            attempt("wrong password!").await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let response = attempt(PASSWORD).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((55..=60).contains(&retry_after), "{retry_after}");
    assert!(
        audit_actions(&app, &user.id)
            .await
            .contains(&"account.locked".into())
    );

    app.state.clock.advance(time::Duration::seconds(61));
    // One more failure after the lock doubles the next lock.
    assert_eq!(
        attempt("wrong password!").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let response = attempt(PASSWORD).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((115..=120).contains(&retry_after), "{retry_after}");

    app.state.clock.advance(time::Duration::seconds(121));
    app.login(&user.email, PASSWORD).await;
    // Success resets the count: one wrong password does not lock again.
    assert_eq!(
        attempt("wrong password!").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    app.login(&user.email, PASSWORD).await;
}
