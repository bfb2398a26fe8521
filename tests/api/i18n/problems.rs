//! Problem messages in the reader's language: a limit with its number, a conflict, a thing
//! not found and a refund refusal, chosen by `Accept-Language` or by the user's preference;
//! the English stays as API clients have always read it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::commerce::{add, checkout, course};
use crate::support::{TestApp, TestUser, spawn_app};

/// Sends `method path body` with `accept-language` (when given) and the user's token.
async fn ask(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
    user: Option<&TestUser>,
    language: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = crate::support::client().request(method, app.url(path));
    if let Some(language) = language {
        request = request.header("accept-language", language);
    }
    if let Some(user) = user {
        request = request.bearer_auth(&user.token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_limit_with_its_number_is_told_in_french_and_unchanged_in_english() {
    let app = spawn_app().await;
    let get = reqwest::Method::GET;
    let path = "/api/courses?per_page=500";
    let (status, fr) = ask(&app, get.clone(), path, None, None, Some("fr")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{fr}");
    assert_eq!(fr["type"], "/problems/unprocessable-entity");
    assert_eq!(fr["errors"][0]["field"], "per_page");
    assert_eq!(
        fr["errors"][0]["message"],
        "doit être compris entre 1 et 100"
    );
    assert_eq!(fr["detail"], "per_page : doit être compris entre 1 et 100");
    let (_, en) = ask(&app, get, path, None, None, None).await;
    assert_eq!(en["errors"][0]["message"], "must be between 1 and 100");
    assert_eq!(en["detail"], "per_page: must be between 1 and 100");

    // A plural: the password's minimum length, counted in words of the language.
    let body = json!({ "email": "short@example.com", "password": "abc", "name": "Short" });
    let post = reqwest::Method::POST;
    let (status, fr) = ask(
        &app,
        post.clone(),
        "/api/auth/register",
        Some(body.clone()),
        None,
        Some("fr"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{fr}");
    assert_eq!(
        fr["errors"][0]["message"],
        "doit compter au moins 10 caractères"
    );
    let (_, en) = ask(&app, post, "/api/auth/register", Some(body), None, None).await;
    assert_eq!(
        en["errors"][0]["message"],
        "must be at least 10 characters long"
    );
}

#[tokio::test]
async fn a_conflict_a_missing_order_and_a_refused_refund_follow_the_users_preference() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let buyer = app.student().await;
    let (status, _) = app
        .patch(
            "/api/users/me",
            json!({ "locale": "fr" }),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let course_id = course(&app, &admin.id, "Rust", 2500, "published").await;
    add(&app, &buyer.token, "course", &course_id, 1).await;

    // The browser says English; the buyer chose French, and that wins.
    let post = reqwest::Method::POST;
    let again = json!({ "item_type": "course", "item_id": course_id, "quantity": 1 });
    let (status, body) = ask(
        &app,
        post.clone(),
        "/api/cart",
        Some(again),
        Some(&buyer),
        Some("en"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["type"], "/problems/conflict");
    assert_eq!(body["detail"], "ce cours est déjà dans votre panier");

    let get = reqwest::Method::GET;
    let (status, body) = ask(
        &app,
        get,
        "/api/orders/nope",
        None,
        Some(&buyer),
        Some("en"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["detail"], "commande introuvable");

    // A refund of an order not paid yet: refused, with the order's number kept as it is.
    let order = checkout(&app, &buyer.token).await;
    let number = order["number"].as_str().unwrap();
    let refund = json!({ "order_id": order["id"], "reason": "changed my mind" });
    let (status, body) = ask(
        &app,
        post.clone(),
        "/api/refunds",
        Some(refund.clone()),
        Some(&buyer),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(
        body["detail"],
        format!(
            "la commande {number} a le statut « en attente de paiement » ; seules les commandes payées peuvent être remboursées"
        )
    );
    assert_eq!(body["order_status"], "pending");

    // The same refusal in English for a buyer who chose English.
    app.patch(
        "/api/users/me",
        json!({ "locale": "en" }),
        Some(&buyer.token),
    )
    .await;
    let (_, body) = ask(
        &app,
        post,
        "/api/refunds",
        Some(refund),
        Some(&buyer),
        Some("fr"),
    )
    .await;
    assert_eq!(
        body["detail"],
        format!("order {number} is pending; only paid orders can be refunded")
    );
}

#[tokio::test]
async fn the_carts_warnings_are_said_in_the_readers_language() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let ebook = crate::commerce::product(&app, &admin.id, "E-book", 1000, "digital", None).await;
    let mug = crate::commerce::product(&app, &admin.id, "Mug", 900, "physical", Some(5)).await;
    add(&app, &buyer.token, "product", &ebook, 1).await;
    add(&app, &buyer.token, "product", &mug, 1).await;
    ask(
        &app,
        reqwest::Method::GET,
        "/api/cart",
        None,
        Some(&buyer),
        None,
    )
    .await;
    crate::commerce::set_price(&app, &ebook, 1500).await;

    let (status, cart) = ask(
        &app,
        reqwest::Method::GET,
        "/api/cart",
        None,
        Some(&buyer),
        Some("fr"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{cart}");
    let warnings: Vec<&str> = cart["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        warnings.contains(&"le prix de E-book est passé de 1000 à 1500 centimes"),
        "{cart}"
    );
    assert!(
        warnings
            .contains(&"les frais de port sont une estimation tant qu'aucun pays n'est indiqué"),
        "{cart}"
    );

    // The price changes again after the buyer saw it: the placed order says so in French.
    crate::commerce::set_price(&app, &ebook, 1200).await;
    let body = json!({ "shipping_address": crate::commerce::address("GB") });
    let post = reqwest::Method::POST;
    let (status, order) = ask(
        &app,
        post,
        "/api/orders",
        Some(body),
        Some(&buyer),
        Some("fr"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(
        order["warnings"],
        json!([
            "le prix de E-book est passé de 1500 à 1200 centimes ; la commande applique le prix actuel"
        ]),
        "{order}"
    );
    assert_eq!(order["subtotal_cents"], 2100, "{order}");
}
