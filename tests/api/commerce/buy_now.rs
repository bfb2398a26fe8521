//! "Buy now": an order of the items named in the request, leaving the cart as it is.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{add, address, course, enroll, product, stock};
use crate::support::{TestApp, assert_problem, spawn_app};

#[tokio::test]
async fn buying_now_orders_the_named_items_and_leaves_the_cart_alone() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let book = product(&app, &admin.id, "Rust Book", 2500, "physical", Some(5)).await;
    let intro = course(&app, &admin.id, "Intro", 4000, "published").await;
    let ebook = product(&app, &admin.id, "E-book", 900, "digital", None).await;
    add(&app, &buyer.token, "product", &ebook, 1).await;

    let (status, order) = app
        .post(
            "/api/orders",
            json!({
                "items": [
                    { "item_type": "product", "item_id": book, "quantity": 2 },
                    { "item_type": "course", "item_id": intro }
                ],
                "shipping_address": address("GB")
            }),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["status"], "pending");
    assert_eq!(order["total_cents"], 2500 * 2 + 4000 + 500);
    let names: Vec<&str> = order["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Rust Book", "Intro"]);
    assert_eq!(order["items"][0]["quantity"], 2);
    assert_eq!(stock(&app, &book).await, Some(3), "stock is reserved");

    let path = format!("/api/orders/{}", order["id"].as_str().unwrap());
    let (_, stored) = app.get(&path, Some(&buyer.token)).await;
    assert_eq!(
        order, stored,
        "checkout answers what the order view reads back"
    );

    let (_, cart) = app.get("/api/cart", Some(&buyer.token)).await;
    assert_eq!(cart["items"].as_array().map(Vec::len), Some(1), "{cart}");
    assert_eq!(
        cart["items"][0]["item_id"],
        ebook.as_str(),
        "the cart is kept"
    );
}

/// Posts a buy-now order of `items` and returns the answer.
async fn buy(app: &TestApp, token: &str, items: Value) -> (StatusCode, Value) {
    app.post(
        "/api/orders",
        json!({ "items": items, "shipping_address": address("GB") }),
        Some(token),
    )
    .await
}

#[tokio::test]
async fn buy_now_lines_are_checked_as_cart_adds_are_and_a_refusal_creates_nothing() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let lamp = product(&app, &admin.id, "Lamp", 3000, "physical", Some(2)).await;
    let owned = course(&app, &admin.id, "Owned", 4000, "published").await;
    let draft = course(&app, &admin.id, "Draft", 4000, "draft").await;
    enroll(&app, &buyer.id, &owned).await;
    let line = |id: &str, quantity: i64| json!({ "item_type": "product", "item_id": id, "quantity": quantity });
    let too_many: Vec<Value> = (0..101).map(|n| line(&format!("p{n}"), 1)).collect();

    let invalid: [(Value, &str); 6] = [
        (json!([]), "items"),
        (json!(too_many), "items"),
        (json!([line(&lamp, 0)]), "items[0].quantity"),
        (json!([line(&lamp, 1001)]), "items[0].quantity"),
        (json!([line(&lamp, 1), line(&lamp, 1)]), "items[1].item_id"),
        (json!([line(" ", 1)]), "items[0].item_id"),
    ];
    for (items, field) in invalid {
        let (status, problem) = buy(&app, &buyer.token, items).await;
        assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let (status, problem) = buy(
        &app,
        &buyer.token,
        json!([{ "item_type": "course", "item_id": draft.clone(), "quantity": 2 }]),
    )
    .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, problem) = buy(&app, &buyer.token, json!([line("no-such-product", 1)])).await;
    assert_problem(status, &problem, StatusCode::NOT_FOUND);
    let (status, problem) = buy(&app, &buyer.token, json!([line(&lamp, 3)])).await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    assert_eq!(problem["available"], 2, "{problem}");
    for refused in [&owned, &draft] {
        let (status, problem) = buy(
            &app,
            &buyer.token,
            json!([line(&lamp, 1), { "item_type": "course", "item_id": refused }]),
        )
        .await;
        assert_problem(status, &problem, StatusCode::CONFLICT);
    }

    assert_eq!(stock(&app, &lamp).await, Some(2), "nothing reserved");
    let (_, list) = app.get("/api/orders", Some(&buyer.token)).await;
    assert_eq!(list["total"], 0, "no order was created");
    let (status, order) = buy(&app, &buyer.token, json!([line(&lamp, 2)])).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["number"], "SH-000001", "refusals used no number");
}
