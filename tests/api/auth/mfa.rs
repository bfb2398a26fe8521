//! MFA: enrolment, the second login step, recovery codes, `auth.require_mfa_for_admins`, and
//! the `mfa_enabled` flag on the profile.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{PASSWORD, TestApp, TestUser, assert_problem, spawn_app, spawn_app_with};

/// The code an authenticator app shows now (by the app's clock) for `secret`.
pub(crate) fn current_code(app: &TestApp, secret: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).unwrap();
    let totp = totp_rs::Builder::new()
        .with_secret(secret.as_bytes().to_vec())
        .build()
        .unwrap();
    let now = u64::try_from(app.state.clock.now().unix_timestamp()).unwrap();
    totp.generate(now).to_string()
}

/// Moves to the next 30-second step, so a fresh code can be used.
pub(crate) fn next_step(app: &TestApp) {
    app.state.clock.advance(time::Duration::seconds(30));
}

/// Enrols `user` in MFA; returns the base32 secret and the recovery codes.
pub(crate) async fn enrol(app: &TestApp, user: &TestUser) -> (String, Vec<String>) {
    let (status, setup) = app
        .post("/api/users/me/mfa/setup", json!({}), Some(&user.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let secret = setup["secret"].as_str().unwrap().to_string();
    let code = current_code(app, &secret);
    let (status, confirmed) = app
        .post(
            "/api/users/me/mfa/confirm",
            json!({ "password": PASSWORD, "code": code }),
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

pub(crate) async fn password_step(app: &TestApp, email: &str) -> String {
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

pub(crate) async fn session_count(app: &TestApp, user_id: &str) -> i64 {
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

pub(crate) async fn audit_actions(app: &TestApp, target: &str) -> Vec<String> {
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
            json!({ "password": PASSWORD, "code": "000000" }),
            Some(&user.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "code");
    app.login(&user.email, PASSWORD).await;

    let (status, confirmed) = app
        .post(
            "/api/users/me/mfa/confirm",
            json!({ "password": PASSWORD, "code": current_code(&app, &secret) }),
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
async fn my_profile_says_whether_mfa_is_on() {
    let app = spawn_app().await;
    let user = app.student().await;
    let (status, me) = app.get("/api/users/me", Some(&user.token)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["mfa_enabled"], false);
    assert_eq!(me["email"], user.email.as_str());

    crate::auth::mfa::enrol(&app, &user).await;
    let (status, me) = app.get("/api/users/me", Some(&user.token)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["mfa_enabled"], true);
    let (status, renamed) = app
        .patch(
            "/api/users/me",
            json!({ "name": "Grace H." }),
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Grace H.");
    assert_eq!(renamed["mfa_enabled"], true);
}
