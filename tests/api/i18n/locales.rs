//! `GET /api/i18n`, the profile's `locale`, problems in the request's locale and mails in
//! the recipient's (over the real SMTP test server).

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE};
use serde_json::{Value, json};

use crate::mail::smtp::{received_mail, smtp_sink};
use crate::mail::use_smtp;
use crate::support::{TestApp, spawn_app, spawn_app_with};

async fn i18n(app: &TestApp, token: Option<&str>, headers: &[(&str, &str)]) -> Value {
    let mut request = crate::support::client().get(app.url("/api/i18n"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_locale_is_the_users_choice_then_the_cookie_then_accept_language_then_the_default() {
    let app = spawn_app_with(|c| c.site.default_locale = "fr".into()).await;
    let body = i18n(&app, None, &[]).await;
    assert_eq!(body["locale"], "fr");
    assert_eq!(body["default_locale"], "fr");
    assert_eq!(body["dir"], "ltr");
    let codes: Vec<&str> = body["available"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[..2], ["en", "fr"]);
    assert!(codes.contains(&"ar-XB") && codes.contains(&"en-XA"));

    let accept = [(ACCEPT_LANGUAGE.as_str(), "en-GB,en;q=0.9")];
    assert_eq!(i18n(&app, None, &accept).await["locale"], "en");
    let cookie_fr = [
        (ACCEPT_LANGUAGE.as_str(), "en-GB"),
        (COOKIE.as_str(), "schoolhouse_locale=ar-XB"),
    ];
    let rtl = i18n(&app, None, &cookie_fr).await;
    assert_eq!(rtl["locale"], "ar-XB");
    assert_eq!(rtl["dir"], "rtl");

    let user = app.student().await;
    let (status, me) = app
        .patch(
            "/api/users/me",
            json!({ "locale": "FR" }),
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["locale"], "fr");
    assert_eq!(
        i18n(&app, Some(&user.token), &cookie_fr).await["locale"],
        "fr"
    );

    let (status, me) = app
        .patch(
            "/api/users/me",
            json!({ "locale": null }),
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["locale"], Value::Null);
    assert_eq!(
        i18n(&app, Some(&user.token), &cookie_fr).await["locale"],
        "ar-XB"
    );
}

#[tokio::test]
async fn a_locale_that_is_not_available_is_refused_and_nothing_changes() {
    let app = spawn_app().await;
    let user = app.student().await;
    for bad in [json!("xx"), json!("fr-FR-bogus!"), json!(42)] {
        let (status, body) = app
            .patch(
                "/api/users/me",
                json!({ "locale": bad, "name": "Changed" }),
                Some(&user.token),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    let (_, me) = app.get("/api/users/me", Some(&user.token)).await;
    assert_eq!(me["locale"], Value::Null);
    assert_ne!(me["name"], "Changed");
}

#[tokio::test]
async fn problems_are_told_in_the_requests_locale_and_keep_their_machine_type() {
    let app = spawn_app().await;
    let send = |path: &str, headers: Vec<(&'static str, &'static str)>| {
        let mut request = crate::support::client().get(app.url(path));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let french = send(
        "/api/courses/nope",
        vec![("accept-language", "fr-CA,fr;q=0.9")],
    )
    .await
    .unwrap();
    assert_eq!(french.status(), StatusCode::NOT_FOUND);
    assert_eq!(french.headers()["content-language"], "fr");
    let body: Value = french.json().await.unwrap();
    assert_eq!(body["type"], "/problems/not-found");
    assert_eq!(body["title"], "Introuvable");
    assert_eq!(body["detail"], "cours introuvable");

    let english = send("/api/courses/nope", vec![]).await.unwrap();
    let body: Value = english.json().await.unwrap();
    assert_eq!(body["title"], "Not Found");
    assert_eq!(body["detail"], "course not found");

    // A wrong login, told in French to a visitor whose switcher chose French.
    let response = crate::support::client()
        .post(app.url("/api/auth/login"))
        .header("cookie", "schoolhouse_locale=fr")
        .json(&json!({ "email": "nobody@example.com", "password": "wrong password!" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["title"], "Non authentifié");
    assert_eq!(
        body["detail"],
        "l'adresse e-mail ou le mot de passe est incorrect"
    );

    // The signed-in user's choice wins over the browser's language.
    let user = app.student().await;
    app.patch(
        "/api/users/me",
        json!({ "locale": "fr" }),
        Some(&user.token),
    )
    .await;
    let response = crate::support::client()
        .patch(app.url("/api/users/me"))
        .bearer_auth(&user.token)
        .header("accept-language", "en")
        .json(&json!({ "locale": "zz" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["title"], "Données invalides");
    assert_eq!(
        body["errors"][0]["message"],
        "doit être l'une des langues disponibles (GET /api/i18n)"
    );
}

#[tokio::test]
async fn mail_reaches_each_recipient_in_their_own_locale_over_smtp() {
    let (port, dir) = smtp_sink();
    let app = spawn_app_with(|c| {
        use_smtp(c, port);
        c.store.name = "Académie Lovelace".into();
    })
    .await;
    let french = app.student().await;
    app.patch(
        "/api/users/me",
        json!({ "locale": "fr" }),
        Some(&french.token),
    )
    .await;
    let english = app.student().await;
    for who in [&french.email, &english.email] {
        let (status, body) = app
            .post(
                "/api/auth/password-reset/request",
                json!({ "email": who }),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    }
    let mail = received_mail(
        &dir,
        &french.email,
        "Réinitialisez votre mot de passe Académie Lovelace",
    )
    .await;
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("Choisir un nouveau mot de passe"), "{text}");
    assert!(text.contains("minutes"), "{text}");
    assert!(mail["html"].as_str().unwrap().contains("<html lang=\"fr\""));
    let mail = received_mail(
        &dir,
        &english.email,
        "Reset your Académie Lovelace password",
    )
    .await;
    assert!(
        mail["text"]
            .as_str()
            .unwrap()
            .contains("Choose a new password")
    );
}
