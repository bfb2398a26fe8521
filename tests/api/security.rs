//! Account security: MFA, rate limits, lockout, client IPs behind proxies, and admin user
//! management with its role guards.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{PASSWORD, TestApp, TestUser, assert_problem, spawn_app, spawn_app_with};
use schoolhouse::users::Role;

/// The code an authenticator app shows now (by the app's clock) for `secret`.
fn current_code(app: &TestApp, secret: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).unwrap();
    let totp = totp_rs::Builder::new()
        .with_secret(secret.as_bytes().to_vec())
        .build()
        .unwrap();
    let now = u64::try_from(app.state.clock.now().unix_timestamp()).unwrap();
    totp.generate(now).to_string()
}

/// Moves to the next 30-second step, so a fresh code can be used.
fn next_step(app: &TestApp) {
    app.state.clock.advance(time::Duration::seconds(30));
}

/// Enrols `user` in MFA; returns the base32 secret and the recovery codes.
async fn enrol(app: &TestApp, user: &TestUser) -> (String, Vec<String>) {
    let (status, setup) = app
        .post("/api/users/me/mfa/setup", json!({}), Some(&user.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let secret = setup["secret"].as_str().unwrap().to_string();
    let code = current_code(app, &secret);
    let (status, confirmed) = app
        .post(
            "/api/users/me/mfa/confirm",
            json!({ "code": code }),
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    let codes = confirmed["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    (secret, codes)
}

async fn password_step(app: &TestApp, email: &str) -> String {
    let (status, body) = app
        .post(
            "/api/auth/login",
            json!({ "email": email, "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["mfa_required"], true, "{body}");
    assert!(
        body.get("access_token").is_none(),
        "tokens before MFA: {body}"
    );
    body["mfa_token"].as_str().unwrap().to_string()
}

async fn session_count(app: &TestApp, user_id: &str) -> i64 {
    let id = user_id.to_string();
    app.state
        .db
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT COUNT(*) FROM sessions WHERE user_id = ?1",
                [&id],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap()
}

async fn audit_actions(app: &TestApp, target: &str) -> Vec<String> {
    let id = target.to_string();
    app.state
        .db
        .read(move |conn| {
            let mut stmt =
                conn.prepare("SELECT action FROM audit_log WHERE target_id = ?1 ORDER BY id")?;
            let rows = stmt
                .query_map([&id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn mfa_enrolment_makes_login_take_a_second_step() {
    let app = spawn_app().await;
    let user = app.student().await;
    let (status, setup) = app
        .post("/api/users/me/mfa/setup", json!({}), Some(&user.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let secret = setup["secret"].as_str().unwrap().to_string();
    assert!(
        setup["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    assert!(setup["qr_svg"].as_str().unwrap().contains("<svg"));
    assert!(
        setup["qr_data_uri"]
            .as_str()
            .unwrap()
            .starts_with("data:image/svg+xml;base64,")
    );

    // At rest the secret is ciphertext, not the base32 text nor its bytes.
    let id = user.id.clone();
    let stored: String = app
        .state
        .db
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT secret_ciphertext FROM user_mfa WHERE user_id = ?1",
                [&id],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    assert!(!stored.contains(&secret), "secret stored in clear");
    assert!(stored.starts_with("v1:"), "{stored}");

    // A wrong first code does not switch MFA on.
    let (status, problem) = app
        .post(
            "/api/users/me/mfa/confirm",
            json!({ "code": "000000" }),
            Some(&user.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "code");
    app.login(&user.email, PASSWORD).await;

    let (status, confirmed) = app
        .post(
            "/api/users/me/mfa/confirm",
            json!({ "code": current_code(&app, &secret) }),
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    assert_eq!(confirmed["recovery_codes"].as_array().unwrap().len(), 10);
    assert!(
        audit_actions(&app, &user.id)
            .await
            .contains(&"mfa.enabled".into())
    );

    // The password alone no longer gives tokens; a wrong code gives nothing either.
    let sessions_before = session_count(&app, &user.id).await;
    let mfa_token = password_step(&app, &user.email).await;
    let (status, problem) = app
        .post(
            "/api/auth/mfa",
            json!({ "mfa_token": mfa_token, "code": "123456" }),
            None,
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNAUTHORIZED);
    assert!(problem.get("access_token").is_none());
    assert_eq!(session_count(&app, &user.id).await, sessions_before);

    next_step(&app);
    let code = current_code(&app, &secret);
    let (status, body) = app
        .post(
            "/api/auth/mfa",
            json!({ "mfa_token": mfa_token, "code": code }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["id"], user.id.as_str());
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/users/me", Some(token)).await.0,
        StatusCode::OK
    );

    // The MFA token is single use, and the same code cannot be replayed in its window.
    let (status, _) = app
        .post(
            "/api/auth/mfa",
            json!({ "mfa_token": mfa_token, "code": code }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let again = password_step(&app, &user.email).await;
    let (status, problem) = app
        .post(
            "/api/auth/mfa",
            json!({ "mfa_token": again, "code": code }),
            None,
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_recovery_code_works_once() {
    let app = spawn_app().await;
    let user = app.student().await;
    let (_, codes) = enrol(&app, &user).await;
    let token = password_step(&app, &user.email).await;
    let (status, body) = app
        .post(
            "/api/auth/mfa",
            json!({ "mfa_token": token, "code": codes[3].to_uppercase() }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["access_token"].is_string());
    assert!(
        audit_actions(&app, &user.id)
            .await
            .contains(&"mfa.recovery_code_used".into())
    );

    let token = password_step(&app, &user.email).await;
    let (status, problem) = app
        .post(
            "/api/auth/mfa",
            json!({ "mfa_token": token, "code": codes[3] }),
            None,
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .post(
            "/api/auth/mfa",
            json!({ "mfa_token": token, "code": codes[4] }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn mfa_can_be_turned_off_with_password_and_code() {
    let app = spawn_app().await;
    let user = app.student().await;
    let (secret, _) = enrol(&app, &user).await;
    next_step(&app);
    let (status, problem) = app
        .call(
            reqwest::Method::DELETE,
            "/api/users/me/mfa",
            Some(json!({ "password": "not my password", "code": current_code(&app, &secret) })),
            Some(&user.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "password");
    let (status, problem) = app
        .call(
            reqwest::Method::DELETE,
            "/api/users/me/mfa",
            Some(json!({ "password": PASSWORD, "code": "999999" })),
            Some(&user.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "code");
    let (status, body) = app
        .call(
            reqwest::Method::DELETE,
            "/api/users/me/mfa",
            Some(json!({ "password": PASSWORD, "code": current_code(&app, &secret) })),
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert!(
        audit_actions(&app, &user.id)
            .await
            .contains(&"mfa.disabled".into())
    );
    // Back to one-step logins.
    app.login(&user.email, PASSWORD).await;
}

#[tokio::test]
async fn admins_must_enrol_in_mfa_when_the_config_requires_it() {
    let app = spawn_app_with(|c| c.auth.require_mfa_for_admins = true).await;
    let admin = app.admin().await;
    let (status, problem) = app.get("/api/admin/users", Some(&admin.token)).await;
    assert_problem(status, &problem, StatusCode::FORBIDDEN);
    assert_eq!(problem["type"], "/problems/mfa-setup-required");
    assert!(problem["detail"].as_str().unwrap().contains("MFA"));
    let (status, _) = app
        .patch("/api/users/me", json!({ "name": "X" }), Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/users/me", Some(&admin.token)).await.0,
        StatusCode::OK
    );

    // Students are not affected.
    let student = app.student().await;
    let (status, _) = app
        .patch(
            "/api/users/me",
            json!({ "name": "Y" }),
            Some(&student.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    enrol(&app, &admin).await;
    let (status, list) = app.get("/api/admin/users", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
}

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
async fn five_failed_logins_lock_the_account_even_against_the_right_password() {
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
