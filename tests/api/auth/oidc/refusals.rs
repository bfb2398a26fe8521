//! Every refusal of a provider sign-in is a clear problem and changes nothing: forged
//! tokens (nonce, audience, expiry), unverified emails, closed sign-up, domains, disabled
//! accounts, and the provider itself refusing a wrong client secret or PKCE verifier.

use reqwest::StatusCode;
use serde_json::Value;

use super::{app_with, browser, callback_json, counts, issuer, provider_login, sign_in, start};
use crate::support::{PASSWORD, assert_problem, spawn_app_with};

/// The authorization URL with one query parameter replaced.
fn with_param(url: &str, key: &str, value: &str) -> String {
    let mut parsed = reqwest::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            (
                k.to_string(),
                if k == key {
                    value.to_string()
                } else {
                    v.to_string()
                },
            )
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}

async fn refused(status: StatusCode, body: &Value, expected: StatusCode, reason: &str) {
    assert_problem(status, body, expected);
    assert_eq!(body["reason"], reason, "{body}");
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() {
    let app = app_with(|_| {}).await;
    let b = browser();
    let authorize = with_param(
        &start(&app, &b, "/").await,
        "nonce",
        "not-the-browsers-nonce",
    );
    let back = provider_login(&b, &authorize, "ada@school.test").await;
    let (status, body) = callback_json(&b, &back).await;
    refused(status, &body, StatusCode::UNAUTHORIZED, "provider_error").await;
    assert!(body["detail"].as_str().unwrap().contains("nonce"), "{body}");
    assert_eq!(counts(&app).await.0, 0, "no account created");
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    let app = app_with(|p| p.client_id = "schoolhouse-misaud".into()).await;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    refused(status, &body, StatusCode::UNAUTHORIZED, "provider_error").await;
    assert!(
        body["detail"].as_str().unwrap().contains("audience"),
        "{body}"
    );
    assert_eq!(counts(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    // This client's ID tokens live one second; the app's clock moves a minute on.
    let app = app_with(|p| p.client_id = "schoolhouse-short".into()).await;
    let b = browser();
    let authorize = start(&app, &b, "/").await;
    let back = provider_login(&b, &authorize, "ada@school.test").await;
    app.state.clock.advance(time::Duration::seconds(60));
    let (status, body) = callback_json(&b, &back).await;
    refused(status, &body, StatusCode::UNAUTHORIZED, "provider_error").await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("expired"),
        "{body}"
    );
    assert_eq!(counts(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn an_unverified_email_is_neither_linked_nor_created() {
    let app = app_with(|_| {}).await;
    let (status, body) = sign_in(&app, "unverified.bob@school.test").await;
    refused(status, &body, StatusCode::FORBIDDEN, "email_not_verified").await;
    assert_eq!(counts(&app).await, (0, 0, 0));
    // Nor is an existing account with that email linked.
    app.user(schoolhouse::users::Role::Student, "bob@school.test")
        .await;
    let before = counts(&app).await;
    let (status, body) = sign_in(&app, "unverified.bob@school.test").await;
    refused(status, &body, StatusCode::FORBIDDEN, "email_not_verified").await;
    assert_eq!(counts(&app).await, before);
    let audited = super::count(&app, "SELECT count(*) FROM audit_log WHERE action = 'oidc.refused' AND detail LIKE '%email_not_verified%'").await;
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn closed_sign_up_refuses_an_unknown_email_and_creates_nothing() {
    let app = app_with(|p| p.allow_signup = false).await;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    refused(status, &body, StatusCode::FORBIDDEN, "signup_closed").await;
    assert_eq!(counts(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn an_email_outside_the_allowed_domains_is_refused() {
    let app = app_with(|p| p.allowed_domains = vec!["school.test".into()]).await;
    let (status, body) = sign_in(&app, "cy@other.test").await;
    refused(status, &body, StatusCode::FORBIDDEN, "domain_not_allowed").await;
    assert_eq!(counts(&app).await, (0, 0, 0));
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_disabled_account_is_refused() {
    let app = app_with(|_| {}).await;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body["user"]["id"].as_str().unwrap().to_string();
    app.state
        .db
        .write(move |conn| {
            Ok(schoolhouse::users::store::set_disabled(
                conn,
                &id,
                Some("2026-01-01T00:00:00Z"),
                "2026-01-01T00:00:00Z",
            )?)
        })
        .await
        .unwrap();
    let before = counts(&app).await;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    refused(status, &body, StatusCode::FORBIDDEN, "account_disabled").await;
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn the_provider_refuses_a_wrong_client_secret() {
    let app = spawn_app_with(|c| {
        let mut p = super::provider("test", "schoolhouse");
        p.client_secret = "not-the-secret".into();
        c.auth.oidc.providers = vec![p];
    })
    .await;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    refused(status, &body, StatusCode::UNAUTHORIZED, "provider_error").await;
    assert!(
        body["detail"].as_str().unwrap().contains("invalid_client"),
        "{body}"
    );
    assert_eq!(counts(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn the_provider_refuses_a_code_with_a_bad_pkce_verifier() {
    // The app's own flow always sends its verifier; ask the provider directly.
    let app = app_with(|_| {}).await;
    let b = browser();
    let authorize = start(&app, &b, "/").await;
    let back = provider_login(&b, &authorize, "ada@school.test").await;
    let url = reqwest::Url::parse(&back).unwrap();
    let code: String = url
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into();
    let redirect = app.url("/api/auth/oidc/test/callback");
    let fields = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect.as_str()),
        (
            "code_verifier",
            "a-wrong-verifier-a-wrong-verifier-a-wrong-verifier",
        ),
    ];
    let response = super::post_form(&browser(), &format!("{}/token", issuer()), &fields)
        .basic_auth("schoolhouse", Some(super::SECRET))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant", "{body}");
    let _ = PASSWORD;
}

#[tokio::test]
async fn a_token_signed_with_a_key_missing_from_the_cached_set_fetches_the_keys_again() {
    let app = app_with(|_| {}).await;
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // As if the provider rotated its keys since they were cached.
    schoolhouse::auth::oidc::client::forget_cached_keys(&issuer());
    let (status, body) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
