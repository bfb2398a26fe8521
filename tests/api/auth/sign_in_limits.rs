//! Account security, part 2: per-IP rate limit, trusted proxies, account lockout, and admin
//! user management with its role guards.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::mfa::{audit_actions, enrol};
use crate::support::{PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_with};
use schoolhouse::users::Role;

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

#[tokio::test]
async fn a_disabled_user_cannot_log_in_and_their_token_dies_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let student = app.student().await;
    let (status, body) = app
        .post(
            &format!("/api/admin/users/{}/disable", student.id),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["disabled"], true);
    let (status, _) = app.get("/api/users/me", Some(&student.token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .post(
            "/api/auth/refresh",
            json!({ "refresh_token": student.refresh_token }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, problem) = app
        .post(
            "/api/auth/login",
            json!({ "email": student.email, "password": PASSWORD }),
            None,
        )
        .await;
    assert_problem(status, &problem, StatusCode::FORBIDDEN);

    let (status, body) = app
        .post(
            &format!("/api/admin/users/{}/enable", student.id),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_eq!((status, &body["disabled"]), (StatusCode::OK, &json!(false)));
    app.login(&student.email, PASSWORD).await;
    let actions = audit_actions(&app, &student.id).await;
    assert!(actions.contains(&"user.disabled".into()) && actions.contains(&"user.enabled".into()));

    // An admin cannot lock themselves out; unknown ids are 404.
    let (status, problem) = app
        .post(
            &format!("/api/admin/users/{}/disable", admin.id),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    assert!(problem["detail"].as_str().unwrap().contains("your own"));
    let (status, problem) = app
        .post(
            "/api/admin/users/nope/disable",
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_role_change_applies_on_the_next_request() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let student = app.student().await;
    assert_eq!(
        app.get("/api/admin/users", Some(&student.token)).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, body) = app
        .put(
            &format!("/api/admin/users/{}/role", student.id),
            json!({ "role": "admin" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["role"], "admin");
    // Same access token, new role.
    assert_eq!(
        app.get("/api/admin/users", Some(&student.token)).await.0,
        StatusCode::OK
    );
    assert!(
        audit_actions(&app, &student.id)
            .await
            .contains(&"user.role_changed".into())
    );

    let (status, problem) = app
        .put(
            &format!("/api/admin/users/{}/role", admin.id),
            json!({ "role": "student" }),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    let (status, problem) = app
        .put(
            &format!("/api/admin/users/{}/role", student.id),
            json!({ "role": "root" }),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .put(
            "/api/admin/users/nope/role",
            json!({ "role": "student" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn admins_search_users_by_text_and_role() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.user(Role::Instructor, "grace.hopper@example.com").await;
    let ada = app.user(Role::Student, "ada@example.com").await;
    enrol(&app, &ada).await;
    let (status, list) = app
        .get("/api/admin/users?q=HOPPER&per_page=5", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1);
    assert_eq!(list["per_page"], 5);
    assert_eq!(list["items"][0]["email"], "grace.hopper@example.com");
    let (_, list) = app
        .get("/api/admin/users?role=student", Some(&admin.token))
        .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["mfa_enabled"], true);
    let (_, list) = app.get("/api/admin/users?q=%25", Some(&admin.token)).await;
    assert_eq!(list["total"], 0, "a % is matched literally");
    let (status, problem) = app
        .get("/api/admin/users?role=wizard", Some(&admin.token))
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "role");
    let (status, _) = app
        .get("/api/admin/users?per_page=101", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_admins_reach_the_admin_user_routes() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let target = app.student().await;
    let callers = [
        ("anonymous", None, StatusCode::UNAUTHORIZED),
        ("student", Some(Role::Student), StatusCode::FORBIDDEN),
        ("instructor", Some(Role::Instructor), StatusCode::FORBIDDEN),
        ("vendor", Some(Role::Vendor), StatusCode::FORBIDDEN),
        ("admin", Some(Role::Admin), StatusCode::OK),
    ];
    let routes: [(reqwest::Method, String, Option<Value>); 4] = [
        (reqwest::Method::GET, "/api/admin/users".into(), None),
        (
            reqwest::Method::PUT,
            format!("/api/admin/users/{}/role", target.id),
            Some(json!({ "role": "student" })),
        ),
        (
            reqwest::Method::POST,
            format!("/api/admin/users/{}/disable", target.id),
            Some(json!({})),
        ),
        (
            reqwest::Method::POST,
            format!("/api/admin/users/{}/enable", target.id),
            Some(json!({})),
        ),
    ];
    for (who, role, expected) in callers {
        let token = match role {
            None => None,
            Some(Role::Admin) => Some(admin.token.clone()),
            Some(role) => Some(
                app.user(role, &format!("{who}-guard@example.com"))
                    .await
                    .token,
            ),
        };
        for (method, path, body) in &routes {
            let (status, response) = app
                .call(method.clone(), path, body.clone(), token.as_deref())
                .await;
            assert_eq!(status, expected, "{who} {method} {path}: {response}");
        }
    }
}
