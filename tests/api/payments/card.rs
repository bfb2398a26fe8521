//! Card payments through the Stripe emulator: paid by webhook, declined and retried, refunded
//! through Stripe, settled by reconciliation, and a paid order cancelled with its refund.

use reqwest::StatusCode;
use serde_json::json;

use super::{
    ask_refund, card_shop, course, enrollment, order_for, order_of, order_status, product,
    shipped_order, start_card_payment, wait_for_order,
};
use crate::support::{PASSWORD, assert_problem};

#[tokio::test]
async fn scenario_a_card_payment_webhook_pays_the_order_and_enrols_the_buyer() {
    let shop = card_shop(true).await;
    let (app, buyer) = (&shop.app, &shop.buyer);
    let course = course(app, &shop.admin, 4900).await;
    let order = order_for(app, buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    let payment = start_card_payment(app, buyer, order_id).await;
    assert_eq!(
        (
            payment["amount_cents"].as_i64(),
            payment["currency"].as_str()
        ),
        (Some(4900), Some("USD"))
    );
    let (status, again) = app
        .post(
            "/api/payments",
            json!({"order_id": order_id, "gateway": "stripe"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (&again["id"], &again["transaction_id"]),
        (&payment["id"], &payment["transaction_id"])
    );

    let pi = payment["transaction_id"].as_str().unwrap();
    assert_eq!(shop.stripe.pay(pi, "pm_card_visa").await, StatusCode::OK);
    wait_for_order(app, buyer, order_id, "fulfilled").await;
    assert_eq!(
        enrollment(app, buyer, &course).await.as_deref(),
        Some("active")
    );
    let id = payment["id"].as_str().unwrap();
    assert_eq!(shop.payment(buyer, id).await["status"], "completed");
}

#[tokio::test]
async fn a_declined_card_fails_the_payment_and_the_buyer_can_retry() {
    let shop = card_shop(true).await;
    let (app, buyer) = (&shop.app, &shop.buyer);
    let course = course(app, &shop.admin, 2900).await;
    let order = order_for(app, buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    let first = shop.pay(order_id, "pm_card_chargeCustomerFail").await;
    assert_eq!(first.paid, StatusCode::PAYMENT_REQUIRED);
    let failed = shop.payment(buyer, &first.id).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(order_status(app, buyer, order_id).await, "pending");
    assert_eq!(enrollment(app, buyer, &course).await, None);

    let retry = shop.pay(order_id, "pm_card_visa").await;
    assert_ne!(retry.id, first.id);
    assert_eq!(retry.paid, StatusCode::OK);
    wait_for_order(app, buyer, order_id, "fulfilled").await;
    assert_eq!(
        enrollment(app, buyer, &course).await.as_deref(),
        Some("active")
    );
}

#[tokio::test]
async fn scenario_b_refunds_go_back_through_stripe_revoke_access_and_never_exceed_the_capture() {
    let shop = card_shop(true).await;
    let (app, buyer) = (&shop.app, &shop.buyer);
    let rust = course(app, &shop.admin, 4900).await;
    let sql = course(app, &shop.admin, 2900).await;
    let order = order_of(app, buyer, &[&rust, &sql]).await;
    let order_id = order["id"].as_str().unwrap();
    assert_eq!(order["total_cents"], 7800);
    let item = |course: &str| {
        order["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item_id"] == course)
            .unwrap()["id"]
            .clone()
    };
    let card = shop.pay(order_id, "pm_card_visa").await;
    assert_eq!(card.paid, StatusCode::OK);
    wait_for_order(app, buyer, order_id, "fulfilled").await;

    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({"order_id": order_id, "reason": "too basic", "item_ids": [item(&rust)]}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["status"], "processed", "{refund}");
    assert_eq!(refund["amount_cents"], 4900);
    assert!(
        refund["gateway_refund_id"]
            .as_str()
            .unwrap()
            .starts_with("re_")
    );
    assert_eq!(
        enrollment(app, buyer, &rust).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(
        enrollment(app, buyer, &sql).await.as_deref(),
        Some("active")
    );
    assert_eq!(
        order_status(app, buyer, order_id).await,
        "partially_refunded"
    );

    // More than the 2900 still captured is refused, and Stripe is not asked.
    let (status, problem) = app
        .post("/api/refunds", json!({"order_id": order_id, "reason": "all of it", "item_ids": [item(&sql)], "amount_cents": 3000}), Some(&buyer.token))
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    assert_eq!(problem["refundable_cents"], 2900);
    let (status, problem) = app
        .post(
            "/api/refunds",
            json!({"order_id": order_id, "reason": "again", "item_ids": [item(&rust)]}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    assert_eq!(shop.stripe.refunds_of(&card.pi).await.len(), 1);

    let (_, rest) = ask_refund(app, buyer, order_id, "not for me either").await;
    assert_eq!(
        (rest["status"].as_str(), rest["amount_cents"].as_i64()),
        (Some("processed"), Some(2900))
    );
    assert_eq!(
        enrollment(app, buyer, &sql).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(order_status(app, buyer, order_id).await, "refunded");
    let paid = shop.payment(buyer, &card.id).await;
    assert_eq!(
        (paid["status"].as_str(), paid["refunded_cents"].as_i64()),
        (Some("refunded"), Some(7800))
    );
    assert_eq!(shop.stripe.refunded_cents(&card.pi).await, 7800);
    let (status, problem) = app
        .post(
            "/api/refunds",
            json!({"order_id": order_id, "reason": "once more", "amount_cents": 1}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
}

#[tokio::test]
async fn reconciliation_settles_payments_whose_webhook_never_came() {
    let shop = card_shop(false).await;
    let app = &shop.app;
    let course = course(app, &shop.admin, 1500).await;
    let order = order_for(app, &shop.buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    assert_eq!(
        shop.pay(order_id, "pm_card_visa").await.paid,
        StatusCode::OK
    );
    let reconcile = schoolhouse::payments::service::reconcile;
    assert_eq!(
        reconcile(&app.state, app.state.now()).await.unwrap(),
        0,
        "too recent to re-check"
    );
    app.state.clock.advance(time::Duration::minutes(11));
    assert_eq!(reconcile(&app.state, app.state.now()).await.unwrap(), 1);
    let buyer = app.login(&shop.buyer.email, PASSWORD).await;
    assert_eq!(order_status(app, &buyer, order_id).await, "fulfilled");
    assert_eq!(
        enrollment(app, &buyer, &course).await.as_deref(),
        Some("active")
    );
}

#[tokio::test]
async fn cancelling_a_paid_unshipped_order_refunds_it_through_stripe() {
    let shop = card_shop(true).await;
    let (app, buyer) = (&shop.app, &shop.buyer);
    let course = course(app, &shop.admin, 4900).await;
    let mug = product(app, &shop.admin, 1500, 3).await;
    let order = shipped_order(app, buyer, &[("course", &course, 1), ("product", &mug, 1)]).await;
    let order_id = order["id"].as_str().unwrap();
    let total = order["total_cents"].as_i64().unwrap();
    let card = shop.pay(order_id, "pm_card_visa").await;
    assert_eq!(card.paid, StatusCode::OK);
    wait_for_order(app, buyer, order_id, "paid").await;
    assert_eq!(
        enrollment(app, buyer, &course).await.as_deref(),
        Some("active")
    );

    let (status, cancelled) = app
        .delete(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(
        enrollment(app, buyer, &course).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(shop.stripe.refunded_cents(&card.pi).await, total);
    assert_eq!(shop.payment(buyer, &card.id).await["status"], "refunded");
    let stock: i64 = {
        let id = mug.clone();
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
    };
    assert_eq!(stock, 3, "the reserved mug is back in stock");
}
