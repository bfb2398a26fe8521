//! Manual payments (office, bank transfer): confirmed by staff once, asked for again, kept from
//! other users, and a hand-paid order cancelled and refunded by staff only.

use reqwest::StatusCode;
use serde_json::json;

use super::{
    ask_refund, course, enrollment, manually_paid, order_for, order_status, pay_at_the_office,
    payment_of, product, shipped_order,
};
use crate::support::{assert_problem, spawn_app};

#[tokio::test]
async fn manual_payment_confirmed_by_staff_pays_the_order_once() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (course, order_id, payment_id) = manually_paid(&app, &admin, &buyer, 2500).await;
    assert_eq!(order_status(&app, &buyer, &order_id).await, "fulfilled");
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("active")
    );
    let (status, body) = app
        .post(
            &format!("/api/admin/payments/{payment_id}/confirm"),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    let (status, body) = app
        .post(
            "/api/payments",
            json!({"order_id": order_id, "gateway": "manual"}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    // A buyer cannot confirm their own payment.
    let (status, _) = app
        .post(
            &format!("/api/admin/payments/{payment_id}/confirm"),
            json!({}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn asking_again_returns_the_pending_payment_and_bad_requests_change_nothing() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let course = course(&app, &admin, 1200).await;
    let order = order_for(&app, &buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    let body = json!({"order_id": order_id, "gateway": "manual"});
    let (first, created) = app
        .post("/api/payments", body.clone(), Some(&buyer.token))
        .await;
    let (again, existing) = app.post("/api/payments", body, Some(&buyer.token)).await;
    assert_eq!((first, again), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(created["id"], existing["id"]);
    let cases = [
        (
            json!({"order_id": order_id, "gateway": "stripe"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"order_id": order_id, "gateway": "paypal"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"order_id": order_id, "gateway": "manual", "amount_cents": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"order_id": "nope", "gateway": "manual"}),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (request, expected) in cases {
        let (status, problem) = app
            .post("/api/payments", request.clone(), Some(&buyer.token))
            .await;
        assert_problem(status, &problem, expected);
    }
    let (status, problem) = ask_refund(&app, &buyer, order_id, "changed my mind").await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    assert_eq!(order_status(&app, &buyer, order_id).await, "pending");
}

#[tokio::test]
async fn another_users_payment_refund_and_order_are_not_found() {
    let app = spawn_app().await;
    let (admin, buyer, other) = (app.admin().await, app.student().await, app.student().await);
    let (_, order_id, payment_id) = manually_paid(&app, &admin, &buyer, 3000).await;
    let (status, refund) = ask_refund(&app, &buyer, &order_id, "wrong course").await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    let refund_id = refund["id"].as_str().unwrap();
    for path in [
        format!("/api/payments/{payment_id}"),
        format!("/api/refunds/{refund_id}"),
    ] {
        let (status, problem) = app.get(&path, Some(&other.token)).await;
        assert_problem(status, &problem, StatusCode::NOT_FOUND);
        let (status, _) = app.get(&path, Some(&admin.token)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    let (status, problem) = ask_refund(&app, &other, &order_id, "mine now").await;
    assert_problem(status, &problem, StatusCode::NOT_FOUND);
    let (status, problem) = app
        .post(
            "/api/payments",
            json!({"order_id": order_id, "gateway": "manual"}),
            Some(&other.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_hand_paid_order_is_cancelled_and_refunded_by_staff_not_the_buyer() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let mug = product(&app, &admin, 1500, 2).await;
    let order = shipped_order(&app, &buyer, &[("product", &mug, 2)]).await;
    let order_id = order["id"].as_str().unwrap();
    let payment = pay_at_the_office(&app, &admin, &buyer, order_id).await;
    let payment_id = payment["id"].as_str().unwrap();
    assert_eq!(order_status(&app, &buyer, order_id).await, "paid");

    let path = format!("/api/orders/{order_id}");
    let (status, problem) = app.delete(&path, Some(&buyer.token)).await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    assert_eq!(order_status(&app, &buyer, order_id).await, "paid");
    let (status, cancelled) = app.delete(&path, Some(&admin.token)).await;
    assert_eq!(
        (status, cancelled["status"].as_str()),
        (StatusCode::OK, Some("cancelled")),
        "{cancelled}"
    );
    let paid = payment_of(&app, &buyer, payment_id).await;
    assert_eq!(
        (paid["status"].as_str(), paid["refunded_cents"].as_i64()),
        (Some("refunded"), order["total_cents"].as_i64())
    );
    let (status, queue) = app
        .get(
            &format!("/api/admin/refunds?order_id={order_id}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!((status, queue["total"].as_i64()), (StatusCode::OK, Some(1)));
}
