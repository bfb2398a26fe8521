//! Bundles with products (issue 28): the catalogue, cart and order list them; buying the
//! bundle grants them as if bought in the same order (the file downloadable from the order,
//! the goods shipped from stock), and cancelling an unpaid order puts the stock back.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{digital_with_file, product};
use crate::payments::{address, course, enrollment, pay_at_the_office};
use crate::support::spawn_app;
use schoolhouse::users::Role;

fn line_of<'a>(order: &'a Value, item_id: &str) -> &'a Value {
    order["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_id"] == item_id)
        .unwrap()
}

async fn stock(app: &crate::support::TestApp, id: &str) -> i64 {
    let id = id.to_string();
    app.state
        .db
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT stock_quantity FROM products WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_bundle_with_a_file_and_a_mug_lists_them_ships_the_mug_and_delivers_the_file() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let vendor = app.user(Role::Vendor, "vendor@example.com").await;
    let course = course(&app, &admin, 3000).await;
    let ebook = digital_with_file(&app, &vendor.id, "Ebook", 900).await;
    let mug = product(&app, &vendor.id, "Mug", 1500, "physical", Some(3)).await;
    let (status, bundle) = app
        .post(
            "/api/bundles",
            json!({"name": "Starter kit", "price_cents": 4000, "status": "published",
                   "course_ids": [course], "product_ids": [ebook, mug]}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{bundle}");
    let bundle_id = bundle["id"].as_str().unwrap().to_string();
    let names: Vec<&str> = bundle["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ebook", "Mug"]);
    assert_eq!(bundle["products_value_cents"], 2400);
    assert_eq!(bundle["savings_cents"], 3000 + 2400 - 4000);

    let buyer = app.student().await;
    let (status, _) = app
        .post(
            "/api/cart",
            json!({"item_type": "bundle", "item_id": bundle_id}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, cart) = app.get("/api/cart?country=US", Some(&buyer.token)).await;
    assert_eq!(status, StatusCode::OK, "{cart}");
    let includes: Vec<&str> = cart["items"][0]["includes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(includes, ["digital", "physical"]);
    assert!(
        cart["shipping_cents"].as_i64().unwrap() > 0,
        "the mug ships: {cart}"
    );

    let (status, problem) = app.post("/api/orders", json!({}), Some(&buyer.token)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "shipping_address");
    assert_eq!(
        stock(&app, &mug).await,
        3,
        "nothing taken by a refused checkout"
    );

    let (status, order) = app
        .post(
            "/api/orders",
            json!({"shipping_address": address(), "shipping_method": "standard"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(stock(&app, &mug).await, 2, "reserved with the order");
    let bundle_line = line_of(&order, &bundle_id)["id"].clone();
    for product_id in [&ebook, &mug] {
        let line = line_of(&order, product_id);
        assert_eq!(line["bundle_item_id"], bundle_line, "{line}");
        assert_eq!(line["total_cents"], 0);
    }
    assert!(order["shipping_cents"].as_i64().unwrap() > 0);
    assert_eq!(
        order["total_cents"].as_i64().unwrap(),
        4000 + order["shipping_cents"].as_i64().unwrap() + order["tax_cents"].as_i64().unwrap()
    );

    let order_id = order["id"].as_str().unwrap().to_string();
    pay_at_the_office(&app, &admin, &buyer, &order_id).await;
    let (_, paid) = app
        .get(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(paid["status"], "paid", "waits for the mug to ship: {paid}");
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("active")
    );
    let file_line = line_of(&paid, &ebook)["id"].as_str().unwrap().to_string();
    let (status, link) = app
        .get(
            &format!("/api/orders/{order_id}/items/{file_line}/download"),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{link}");
    assert_eq!(stock(&app, &mug).await, 2, "sold");
}

#[tokio::test]
async fn cancelling_an_unpaid_bundle_order_puts_its_goods_back_in_stock() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let course = course(&app, &admin, 3000).await;
    let mug = product(&app, &admin.id, "Mug", 1500, "physical", Some(2)).await;
    let (_, bundle) = app
        .post(
            "/api/bundles",
            json!({"name": "Kit", "price_cents": 4000, "status": "published",
                   "course_ids": [course], "product_ids": [mug]}),
            Some(&admin.token),
        )
        .await;
    let buyer = app.student().await;
    let (status, order) = app
        .post(
            "/api/orders",
            json!({"items": [{"item_type": "bundle", "item_id": bundle["id"]}],
                   "shipping_address": address(), "shipping_method": "standard"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(stock(&app, &mug).await, 1);
    let (status, body) = app
        .delete(
            &format!("/api/orders/{}", order["id"].as_str().unwrap()),
            Some(&buyer.token),
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert_eq!(stock(&app, &mug).await, 2, "released");
}
