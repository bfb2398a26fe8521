//! Adversarial rows of provider sign-in (issue 24): each an abuse of the callback, each
//! asserting the answer and that no account, identity or session appeared.

use futures::future::join_all;
use reqwest::StatusCode;
use reqwest::cookie::CookieStore;
use serde_json::Value;

use crate::auth::oidc::{app_with, browser, browser_with_jar, counts, provider_login, start};
use crate::support::spawn_app_with;

struct Row {
    sentence: &'static str,
    /// The callback query after `?`, with `{code}` and `{state}` of a real sign-in.
    query: &'static str,
    /// Send this browser's flow cookie (else none, or a forged one).
    cookie: CookieKind,
    status: StatusCode,
    reason: &'static str,
}

#[derive(Clone, Copy)]
enum CookieKind {
    Real,
    None,
    Forged,
}

const ROWS: &[Row] = &[
    Row {
        sentence: "the provider's own refusal (access_denied) signs nobody in",
        query: "error=access_denied&state={state}",
        cookie: CookieKind::Real,
        status: StatusCode::UNAUTHORIZED,
        reason: "provider_error",
    },
    Row {
        sentence: "a code without the browser's flow cookie is refused before it is redeemed",
        query: "code={code}&state={state}",
        cookie: CookieKind::None,
        status: StatusCode::BAD_REQUEST,
        reason: "state_mismatch",
    },
    Row {
        sentence: "a forged flow cookie does not open",
        query: "code={code}&state={state}",
        cookie: CookieKind::Forged,
        status: StatusCode::BAD_REQUEST,
        reason: "state_mismatch",
    },
    Row {
        sentence: "a right cookie with a state from another sign-in is refused",
        query: "code={code}&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        cookie: CookieKind::Real,
        status: StatusCode::BAD_REQUEST,
        reason: "state_mismatch",
    },
    Row {
        sentence: "a callback without a code is refused",
        query: "state={state}",
        cookie: CookieKind::Real,
        status: StatusCode::BAD_REQUEST,
        reason: "provider_error",
    },
];

#[tokio::test]
async fn abuses_of_the_callback_are_refused_and_change_nothing() {
    let app = app_with(|_| {}).await;
    for row in ROWS {
        let (b, jar) = browser_with_jar();
        let authorize = start(&app, &b, "/").await;
        let back =
            reqwest::Url::parse(&provider_login(&b, &authorize, "ada@school.test").await).unwrap();
        let get = |k: &str| {
            back.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.to_string())
                .unwrap()
        };
        let query = row
            .query
            .replace("{code}", &get("code"))
            .replace("{state}", &get("state"));
        let url = app.url(&format!("/api/auth/oidc/test/callback?{query}"));
        let mut request = browser().get(&url).header("accept", "application/json");
        match row.cookie {
            CookieKind::Real => {
                let cookie = jar.cookies(&back).unwrap().to_str().unwrap().to_string();
                request = request.header("cookie", cookie);
            }
            CookieKind::Forged => {
                request = request.header("cookie", "sh_oidc=dGhpcyBpcyBub3Qgc2VhbGVk")
            }
            CookieKind::None => {}
        }
        let before = counts(&app).await;
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), row.status, "{}", row.sentence);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["reason"], row.reason, "{}: {body}", row.sentence);
        assert_eq!(
            counts(&app).await,
            before,
            "{}: nothing changed",
            row.sentence
        );
    }
}

#[tokio::test]
async fn a_next_naming_another_site_lands_on_this_one() {
    let app = app_with(|_| {}).await;
    let b = browser();
    let authorize = start(&app, &b, "https%3A%2F%2Fevil.example%2F").await;
    let back = provider_login(&b, &authorize, "ada@school.test").await;
    let response = b.get(&back).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn twenty_parallel_redemptions_of_one_code_open_one_session() {
    let app = app_with(|_| {}).await;
    let (b, jar) = browser_with_jar();
    let authorize = start(&app, &b, "/").await;
    let back = provider_login(&b, &authorize, "ada@school.test").await;
    let cookie = jar
        .cookies(&reqwest::Url::parse(&back).unwrap())
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let calls = (0..20).map(|_| {
        browser()
            .get(&back)
            .header("accept", "application/json")
            .header("cookie", cookie.clone())
            .send()
    });
    let statuses: Vec<StatusCode> = join_all(calls)
        .await
        .into_iter()
        .map(|r| r.unwrap().status())
        .collect();
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(ok, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert_eq!(
        counts(&app).await,
        (1, 1, 1),
        "one account, one identity, one session"
    );
}

#[tokio::test]
async fn twenty_parallel_first_sign_ins_of_one_person_create_one_account() {
    let app = spawn_app_with(|c| {
        c.auth.oidc.providers = vec![crate::auth::oidc::provider("test", "schoolhouse")];
    })
    .await;
    let mut pending = Vec::new();
    for _ in 0..20 {
        let b = browser();
        let authorize = start(&app, &b, "/").await;
        let back = provider_login(&b, &authorize, "new.person@school.test").await;
        pending.push((b, back));
    }
    let calls = pending
        .iter()
        .map(|(b, back)| b.get(back).header("accept", "application/json").send());
    let answers: Vec<Value> =
        join_all(calls.map(|f| async { f.await.unwrap().json::<Value>().await.unwrap() })).await;
    let ids: std::collections::HashSet<String> = answers
        .iter()
        .map(|a| {
            a["user"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{a}"))
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1, "every sign-in is the same account");
    assert_eq!(counts(&app).await, (1, 1, 20));
}
