//! Accounts: register, login, tokens, sessions, role guards, and the readable session hint.

use reqwest::StatusCode;
use serde_json::Value;
use serde_json::json;

use crate::support::{PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn register_login_and_me() {
    let app = spawn_app().await;
    let (status, body) = app
        .post(
            "/api/auth/register",
            json!({ "email": " Ada@Example.com ", "password": PASSWORD, "name": "Ada" }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["user"]["email"], "ada@example.com");
    assert_eq!(body["user"]["role"], "student");
    let user = app.login("ada@example.com", PASSWORD).await;
    let (status, me) = app.get("/api/users/me", Some(&user.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["name"], "Ada");
    assert!(me.get("password_hash").is_none());
}

#[tokio::test]
async fn duplicate_email_is_a_409_naming_email() {
    let app = spawn_app().await;
    let body = json!({ "email": "dup@example.com", "password": PASSWORD, "name": "A" });
    app.post("/api/auth/register", body.clone(), None).await;
    let (status, problem) = app.post("/api/auth/register", body, None).await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    assert_eq!(problem["errors"][0]["field"], "email");
}

#[tokio::test]
async fn weak_or_invalid_registration_is_refused_with_field_errors() {
    let app = spawn_app().await;
    let (status, problem) = app
        .post(
            "/api/auth/register",
            json!({ "email": "not-an-email", "password": "password123", "name": "" }),
            None,
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "name", "password"]);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.student().await;
    let (s1, b1) = app
        .post(
            "/api/auth/login",
            json!({ "email": "nobody@example.com", "password": PASSWORD }),
            None,
        )
        .await;
    let user = app.student().await;
    let (s2, b2) = app
        .post(
            "/api/auth/login",
            json!({ "email": user.email, "password": "wrong password!" }),
            None,
        )
        .await;
    assert_problem(s1, &b1, StatusCode::UNAUTHORIZED);
    assert_eq!((s1, &b1["detail"]), (s2, &b2["detail"]));
}

async fn refresh_with(app: &TestApp, token: &str) -> (StatusCode, Value) {
    app.post("/api/auth/refresh", json!({ "refresh_token": token }), None)
        .await
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_session() {
    // No grace: a used token presented again is theft at once.
    let app = spawn_app_with(|c| c.auth.refresh_reuse_grace_seconds = 0).await;
    let user = app.student().await;
    let (status, first) = refresh_with(&app, &user.refresh_token).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let rotated = first["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rotated, user.refresh_token);
    let new_access = first["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/users/me", Some(&new_access)).await.0,
        StatusCode::OK
    );

    // The old token again: theft is assumed and the whole session ends.
    let (status, problem) = refresh_with(&app, &user.refresh_token).await;
    assert_problem(status, &problem, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/users/me", Some(&new_access)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        refresh_with(&app, &rotated).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_refresh_whose_answer_was_lost_can_be_retried_once_the_successor_is_withdrawn() {
    let app = spawn_app().await;
    let user = app.student().await;
    // The first answer never reaches the browser (a reload aborted it)...
    let (status, lost) = refresh_with(&app, &user.refresh_token).await;
    assert_eq!(status, StatusCode::OK, "{lost}");
    let lost_token = lost["refresh_token"].as_str().unwrap().to_string();
    // ...so the browser presents the old cookie again, moments later: new tokens.
    let (status, retried) = refresh_with(&app, &user.refresh_token).await;
    assert_eq!(status, StatusCode::OK, "{retried}");
    let kept = retried["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(kept, lost_token);
    let access = retried["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/users/me", Some(&access)).await.0,
        StatusCode::OK
    );

    // The lost successor was withdrawn: whoever holds it gets nothing, and the session
    // goes on for its owner.
    let (status, problem) = refresh_with(&app, &lost_token).await;
    assert_problem(status, &problem, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/users/me", Some(&access)).await.0,
        StatusCode::OK
    );
    let (status, next) = refresh_with(&app, &kept).await;
    assert_eq!(status, StatusCode::OK, "{next}");
}

#[tokio::test]
async fn an_old_token_after_its_successor_was_used_ends_the_session_even_within_the_grace() {
    let app = spawn_app().await;
    let user = app.student().await;
    let (_, first) = refresh_with(&app, &user.refresh_token).await;
    let second = first["refresh_token"].as_str().unwrap().to_string();
    // The successor has been used: the old token's holder is not the one the chain moved on with.
    let (status, third) = refresh_with(&app, &second).await;
    assert_eq!(status, StatusCode::OK, "{third}");
    let access = third["access_token"].as_str().unwrap().to_string();

    let (status, problem) = refresh_with(&app, &user.refresh_token).await;
    assert_problem(status, &problem, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/users/me", Some(&access)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let admin = app.admin().await;
    let (_, log) = app
        .get(
            "/api/admin/audit?action=session.revoked_refresh_reuse",
            Some(&admin.token),
        )
        .await;
    assert!(
        log.to_string().contains("session.revoked_refresh_reuse"),
        "{log}"
    );
}

#[tokio::test]
async fn refresh_works_from_the_http_only_cookie() {
    let app = spawn_app().await;
    let user = app.student().await;
    // The test client keeps cookies, as a browser would; the login set `sh_refresh`.
    let response = app
        .client
        .post(app.url("/api/auth/refresh"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/api/auth")
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["user"]["id"], user.id.as_str());
}

#[tokio::test]
async fn logout_kills_the_access_token_at_once() {
    let app = spawn_app().await;
    let user = app.student().await;
    let (status, _) = app
        .post("/api/auth/logout", json!({}), Some(&user.token))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, problem) = app.get("/api/users/me", Some(&user.token)).await;
    assert_problem(status, &problem, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .post(
            "/api/auth/refresh",
            json!({ "refresh_token": user.refresh_token }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn forged_and_expired_tokens_are_refused() {
    let app = spawn_app().await;
    let user = app.student().await;
    let mut forged = user.token.clone();
    forged.pop();
    forged.push(if user.token.ends_with('A') { 'B' } else { 'A' });
    for token in [
        forged.as_str(),
        "not.a.token",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
    ] {
        let (status, problem) = app.get("/api/users/me", Some(token)).await;
        assert_problem(status, &problem, StatusCode::UNAUTHORIZED);
    }
    app.state.clock.advance(time::Duration::minutes(16));
    let (status, _) = app.get("/api/users/me", Some(&user.token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn email_change_needs_the_current_password() {
    let app = spawn_app().await;
    let user = app.student().await;
    let (status, problem) = app
        .patch(
            "/api/users/me",
            json!({ "email": "new@example.com" }),
            Some(&user.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "current_password");
    let (status, me) = app
        .patch(
            "/api/users/me",
            json!({ "email": "new@example.com", "name": "Renamed", "current_password": PASSWORD }),
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        (me["email"].as_str(), me["name"].as_str()),
        (Some("new@example.com"), Some("Renamed"))
    );
    app.login("new@example.com", PASSWORD).await;
}

/// The stored password hash of `email`.
async fn stored_hash(app: &crate::support::TestApp, email: &str) -> String {
    let email = email.to_string();
    app.state
        .db
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT password_hash FROM users WHERE email = ?1",
                [&email],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_login_replaces_a_hash_made_with_other_settings() {
    use schoolhouse::auth::password::PasswordHasherConfig;
    use schoolhouse::config::Argon2Config;
    let app = spawn_app().await;
    let user = app.student().await;
    let earlier = PasswordHasherConfig::new(&Argon2Config {
        memory_kib: 128,
        iterations: 2,
        parallelism: 1,
    })
    .unwrap()
    .hash(PASSWORD)
    .unwrap();
    let (id, old) = (user.id.clone(), earlier.clone());
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                [&id, &old],
            )?;
            Ok(())
        })
        .await
        .unwrap();

    let (status, _) = app
        .post(
            "/api/auth/login",
            json!({ "email": user.email, "password": "wrong password!" }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        stored_hash(&app, &user.email).await,
        earlier,
        "a failed login changes nothing"
    );

    app.login(&user.email, PASSWORD).await;
    let fresh = stored_hash(&app, &user.email).await;
    assert!(fresh.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{fresh}");
    app.login(&user.email, PASSWORD).await;
    assert_eq!(
        stored_hash(&app, &user.email).await,
        fresh,
        "a current hash is kept"
    );
}

#[tokio::test]
async fn signing_in_sets_a_readable_session_hint_without_a_secret_and_logging_out_clears_it() {
    let app = spawn_app().await;
    let student = app.student().await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .json(&json!({ "email": student.email, "password": crate::support::PASSWORD }))
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let hint = cookies
        .iter()
        .find(|c| c.starts_with("sh_session="))
        .unwrap_or_else(|| panic!("{cookies:?}"));
    assert!(
        hint.starts_with("sh_session=1;") && hint.contains("Path=/;"),
        "{hint}"
    );
    assert!(
        !hint.contains("HttpOnly"),
        "the page must be able to read it: {hint}"
    );
    let refresh = cookies
        .iter()
        .find(|c| c.starts_with("sh_refresh="))
        .unwrap();
    assert!(refresh.contains("HttpOnly"), "{refresh}");
    let token = response.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();

    let response = app
        .client
        .post(app.url("/api/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let cleared: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cleared
            .iter()
            .any(|c| c.starts_with("sh_session=;") && c.contains("Max-Age=0")),
        "{cleared:?}"
    );
}
