//! Sign-in abuse, tried the way an attacker and a whole class would: the real default
//! rate-limit config, several client addresses posed through a trusted proxy, and every
//! row checking both the answer and that nothing changed beyond the budget.

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::mfa::{audit_actions, current_code, session_count};
use crate::support::{PASSWORD, TestApp, TestUser, spawn_app_with, uuid_suffix};
use schoolhouse::auth::recovery::service::issue_login_link;
use schoolhouse::config::RateLimitConfig;

const SCHOOL: &str = "198.51.100.7";
const ATTACKER: &str = "203.0.113.66";
const HOME: &str = "192.0.2.10";

/// An app with the shipped rate limits (not the test config's raised ceiling) that
/// believes `X-Forwarded-For` from 127.0.0.1, so a test can speak from several addresses.
async fn school_app() -> TestApp {
    spawn_app_with(|c| {
        c.rate_limit = RateLimitConfig::default();
        c.server.trusted_proxies = vec!["127.0.0.1/32".into()];
    })
    .await
}

/// One answer: status, JSON body and `Retry-After` when there is one.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    status: StatusCode,
    body: Value,
    retry_after: Option<String>,
}

async fn send(
    app: &TestApp,
    ip: &str,
    method: &str,
    path: &str,
    body: Value,
    token: Option<&str>,
) -> Answer {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    // A fresh client per request: no cookie jar shared between the "people" of a test.
    let mut request = reqwest::Client::new()
        .request(method, app.url(path))
        .header("x-forwarded-for", ip)
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = response.bytes().await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        body,
        retry_after,
    }
}

async fn login(app: &TestApp, ip: &str, email: &str, password: &str) -> Answer {
    let body = json!({ "email": email, "password": password });
    send(app, ip, "POST", "/api/auth/login", body, None).await
}

async fn reset(app: &TestApp, ip: &str, email: &str) -> Answer {
    let body = json!({ "email": email });
    send(
        app,
        ip,
        "POST",
        "/api/auth/password-reset/request",
        body,
        None,
    )
    .await
}

async fn reset_mails(app: &TestApp, email: &str) -> usize {
    app.mails_to(email)
        .await
        .iter()
        .filter(|(template, _)| template == "password_reset")
        .count()
}

