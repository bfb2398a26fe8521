//! Linking provider identities to accounts: by a verified email only when the account's
//! email is proved too, else with the password once; unlinking never leaves an account
//! without a way in; MFA still applies; admins see each user's providers.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{app_with, browser, callback_json, count, counts, provider_login, sign_in, start};
use crate::support::{PASSWORD, TestApp, assert_problem};
use schoolhouse::users::Role;

/// Proves the account's email the ordinary way: a password reset through the mailed link
/// (read from the file transport's `.eml`, as the mail worker clears sent secrets).
async fn prove_email(app: &TestApp, email: &str) {
    let (status, body) = app
        .post(
            "/api/auth/password-reset/request",
            json!({ "email": email }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let dir = app.state.config.data_dir.join("mail");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let raw = loop {
        let found = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .find_map(|entry| {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                (text.contains(&format!("To: {email}")) && text.contains("Reset your"))
                    .then_some(text)
            });
        if let Some(text) = found {
            break text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no reset mail for {email}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let text = raw
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let at = text.find("/reset-password?token=").unwrap() + 22;
    let token: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let (status, body) = app
        .post(
            "/api/auth/password-reset/confirm",
            json!({ "token": token, "new_password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

#[tokio::test]
async fn an_account_with_an_unproved_email_links_only_after_its_password() {
    let app = app_with(|_| {}).await;
    let owner = app.user(Role::Student, "ada@school.test").await;
    let b = browser();
    let authorize = start(&app, &b, "/").await;
    let back = provider_login(&b, &authorize, "ada@school.test").await;
    let before = counts(&app).await;
    let (status, body) = callback_json(&b, &back).await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    assert_eq!(body["reason"], "link_required", "{body}");
    assert_eq!(counts(&app).await, before, "nothing linked, no session");

    let link = |password: &'static str, client: reqwest::Client| {
        let (url, token) = (app.url("/api/users/me/identities"), owner.token.clone());
        async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "current_password": password }))
                .send()
                .await
                .unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (status, body) = link("a wrong password here", b.clone()).await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    // Another browser holds no pending link: a planted link is impossible.
    let (status, body) = link(PASSWORD, browser()).await;
    assert_problem(status, &body, StatusCode::BAD_REQUEST);
    assert_eq!(counts(&app).await.1, 0);

    let (status, body) = link(PASSWORD, b.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["provider"], "test");
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["id"], owner.id.as_str());
}

#[tokio::test]
async fn an_account_whose_email_was_proved_links_at_the_first_sign_in() {
    let app = app_with(|_| {}).await;
    let owner = app.user(Role::Student, "ada@school.test").await;
    prove_email(&app, &owner.email).await;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["id"], owner.id.as_str());
    assert_eq!(counts(&app).await.0, 1, "no second account");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'oidc.linked'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn unlinking_the_last_way_to_sign_in_is_refused() {
    let app = app_with(|_| {}).await;
    let (status, body) = sign_in(&app, "cy@other.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().unwrap().to_string();
    let (_, ids) = app.get("/api/users/me/identities", Some(&token)).await;
    let id = ids[0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/users/me/identities/{id}");
    let (status, body) = app.delete(&path, Some(&token)).await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    assert_eq!(counts(&app).await.1, 1, "still linked");
    // A password account may unlink its provider; someone else's identity is not found.
    let owner = app.user(Role::Student, "ada@school.test").await;
    prove_email(&app, &owner.email).await;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().unwrap().to_string();
    let (status, body) = app.delete(&path, Some(&token)).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (_, mine) = app.get("/api/users/me/identities", Some(&token)).await;
    let mine = format!(
        "/api/users/me/identities/{}",
        mine[0]["id"].as_str().unwrap()
    );
    assert_eq!(
        app.delete(&mine, Some(&token)).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(counts(&app).await.1, 1);
}

#[tokio::test]
async fn an_account_with_mfa_still_answers_the_totp_step() {
    let app = app_with(|_| {}).await;
    let owner = app.user(Role::Student, "ada@school.test").await;
    prove_email(&app, &owner.email).await;
    let owner = app.login(&owner.email, PASSWORD).await;
    let (secret, _) = crate::auth::mfa::enrol(&app, &owner).await;
    let sessions = counts(&app).await.2;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["mfa_required"], true, "{body}");
    assert!(body.get("access_token").is_none());
    assert_eq!(
        counts(&app).await.2,
        sessions,
        "no session before the second step"
    );
    crate::auth::mfa::next_step(&app);
    let code = crate::auth::mfa::current_code(&app, &secret);
    let (status, body) = app
        .post(
            "/api/auth/mfa",
            json!({ "mfa_token": body["mfa_token"], "code": code }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["id"], owner.id.as_str());
}

#[tokio::test]
async fn admins_see_a_users_linked_providers_and_others_do_not() {
    let app = app_with(|_| {}).await;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let path = format!(
        "/api/admin/users/{}/identities",
        body["user"]["id"].as_str().unwrap()
    );
    let admin = app.admin().await;
    let (status, ids) = app.get(&path, Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{ids}");
    assert_eq!(ids[0]["email"], "ada@school.test");
    let student = app.student().await;
    let (status, body) = app.get(&path, Some(&student.token)).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_login_page_lists_the_configured_providers() {
    let app = app_with(|p| p.name = "School Account".into()).await;
    let (status, list) = app.get("/api/auth/providers", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list,
        json!([{ "id": "test", "name": "School Account", "kind": "generic", "start_url": "/api/auth/oidc/test/start" }])
    );
    let (status, _) = app.get("/api/auth/oidc/nope/start", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_accounts_provider_identities_are_exported_and_erased_with_it() {
    let app = app_with(|_| {}).await;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let erased = body["user"]["id"].as_str().unwrap().to_string();
    let token = body["access_token"].as_str().unwrap();
    let (_, data, _) = app.data_export(token).await;
    assert_eq!(
        data["sign_in_providers"][0]["subject"], "ada@school.test",
        "exported"
    );
    let admin = app.admin().await;
    let (status, body) = app
        .delete(&format!("/api/admin/users/{erased}"), Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        counts(&app).await.1,
        0,
        "the provider's subject and email are gone"
    );
    // The same person signing in again gets a fresh account, not the erased one.
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_ne!(body["user"]["id"], erased.as_str());
}
