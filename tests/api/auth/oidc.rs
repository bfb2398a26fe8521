//! Sign-in with an OpenID provider (issue 24), against a real one: oidc-provider started by
//! `tests/support/oidc/start.sh` (OIDC_ISSUER). The provider's own login and consent pages
//! are driven over HTTP by one cookie jar, the way a browser would.

use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};
use serde_json::Value;

use crate::support::{TestApp, assert_problem, spawn_app_with};
use schoolhouse::auth::oidc::config::ProviderConfig;

mod linking;
mod operations;
mod refusals;

pub const SECRET: &str = "schoolhouse-test-secret";

/// The provider's issuer; a missing provider fails the test (it is part of the suite).
pub fn issuer() -> String {
    std::env::var("OIDC_ISSUER").expect(
        "OIDC_ISSUER is not set: start the test OpenID provider with \
         `eval $(tests/support/oidc/start.sh)` (tests/run.sh does it)",
    )
}

pub fn provider(id: &str, client_id: &str) -> ProviderConfig {
    ProviderConfig {
        id: id.into(),
        name: "Test IdP".into(),
        issuer: issuer(),
        client_id: client_id.into(),
        client_secret: SECRET.into(),
        ..Default::default()
    }
}

pub async fn app_with(adjust: impl FnOnce(&mut ProviderConfig)) -> TestApp {
    let mut p = provider("test", "schoolhouse");
    adjust(&mut p);
    spawn_app_with(move |c| c.auth.oidc.providers = vec![p]).await
}

/// A browser: one cookie jar for the app and the provider, redirects followed by hand.
pub fn browser() -> reqwest::Client {
    browser_with_jar().0
}

pub fn browser_with_jar() -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
    crate::support::client();
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    (client, jar)
}

fn location(response: &reqwest::Response) -> String {
    response.headers()[LOCATION].to_str().unwrap().to_string()
}

