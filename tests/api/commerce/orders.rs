//! Checkout: snapshots, numbering, stock reservation under concurrency, expiry, privacy.

use reqwest::StatusCode;
use schoolhouse::commerce::pricing::{ShippingMethod, ShippingRate};
use serde_json::{Value, json};

use super::{add, address, checkout, course, product, set_price, stock};
use crate::support::{TestApp, assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn an_order_snapshots_the_cart_empties_it_and_gets_a_human_number() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let book = product(&app, &admin.id, "Rust Book", 2500, "physical", Some(5)).await;
    let intro = course(&app, &admin.id, "Intro", 4000, "published").await;
    add(&app, &buyer.token, "product", &book, 2).await;
    add(&app, &buyer.token, "course", &intro, 1).await;

    let (status, order) = app
        .post(
            "/api/orders",
            json!({
                "shipping_address": address("gb"),
                "total_cents": 1, "subtotal_cents": 1, "tax_cents": 0
            }),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["number"], "SH-000001");
    assert_eq!(order["status"], "pending");
    assert_eq!(
        order["total_cents"],
        2500 * 2 + 4000 + 500,
        "tampered totals are ignored"
    );
    assert_eq!(order["shipping_address"]["country"], "GB");
    assert_eq!(order["items"][0]["name"], "Rust Book");
    assert_eq!(order["items"][0]["unit_price_cents"], 2500);
    assert_eq!(order["items"][0]["quantity"], 2);
    assert_eq!(order["items"][1]["item_type"], "course");
    assert_eq!(order["events"][0]["to"], "pending");
    assert_eq!(stock(&app, &book).await, Some(3), "stock is reserved");

    let (_, cart) = app.get("/api/cart", Some(&buyer.token)).await;
    assert_eq!(cart["items"], json!([]), "the cart is emptied");

    let path = format!("/api/orders/{}", order["id"].as_str().unwrap());
    let (_, stored) = app.get(&path, Some(&buyer.token)).await;
    assert_eq!(
        order, stored,
        "checkout answers what the order view reads back"
    );

    set_price(&app, &book, 9900).await;
    let (_, again) = app.get(&path, Some(&buyer.token)).await;
    assert_eq!(
        again["items"][0]["unit_price_cents"], 2500,
        "prices are snapshotted"
    );

    add(&app, &buyer.token, "product", &book, 1).await;
    let second = checkout(&app, &buyer.token).await;
    assert_eq!(second["number"], "SH-000002");
}

#[tokio::test]
async fn an_empty_cart_or_a_bad_address_creates_nothing() {
    let app = spawn_app_with(|config| {
        config.shipping.methods = vec![ShippingMethod {
            id: "de-post".into(),
            name: "Deutsche Post".into(),
            rate: ShippingRate::Flat { cents: 400 },
            countries: vec!["DE".into()],
        }];
    })
    .await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (status, body) = app.post("/api/orders", json!({}), Some(&buyer.token)).await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);

    let lamp = product(&app, &admin.id, "Lamp", 3000, "physical", Some(4)).await;
    add(&app, &buyer.token, "product", &lamp, 1).await;
    let cases: [(Value, &str); 4] = [
        (json!({}), "shipping_address"),
        (
            json!({"shipping_address": {"name": "", "line1": "x", "city": "y", "postal_code": "1", "country": "DE"}}),
            "shipping_address.name",
        ),
        (
            json!({"shipping_address": address("Germany")}),
            "shipping_address.country",
        ),
        (
            json!({"shipping_address": address("FR")}),
            "shipping_address.country",
        ),
    ];
    for (body, field) in cases {
        let (status, problem) = app.post("/api/orders", body, Some(&buyer.token)).await;
        assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let (status, problem) = app
        .post(
            "/api/orders",
            json!({"shipping_address": address("DE"), "shipping_method": "pigeon"}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "shipping_method");
    assert_eq!(stock(&app, &lamp).await, Some(4), "nothing reserved");
    let (_, list) = app.get("/api/orders", Some(&buyer.token)).await;
    assert_eq!(list["total"], 0);

    let (status, order) = app
        .post(
            "/api/orders",
            json!({"shipping_address": address("de")}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(
        order["number"], "SH-000001",
        "failed attempts used no number"
    );
    assert_eq!(order["shipping_cents"], 400);
}

#[tokio::test]
async fn a_price_change_since_the_cart_was_viewed_is_charged_and_reported() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let ebook = product(&app, &admin.id, "E-book", 1000, "digital", None).await;
    add(&app, &buyer.token, "product", &ebook, 1).await;
    app.get("/api/cart", Some(&buyer.token)).await;
    set_price(&app, &ebook, 1500).await;

    let (status, order) = app.post("/api/orders", json!({}), Some(&buyer.token)).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["total_cents"], 1500);
    let warning = order["warnings"][0].as_str().unwrap_or_default();
    assert!(
        warning.contains("E-book") && warning.contains("1500"),
        "{order}"
    );
}

#[tokio::test]
async fn a_free_order_is_paid_and_fulfilled_at_once() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let free = course(&app, &admin.id, "Free intro", 0, "published").await;
    add(&app, &buyer.token, "course", &free, 1).await;
    let (status, order) = app.post("/api/orders", json!({}), Some(&buyer.token)).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["status"], "fulfilled");
    assert!(order["paid_at"].is_string());
    let steps: Vec<&str> = order["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["pending", "paid", "fulfilled"]);
}

async fn buyers_with_one_in_cart(app: &TestApp, product_id: &str, n: usize) -> Vec<String> {
    let mut tokens = Vec::new();
    for _ in 0..n {
        let buyer = app.student().await;
        add(app, &buyer.token, "product", product_id, 1).await;
        tokens.push(buyer.token);
    }
    tokens
}