async fn me(app: &TestApp, user: &TestUser) -> Value {
    let (status, body) = app.get("/api/users/me", Some(&user.token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn count(answers: &[Answer], status: StatusCode) -> usize {
    answers.iter().filter(|a| a.status == status).count()
}

#[derive(Debug, Clone, Copy)]
enum Abuse {
    ResetFloodOneAddress,
    ResetFloodManyAddresses,
    TokenGuessing,
    WrongPasswordEnumeration,
    LockedEnumeration,
    ResetEnumeration,
    OwnerLockedFromElsewhere,
    ParallelGuesses,
    MfaOnWithoutPassword,
    MfaOffWithoutPassword,
    EmailChangeWithoutPassword,
    ReauthGuessing,
}

const ROWS: &[(&str, Abuse)] = &[
    (
        "twenty-five parallel reset requests for one address send it at most three mails",
        Abuse::ResetFloodOneAddress,
    ),
    (
        "a reset flood across many addresses from one IP stops at the IP's hourly budget, and later addresses get no mail",
        Abuse::ResetFloodManyAddresses,
    ),
    (
        "guessing login-link and reset tokens from one IP stops at the IP's hourly budget, even for a real link",
        Abuse::TokenGuessing,
    ),
    (
        "a wrong password for a known email answers exactly like any password for an unknown one",
        Abuse::WrongPasswordEnumeration,
    ),
    (
        "a locked known email answers exactly like a locked unknown one",
        Abuse::LockedEnumeration,
    ),
    (
        "a reset request answers the same for a known, an unknown and an over-budget address",
        Abuse::ResetEnumeration,
    ),
    (
        "an attacker's wrong passwords lock the attacker's source, not the owner signing in from elsewhere",
        Abuse::OwnerLockedFromElsewhere,
    ),
    (
        "twenty parallel guesses from one IP at one account get at most five tries",
        Abuse::ParallelGuesses,
    ),
    (
        "a bearer token alone cannot turn MFA on",
        Abuse::MfaOnWithoutPassword,
    ),
    (
        "a bearer token alone cannot turn MFA off",
        Abuse::MfaOffWithoutPassword,
    ),
    (
        "a bearer token alone cannot change the email",
        Abuse::EmailChangeWithoutPassword,
    ),
    (
        "a stolen token cannot guess the password through the email change faster than the login form",
        Abuse::ReauthGuessing,
    ),
];

#[tokio::test]
async fn sign_in_abuse_is_refused_and_changes_nothing_beyond_its_budget() {
    let mut failed = Vec::new();
    for (sentence, abuse) in ROWS {
        let app = school_app().await;
        // Every row runs, so one report names all the rows that do not hold.
        if AssertUnwindSafe(run(&app, *abuse, sentence))
            .catch_unwind()
            .await
            .is_err()
        {
            failed.push(*sentence);
        }
        app.stop().await;
    }
    assert!(
        failed.is_empty(),
        "rows that do not hold:\n{}",
        failed.join("\n")
    );
}

async fn run(app: &TestApp, abuse: Abuse, sentence: &str) {
    match abuse {
        Abuse::ResetFloodOneAddress => {
            let user = app.student().await;
            let answers = join_all((0..25).map(|_| reset(app, ATTACKER, &user.email))).await;
            assert_eq!(
                count(&answers, StatusCode::ACCEPTED),
                25,
                "{sentence}: {answers:?}"
            );
            assert!(
                answers.iter().all(|a| a.body == answers[0].body),
                "{sentence}"
            );
            assert_eq!(reset_mails(app, &user.email).await, 3, "{sentence}");
            // Another IP gets no more mail to that address either: the budget is the address's.
            assert_eq!(
                reset(app, HOME, &user.email).await.status,
                StatusCode::ACCEPTED
            );
            assert_eq!(reset_mails(app, &user.email).await, 3, "{sentence}");
        }
        Abuse::ResetFloodManyAddresses => {
            let budget = RateLimitConfig::default().recovery_per_hour;
            let answers = join_all((0..budget).map(|i| {
                let email = format!("nobody-{i}-{}@example.com", uuid_suffix());
                async move { reset(app, ATTACKER, &email).await }
            }))
            .await;
            assert_eq!(
                count(&answers, StatusCode::ACCEPTED),
                budget as usize,
                "{sentence}"
            );
            let victim = app.student().await;
            let over = reset(app, ATTACKER, &victim.email).await;
            assert_eq!(
                over.status,
                StatusCode::TOO_MANY_REQUESTS,
                "{sentence}: {over:?}"
            );
            assert!(over.retry_after.is_some(), "{sentence}");
            assert_eq!(reset_mails(app, &victim.email).await, 0, "{sentence}");
            // The victim asking from home still gets a link.
            assert_eq!(
                reset(app, HOME, &victim.email).await.status,
                StatusCode::ACCEPTED
            );
            assert_eq!(reset_mails(app, &victim.email).await, 1, "{sentence}");
        }
        Abuse::TokenGuessing => {
            let budget = RateLimitConfig::default().recovery_per_hour;
            let answers = join_all((0..budget).map(|i| async move {
                if i % 2 == 0 {
                    let body = json!({ "token": format!("guess-{i}") });
                    send(app, ATTACKER, "POST", "/api/auth/login-link", body, None).await
                } else {
                    let body = json!({ "token": format!("guess-{i}"), "new_password": "a brand new passphrase" });
                    send(app, ATTACKER, "POST", "/api/auth/password-reset/confirm", body, None).await
                }
            }))
            .await;
            assert_eq!(
                count(&answers, StatusCode::BAD_REQUEST),
                budget as usize,
                "{sentence}"
            );
            let user = app.student().await;
            let sessions = session_count(app, &user.id).await;
            let token = issue_login_link(&app.state, &user.id, None).await.unwrap();
            let body = json!({ "token": token });
            let over = send(
                app,
                ATTACKER,
                "POST",
                "/api/auth/login-link",
                body.clone(),
                None,
            )
            .await;
            assert_eq!(
                over.status,
                StatusCode::TOO_MANY_REQUESTS,
                "{sentence}: {over:?}"
            );
            assert_eq!(session_count(app, &user.id).await, sessions, "{sentence}");
            // The link still works once, from an address with budget left.
            let used = send(app, HOME, "POST", "/api/auth/login-link", body, None).await;
            assert_eq!(used.status, StatusCode::OK, "{sentence}: {used:?}");
        }
        Abuse::WrongPasswordEnumeration => {
            let user = app.student().await;
            let known = login(app, ATTACKER, &user.email, "wrong password!").await;
            let unknown = login(app, ATTACKER, "nobody@example.com", "wrong password!").await;
            assert_eq!(known.status, StatusCode::UNAUTHORIZED, "{sentence}");
            assert_eq!(known, unknown, "{sentence}");
        }
        Abuse::LockedEnumeration => {
            let user = app.student().await;
            let unknown_email = format!("nobody-{}@example.com", uuid_suffix());
            for email in [&user.email, &unknown_email] {
                for _ in 0..5 {
                    let answer = login(app, ATTACKER, email, "wrong password!").await;
                    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{sentence}");
                }
            }
            let known = login(app, ATTACKER, &user.email, "wrong password!").await;
            let unknown = login(app, ATTACKER, &unknown_email, "wrong password!").await;
            assert_eq!(known.status, StatusCode::TOO_MANY_REQUESTS, "{sentence}");
            assert_eq!(known, unknown, "{sentence}");
        }
        Abuse::ResetEnumeration => {
            let user = app.student().await;
            let known = reset(app, ATTACKER, &user.email).await;
            let unknown = reset(app, ATTACKER, "nobody@example.com").await;
            for _ in 0..3 {
                reset(app, ATTACKER, &user.email).await;
            }
            let over_budget = reset(app, ATTACKER, &user.email).await;
            assert_eq!(known.status, StatusCode::ACCEPTED, "{sentence}");
            assert_eq!(known, unknown, "{sentence}");
            assert_eq!(known, over_budget, "{sentence}");
            assert_eq!(reset_mails(app, &user.email).await, 3, "{sentence}");
        }
        Abuse::OwnerLockedFromElsewhere => {
            let user = app.student().await;
            let sessions = session_count(app, &user.id).await;
            let mut answers = Vec::new();
            for _ in 0..10 {
                answers.push(login(app, ATTACKER, &user.email, "wrong password!").await);
            }
            assert_eq!(count(&answers, StatusCode::UNAUTHORIZED), 5, "{sentence}");
            assert_eq!(
                count(&answers, StatusCode::TOO_MANY_REQUESTS),
                5,
                "{sentence}"
            );
            // Even the right password from the locked source opens nothing.
            let right = login(app, ATTACKER, &user.email, PASSWORD).await;
            assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "{sentence}");
            assert_eq!(session_count(app, &user.id).await, sessions, "{sentence}");
            let owner = login(app, HOME, &user.email, PASSWORD).await;
            assert_eq!(owner.status, StatusCode::OK, "{sentence}: {owner:?}");
            assert_eq!(
                session_count(app, &user.id).await,
                sessions + 1,
                "{sentence}"
            );
            assert!(
                audit_actions(app, &user.id)
                    .await
                    .contains(&"account.locked".into())
            );
        }
        Abuse::ParallelGuesses => {
            let user = app.student().await;
            let answers = join_all((0..20).map(|i| {
                let guess = format!("wrong password {i}");
                let email = user.email.clone();
                async move { login(app, ATTACKER, &email, &guess).await }
            }))
            .await;
            assert_eq!(
                count(&answers, StatusCode::UNAUTHORIZED),
                5,
                "{sentence}: {answers:?}"
            );
            assert_eq!(
                count(&answers, StatusCode::TOO_MANY_REQUESTS),
                15,
                "{sentence}"
            );
            let failed = audit_actions(app, &user.id)
                .await
                .iter()
                .filter(|a| *a == "login.failed")
                .count();
            assert_eq!(failed, 5, "{sentence}: only five passwords were checked");
        }
        Abuse::MfaOnWithoutPassword => {
            let user = app.student().await;
            let setup = send(
                app,
                HOME,
                "POST",
                "/api/users/me/mfa/setup",
                json!({}),
                Some(&user.token),
            )
            .await;
            assert_eq!(setup.status, StatusCode::OK, "{sentence}");
            let secret = setup.body["secret"].as_str().unwrap().to_string();
            for body in [
                json!({ "code": current_code(app, &secret) }),
                json!({ "password": "", "code": current_code(app, &secret) }),
                json!({ "password": "not my password", "code": current_code(app, &secret) }),
            ] {
                let answer = send(
                    app,
                    HOME,
                    "POST",
                    "/api/users/me/mfa/confirm",
                    body,
                    Some(&user.token),
                )
                .await;
                assert_eq!(
                    answer.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{sentence}: {answer:?}"
                );
                assert_eq!(answer.body["errors"][0]["field"], "password", "{sentence}");
                assert_eq!(me(app, &user).await["mfa_enabled"], false, "{sentence}");
            }
            assert!(
                !audit_actions(app, &user.id)
                    .await
                    .contains(&"mfa.enabled".into())
            );
        }
        Abuse::MfaOffWithoutPassword => {
            let user = app.student().await;
            let (secret, _) = crate::auth::mfa::enrol(app, &user).await;
            crate::auth::mfa::next_step(app);
            for body in [
                json!({ "code": current_code(app, &secret) }),
                json!({ "password": "not my password", "code": current_code(app, &secret) }),
            ] {
                let answer = send(
                    app,
                    HOME,
                    "DELETE",
                    "/api/users/me/mfa",
                    body,
                    Some(&user.token),
                )
                .await;
                assert_eq!(
                    answer.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{sentence}: {answer:?}"
                );
                assert_eq!(answer.body["errors"][0]["field"], "password", "{sentence}");
            }
            assert_eq!(me(app, &user).await["mfa_enabled"], true, "{sentence}");
        }
        Abuse::EmailChangeWithoutPassword => {
            let user = app.student().await;
            let new_email = format!("taken-over-{}@example.com", uuid_suffix());
            for body in [
                json!({ "email": new_email }),
                json!({ "email": new_email, "current_password": "not my password" }),
            ] {
                let answer =
                    send(app, HOME, "PATCH", "/api/users/me", body, Some(&user.token)).await;
                assert_eq!(
                    answer.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{sentence}: {answer:?}"
                );
                assert_eq!(
                    answer.body["errors"][0]["field"], "current_password",
                    "{sentence}"
                );
            }
            assert_eq!(
                me(app, &user).await["email"],
                user.email.as_str(),
                "{sentence}"
            );
            assert!(
                !audit_actions(app, &user.id)
                    .await
                    .contains(&"user.email_changed".into())
            );
        }
        Abuse::ReauthGuessing => {
            let user = app.student().await;
            let new_email = format!("taken-over-{}@example.com", uuid_suffix());
            let mut answers = Vec::new();
            for i in 0..7 {
                let body = json!({ "email": new_email, "current_password": format!("guess {i}") });
                answers.push(
                    send(
                        app,
                        ATTACKER,
                        "PATCH",
                        "/api/users/me",
                        body,
                        Some(&user.token),
                    )
                    .await,
                );
            }
            assert_eq!(
                count(&answers, StatusCode::UNPROCESSABLE_ENTITY),
                5,
                "{sentence}"
            );
            assert_eq!(
                count(&answers, StatusCode::TOO_MANY_REQUESTS),
                2,
                "{sentence}"
            );
            let body = json!({ "email": new_email, "current_password": PASSWORD });
            let right = send(
                app,
                ATTACKER,
                "PATCH",
                "/api/users/me",
                body,
                Some(&user.token),
            )
            .await;
            assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "{sentence}");
            assert_eq!(
                me(app, &user).await["email"],
                user.email.as_str(),
                "{sentence}"
            );
            // The owner at home still signs in.
            let owner = login(app, HOME, &user.email, PASSWORD).await;
            assert_eq!(owner.status, StatusCode::OK, "{sentence}");
        }
    }
}

/// A class of 40 behind one school router registers, signs in and refreshes at the start
/// of a lesson; then an attacker guessing one student's password is throttled while that
/// student signs in from home.
#[tokio::test]
async fn a_class_of_forty_signs_in_from_one_address_while_a_guesser_is_throttled() {
    let app = school_app().await;
    let emails: Vec<String> = (0..40)
        .map(|i| format!("pupil-{i}-{}@example.com", uuid_suffix()))
        .collect();
    let registered = join_all(emails.iter().enumerate().map(|(i, email)| {
        let body = json!({ "email": email, "password": PASSWORD, "name": format!("Pupil {i}") });
        send(&app, SCHOOL, "POST", "/api/auth/register", body, None)
    }))
    .await;
    for answer in &registered {
        assert_eq!(answer.status, StatusCode::CREATED, "{answer:?}");
    }
    // A few typos on the way do not hurt anyone else.
    for email in emails.iter().take(10) {
        let typo = login(&app, SCHOOL, email, "wrong password!").await;
        assert_eq!(typo.status, StatusCode::UNAUTHORIZED);
    }
    let signed_in = join_all(
        emails
            .iter()
            .map(|email| login(&app, SCHOOL, email, PASSWORD)),
    )
    .await;
    for answer in &signed_in {
        assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    }
    let refreshed = join_all(signed_in.iter().map(|answer| {
        let body = json!({ "refresh_token": answer.body["refresh_token"] });
        send(&app, SCHOOL, "POST", "/api/auth/refresh", body, None)
    }))
    .await;
    for answer in &refreshed {
        assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    }

    let target = &emails[0];
    let mut guesses = Vec::new();
    for i in 0..8 {
        guesses.push(login(&app, ATTACKER, target, &format!("guess {i}")).await);
    }
    assert_eq!(count(&guesses, StatusCode::UNAUTHORIZED), 5, "{guesses:?}");
    assert_eq!(
        count(&guesses, StatusCode::TOO_MANY_REQUESTS),
        3,
        "{guesses:?}"
    );
    assert_eq!(
        login(&app, ATTACKER, target, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login(&app, HOME, target, PASSWORD).await.status,
        StatusCode::OK
    );
    assert_eq!(
        login(&app, SCHOOL, target, PASSWORD).await.status,
        StatusCode::OK
    );
}
