//! Order status changes through the API: every legal and illegal move, vendors' limits.

use reqwest::StatusCode;
use schoolhouse::users::Role;
use serde_json::{Value, json};

use super::{add, checkout, pay_manually, product, stock};
use crate::support::{TestApp, TestUser, assert_problem, spawn_app};

async fn set_status(
    app: &TestApp,
    order: &Value,
    status: &str,
    token: &str,
) -> (StatusCode, Value) {
    let path = format!("/api/orders/{}/status", order["id"].as_str().unwrap());
    app.put(&path, json!({ "status": status }), Some(token))
        .await
}

/// A pending order of one physical (or digital) product, then moved along `path` by the admin.
async fn order_at(app: &TestApp, admin: &TestUser, physical: bool, path: &[&str]) -> Value {
    let buyer = app.student().await;
    let kind = if physical { "physical" } else { "digital" };
    let item = product(app, &admin.id, "Thing", 1000, kind, Some(100)).await;
    add(app, &buyer.token, "product", &item, 1).await;
    let mut order = checkout(app, &buyer.token).await;
    for step in path {
        if *step == "paid" {
            order = pay_manually(app, &buyer.token, &admin.token, &order).await;
            continue;
        }
        let (status, body) = set_status(app, &order, step, &admin.token).await;
        assert_eq!(status, 200, "moving to {step}: {body}");
        order = body;
    }
    order
}

#[tokio::test]
async fn every_order_transition_is_allowed_or_refused_as_the_lifecycle_says() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // An order becomes paid only by a recorded payment, never by a status edit.
    let physical = [
        (&[][..], "paid", false),
        (&[][..], "cancelled", true),
        (&[][..], "shipped", false),
        (&[][..], "delivered", false),
        (&[][..], "fulfilled", false),
        (&[][..], "refunded", false),
        (&["paid"][..], "shipped", true),
        (&["paid"][..], "fulfilled", true),
        (&["paid"][..], "delivered", false),
        (&["paid"][..], "refunded", false),
        (&["paid"][..], "partially_refunded", false),
        (&["paid"][..], "pending", false),
        (&["paid"][..], "paid", false),
        (&["paid", "shipped"][..], "delivered", true),
        (&["paid", "shipped"][..], "cancelled", false),
        (&["paid", "shipped"][..], "paid", false),
        (&["paid", "shipped", "delivered"][..], "shipped", false),
        (&["paid", "shipped", "delivered"][..], "refunded", false),
        (&["cancelled"][..], "paid", false),
        (&["cancelled"][..], "pending", false),
    ];
    for (path, target, allowed) in physical {
        let order = order_at(&app, &admin, true, path).await;
        let from = order["status"].as_str().unwrap().to_string();
        let (status, body) = set_status(&app, &order, target, &admin.token).await;
        if allowed {
            assert_eq!(status, 200, "{from} -> {target}: {body}");
            assert_eq!(body["status"], target);
            let last = body["events"].as_array().unwrap().last().cloned().unwrap();
            assert_eq!(
                (last["from"].as_str(), last["to"].as_str()),
                (Some(&*from), Some(target))
            );
            assert_eq!(last["actor_id"], admin.id.as_str());
        } else {
            assert_problem(status, &body, StatusCode::CONFLICT);
            assert_eq!(body["from"], from.as_str(), "{from} -> {target}: {body}");
            assert_eq!(body["to"], target);
        }
    }
}

#[tokio::test]
async fn paying_a_digital_order_fulfils_it_and_a_paid_order_needs_a_refund_to_cancel() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let digital = order_at(&app, &admin, false, &["paid"]).await;
    assert_eq!(digital["status"], "fulfilled");
    let (status, body) = set_status(&app, &digital, "shipped", &admin.token).await;
    assert_problem(status, &body, StatusCode::CONFLICT);

    let paid = order_at(&app, &admin, true, &["paid"]).await;
    let item_id = paid["items"][0]["item_id"].as_str().unwrap().to_string();
    let (status, body) = set_status(&app, &paid, "cancelled", &admin.token).await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    assert!(
        body["detail"].as_str().unwrap().contains("refund"),
        "{body}"
    );
    assert_eq!(
        stock(&app, &item_id).await,
        Some(99),
        "stock stays with the paid order"
    );

    let path = format!("/api/orders/{}/status", paid["id"].as_str().unwrap());
    let (status, shipped) = app
        .put(
            &path,
            json!({"status": "shipped", "tracking_number": "TRACK-1"}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, 200, "{shipped}");
    assert_eq!(shipped["tracking_number"], "TRACK-1");
    let (status, body) = app
        .put(
            &path,
            json!({"status": "delivered", "tracking_number": "X"}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app
        .put(&path, json!({"status": "lost"}), Some(&admin.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn vendors_ship_and_deliver_only_orders_whose_physical_items_are_all_theirs() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let vendor = app.user(Role::Vendor, "vendor-a@example.com").await;
    let rival = app.user(Role::Vendor, "vendor-b@example.com").await;
    let buyer = app.student().await;
    let mine = product(&app, &vendor.id, "Mine", 1000, "physical", Some(5)).await;
    let theirs = product(&app, &rival.id, "Theirs", 1000, "physical", Some(5)).await;

    add(&app, &buyer.token, "product", &mine, 1).await;
    let own_order = checkout(&app, &buyer.token).await;
    add(&app, &buyer.token, "product", &mine, 1).await;
    add(&app, &buyer.token, "product", &theirs, 1).await;
    let mixed = checkout(&app, &buyer.token).await;
    for order in [&own_order, &mixed] {
        pay_manually(&app, &buyer.token, &admin.token, order).await;
    }

    let (status, body) = set_status(&app, &own_order, "paid", &buyer.token).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = set_status(&app, &own_order, "cancelled", &vendor.token).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = set_status(&app, &own_order, "shipped", &rival.token).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = set_status(&app, &mixed, "shipped", &vendor.token).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);

    let (status, body) = set_status(&app, &own_order, "shipped", &vendor.token).await;
    assert_eq!(
        (status.as_u16(), body["status"].as_str()),
        (200, Some("shipped"))
    );
    let (status, body) = set_status(&app, &own_order, "delivered", &vendor.token).await;
    assert_eq!(
        (status.as_u16(), body["status"].as_str()),
        (200, Some("delivered"))
    );
    let (_, list) = app.get("/api/orders", Some(&vendor.token)).await;
    assert_eq!(
        list["total"], 2,
        "vendors see orders holding their products"
    );
}