async fn checkout_all_at_once(app: &TestApp, tokens: Vec<String>) -> Vec<(u16, Value)> {
    let mut tasks = tokio::task::JoinSet::new();
    for token in tokens {
        let (client, url) = (app.client.clone(), app.url("/api/orders"));
        tasks.spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(
                    &json!({"shipping_address": {"name": "A", "line1": "B", "city": "C",
                    "postal_code": "D", "country": "US"}}),
                )
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        });
    }
    tasks.join_all().await
}

fn numbers(results: &[(u16, Value)]) -> Vec<String> {
    let mut numbers: Vec<String> = results
        .iter()
        .filter(|(status, _)| *status == 201)
        .map(|(_, body)| body["number"].as_str().unwrap().to_string())
        .collect();
    numbers.sort();
    numbers
}

#[tokio::test]
async fn fifty_concurrent_checkouts_never_oversell_ten_in_stock_and_numbers_have_no_gaps() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let poster = product(&app, &admin.id, "Poster", 1500, "physical", Some(10)).await;
    let tokens = buyers_with_one_in_cart(&app, &poster, 50).await;

    let results = checkout_all_at_once(&app, tokens).await;
    let created = results.iter().filter(|(s, _)| *s == 201).count();
    let refused: Vec<_> = results.iter().filter(|(s, _)| *s == 409).collect();
    assert_eq!(created, 10);
    assert_eq!(refused.len(), 40, "{results:?}");
    assert!(refused.iter().all(|(_, body)| body["available"] == 0));
    assert_eq!(stock(&app, &poster).await, Some(0));
    let expected: Vec<String> = (1..=10).map(|n| format!("SH-{n:06}")).collect();
    assert_eq!(numbers(&results), expected);
}

#[tokio::test]
async fn concurrent_successful_checkouts_get_consecutive_numbers() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let poster = product(&app, &admin.id, "Poster", 1500, "physical", Some(1000)).await;
    let tokens = buyers_with_one_in_cart(&app, &poster, 25).await;
    let results = checkout_all_at_once(&app, tokens).await;
    let expected: Vec<String> = (1..=25).map(|n| format!("SH-{n:06}")).collect();
    assert_eq!(numbers(&results), expected);
}

#[tokio::test]
async fn an_unpaid_order_expires_after_the_reservation_and_releases_its_stock() {
    // Access tokens must outlive the clock jumps below.
    let app = spawn_app_with(|config| config.auth.access_token_minutes = 120).await;
    let (admin, early, late) = (app.admin().await, app.student().await, app.student().await);
    let lamp = product(&app, &admin.id, "Lamp", 3000, "physical", Some(5)).await;
    add(&app, &early.token, "product", &lamp, 2).await;
    let expiring = checkout(&app, &early.token).await;
    app.state.clock.advance(time::Duration::minutes(20));
    add(&app, &late.token, "product", &lamp, 1).await;
    let fresh = checkout(&app, &late.token).await;
    assert_eq!(stock(&app, &lamp).await, Some(2));

    app.state.clock.advance(time::Duration::minutes(11));
    let cancelled =
        schoolhouse::commerce::service::expire_reservations(&app.state, app.state.now())
            .await
            .unwrap();
    assert_eq!(cancelled, 1);
    assert_eq!(stock(&app, &lamp).await, Some(4));
    let path = format!("/api/orders/{}", expiring["id"].as_str().unwrap());
    let (_, order) = app.get(&path, Some(&early.token)).await;
    assert_eq!(order["status"], "cancelled");
    // The note names its message; the buyer reads it in their language.
    let note = order["events"][1]["note"].as_str().unwrap();
    assert_eq!(note, "@hold-lapsed?minutes=30");
    assert_eq!(
        schoolhouse::commerce::history_note::in_locale("en", note),
        "payment not received within 30 minutes"
    );
    let path = format!("/api/orders/{}", fresh["id"].as_str().unwrap());
    let (_, order) = app.get(&path, Some(&late.token)).await;
    assert_eq!(
        order["status"], "pending",
        "a reservation within its 30 minutes stays"
    );
}

#[tokio::test]
async fn a_user_can_neither_read_nor_cancel_another_users_order() {
    let app = spawn_app().await;
    let (admin, owner, other) = (app.admin().await, app.student().await, app.student().await);
    let lamp = product(&app, &admin.id, "Lamp", 3000, "physical", Some(5)).await;
    add(&app, &owner.token, "product", &lamp, 1).await;
    let order = checkout(&app, &owner.token).await;
    let path = format!("/api/orders/{}", order["id"].as_str().unwrap());

    let (status, body) = app.get(&path, Some(&other.token)).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = app.delete(&path, Some(&other.token)).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (_, list) = app.get("/api/orders", Some(&other.token)).await;
    assert_eq!(list["total"], 0);

    let (_, list) = app
        .get(
            &format!("/api/orders?q={}", owner.email),
            Some(&admin.token),
        )
        .await;
    assert_eq!(list["total"], 1, "admins see and search every order");
    let (_, list) = app
        .get("/api/orders?q=SH-000001&status=pending", Some(&owner.token))
        .await;
    assert_eq!(list["items"][0]["number"], "SH-000001");
    let (_, list) = app.get("/api/orders?status=paid", Some(&owner.token)).await;
    assert_eq!(list["total"], 0);
    let (status, body) = app.get("/api/orders?status=lost", Some(&owner.token)).await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, cancelled) = app.delete(&path, Some(&owner.token)).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(
        stock(&app, &lamp).await,
        Some(5),
        "cancelling releases the stock"
    );
    let (status, body) = app.delete(&path, Some(&owner.token)).await;
    assert_problem(status, &body, StatusCode::CONFLICT);
}