/// `GET /api/auth/oidc/test/start`: the provider's authorization URL.
pub async fn start(app: &TestApp, b: &reqwest::Client, next: &str) -> String {
    let response = b
        .get(app.url(&format!("/api/auth/oidc/test/start?next={next}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("sh_oidc="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let url = location(&response);
    assert!(url.starts_with(&issuer()), "{url}");
    for part in [
        "code_challenge_method=S256",
        "state=",
        "nonce=",
        "client_id=",
    ] {
        assert!(url.contains(part), "{part} missing: {url}");
    }
    url
}

/// A POST of `application/x-www-form-urlencoded` fields (reqwest's own `form` is a feature
/// the suite does not build).
pub fn post_form(
    b: &reqwest::Client,
    url: &str,
    fields: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let mut body = reqwest::Url::parse("http://x/").unwrap();
    body.query_pairs_mut().extend_pairs(fields);
    b.post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.query().unwrap_or("").to_string())
}

fn form_action(html: &str, base: &str) -> String {
    let at = html.find("action=\"").expect("a form") + 8;
    let action = &html[at..at + html[at..].find('"').unwrap()];
    if action.starts_with("http") {
        action.into()
    } else {
        format!("{base}{action}")
    }
}

/// Follows the provider's pages as `login` (filling its login and consent forms) until it
/// sends the browser back to the app; returns that callback URL.
pub async fn provider_login(b: &reqwest::Client, authorize: &str, login: &str) -> String {
    let base = issuer();
    let mut url = authorize.to_string();
    let mut form: Option<Vec<(&str, String)>> = None;
    for _ in 0..20 {
        let response = match form.take() {
            Some(fields) => {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post_form(b, &url, &fields).send().await.unwrap()
            }
            None => b.get(&url).send().await.unwrap(),
        };
        if response.status().is_redirection() {
            let next = location(&response);
            let next = if next.starts_with("http") {
                next
            } else {
                format!("{base}{next}")
            };
            if !next.starts_with(&base) {
                return next;
            }
            url = next;
            continue;
        }
        let status = response.status();
        let html = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "provider page: {html}");
        url = form_action(&html, &base);
        form = Some(if html.contains("name=\"login\"") {
            vec![
                ("prompt", "login".into()),
                ("login", login.into()),
                ("password", "any".into()),
            ]
        } else {
            vec![("prompt", "consent".into())]
        });
    }
    panic!("the provider never sent the browser back");
}

/// Calls the app's callback as a JSON client.
pub async fn callback_json(b: &reqwest::Client, url: &str) -> (StatusCode, Value) {
    let response = b
        .get(url)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A whole sign-in as `login`, answered as JSON.
pub async fn sign_in(app: &TestApp, login: &str) -> (StatusCode, Value) {
    let b = browser();
    let authorize = start(app, &b, "/my/courses").await;
    let back = provider_login(&b, &authorize, login).await;
    callback_json(&b, &back).await
}

pub async fn count(app: &TestApp, sql: &'static str) -> i64 {
    app.state
        .db
        .read(move |conn| Ok(conn.query_row(sql, [], |r| r.get(0))?))
        .await
        .unwrap()
}

pub async fn counts(app: &TestApp) -> (i64, i64, i64) {
    (
        count(app, "SELECT count(*) FROM users").await,
        count(app, "SELECT count(*) FROM identities").await,
        count(app, "SELECT count(*) FROM sessions").await,
    )
}

#[tokio::test]
async fn a_new_verified_user_signs_up_and_lands_signed_in_where_they_were_going() {
    let app = app_with(|_| {}).await;
    let b = browser();
    let authorize = start(&app, &b, "/my/courses").await;
    let back = provider_login(&b, &authorize, "ada@school.test").await;
    assert!(
        back.starts_with(&app.url("/api/auth/oidc/test/callback?")),
        "{back}"
    );
    let response = b.get(&back).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/my/courses");
    let cookies: Vec<_> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("sh_refresh=") && c.contains("HttpOnly")),
        "{cookies:?}"
    );
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("sh_oidc=;") && c.contains("Max-Age=0")),
        "{cookies:?}"
    );

    // The refresh cookie restores the session like after a password login.
    let refreshed = b.post(app.url("/api/auth/refresh")).send().await.unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);
    let tokens: Value = refreshed.json().await.unwrap();
    assert_eq!(tokens["user"]["email"], "ada@school.test");
    assert_eq!(tokens["user"]["role"], "student");
    let token = tokens["access_token"].as_str().unwrap();
    let (status, ids) = app.get("/api/users/me/identities", Some(token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids[0]["provider"], "test");
    assert_eq!(ids[0]["subject"], "ada@school.test");

    // A second sign-in finds the same account by (provider, subject).
    let (status, again) = sign_in(&app, "ada@school.test").await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["user"]["id"], tokens["user"]["id"]);
    assert_eq!(count(&app, "SELECT count(*) FROM users").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'oidc.signed_in'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn a_wrong_or_missing_state_is_refused_and_changes_nothing() {
    let app = app_with(|_| {}).await;
    let b = browser();
    let authorize = start(&app, &b, "/").await;
    let back = provider_login(&b, &authorize, "ada@school.test").await;
    let before = counts(&app).await;
    let url = reqwest::Url::parse(&back).unwrap();
    let code: String = url
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into();
    for query in [format!("code={code}&state=forged"), format!("code={code}")] {
        let (status, body) = callback_json(
            &b,
            &app.url(&format!("/api/auth/oidc/test/callback?{query}")),
        )
        .await;
        assert_problem(status, &body, StatusCode::BAD_REQUEST);
        assert_eq!(body["reason"], "state_mismatch", "{body}");
    }
    // Another browser (no flow cookie) with the right state is refused too.
    let (status, body) = callback_json(&browser(), &back).await;
    assert_problem(status, &body, StatusCode::BAD_REQUEST);
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn a_replayed_authorization_code_opens_no_second_session() {
    use reqwest::cookie::CookieStore;
    let app = app_with(|_| {}).await;
    let (b, jar) = browser_with_jar();
    let authorize = start(&app, &b, "/").await;
    let back = provider_login(&b, &authorize, "ada@school.test").await;
    let callback = reqwest::Url::parse(&back).unwrap();
    let cookie = jar
        .cookies(&callback)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let (status, ok) = callback_json(&b, &back).await;
    assert_eq!(status, StatusCode::OK, "{ok}");
    let before = counts(&app).await;
    // The same answer again: this browser's flow cookie is spent ...
    let (status, body) = callback_json(&b, &back).await;
    assert_problem(status, &body, StatusCode::BAD_REQUEST);
    // ... and with the old cookie replayed, the provider refuses the used code.
    let replay = browser()
        .get(&back)
        .header("accept", "application/json")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    let body: Value = replay.json().await.unwrap();
    assert_eq!(body["reason"], "provider_error", "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("invalid_grant"),
        "{body}"
    );
    assert_eq!(counts(&app).await, before, "no second session");
}
