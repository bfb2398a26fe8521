//! Money given back in Stripe's Dashboard, outside the app's refund flow, arrives as a signed
//! `charge.refunded` from the emulator: the payment and order follow, a whole refund takes
//! the courses by the refund's rule, and the event for the app's own refund counts nothing twice.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use super::{card_shop, course, enrollment, order_for, order_status, wait_for_order};
use crate::support::TestApp;

/// The outcomes of the `charge.refunded` events about `payment_id` the app received, once `n`
/// have arrived (the emulator sends every app every event; others' are ignored).
async fn charge_refunded_outcomes(app: &TestApp, payment_id: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let id = payment_id.to_string();
        let seen: Vec<String> = app
            .state
            .db
            .read(move |conn| {
                let mut stmt = conn.prepare(
                    "SELECT outcome FROM payment_events
                     WHERE type = 'charge.refunded' AND payment_id = ?1 ORDER BY rowid",
                )?;
                let rows = stmt.query_map([id], |r| r.get(0))?;
                Ok(rows.collect::<Result<Vec<String>, _>>()?)
            })
            .await
            .unwrap();
        if seen.len() >= n {
            return seen;
        }
        assert!(Instant::now() < deadline, "only {seen:?} arrived in 30 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_whole_refund_in_the_dashboard_refunds_the_order_and_revokes_its_course() {
    let shop = card_shop(true).await;
    let (app, buyer) = (&shop.app, &shop.buyer);
    let course_id = course(app, &shop.admin, 4900).await;
    let order = order_for(app, buyer, &course_id).await;
    let order_id = order["id"].as_str().unwrap();
    let card = shop.pay(order_id, "pm_card_visa").await;
    assert_eq!(card.paid, StatusCode::OK);
    wait_for_order(app, buyer, order_id, "fulfilled").await;
    assert_eq!(
        enrollment(app, buyer, &course_id).await.as_deref(),
        Some("active")
    );

    shop.stripe.refund_in_dashboard(&card.pi, None).await;
    assert_eq!(
        charge_refunded_outcomes(app, &card.id, 1).await,
        ["refund_synced"]
    );
    assert_eq!(order_status(app, buyer, order_id).await, "refunded");
    let payment = shop.payment(&shop.admin, &card.id).await;
    assert_eq!(
        (
            payment["status"].as_str(),
            payment["refunded_cents"].as_i64()
        ),
        (Some("refunded"), Some(4900))
    );
    assert_eq!(
        enrollment(app, buyer, &course_id).await.as_deref(),
        Some("revoked")
    );
}

#[tokio::test]
async fn a_part_refunded_in_the_dashboard_is_recorded_and_access_stays() {
    let shop = card_shop(true).await;
    let (app, buyer) = (&shop.app, &shop.buyer);
    let course_id = course(app, &shop.admin, 4900).await;
    let order = order_for(app, buyer, &course_id).await;
    let order_id = order["id"].as_str().unwrap();
    let card = shop.pay(order_id, "pm_card_visa").await;
    wait_for_order(app, buyer, order_id, "fulfilled").await;

    shop.stripe.refund_in_dashboard(&card.pi, Some(1000)).await;
    assert_eq!(
        charge_refunded_outcomes(app, &card.id, 1).await,
        ["refund_synced"]
    );
    assert_eq!(
        order_status(app, buyer, order_id).await,
        "partially_refunded"
    );
    let payment = shop.payment(&shop.admin, &card.id).await;
    assert_eq!(payment["refunded_cents"], 1000, "{payment}");
    assert_eq!(
        enrollment(app, buyer, &course_id).await.as_deref(),
        Some("active"),
        "a partial refund names no lines: the course stays"
    );
}

#[tokio::test]
async fn the_event_for_the_apps_own_refund_counts_the_money_once() {
    let shop = card_shop(true).await;
    let (app, buyer) = (&shop.app, &shop.buyer);
    let first = course(app, &shop.admin, 4900).await;
    let second = course(app, &shop.admin, 2900).await;
    let order = super::order_of(app, buyer, &[&first, &second]).await;
    let order_id = order["id"].as_str().unwrap();
    let card = shop.pay(order_id, "pm_card_visa").await;
    wait_for_order(app, buyer, order_id, "fulfilled").await;
    let line = order["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_id"] == first.as_str())
        .unwrap()["id"]
        .clone();

    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({"order_id": order_id, "reason": "too basic", "item_ids": [line]}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["status"], "processed", "{refund}");
    assert_eq!(
        charge_refunded_outcomes(app, &card.id, 1).await,
        ["no_change"]
    );
    let payment = shop.payment(&shop.admin, &card.id).await;
    assert_eq!(payment["refunded_cents"], 4900, "{payment}");
    assert_eq!(shop.stripe.refunded_cents(&card.pi).await, 4900);
    assert_eq!(
        order_status(app, buyer, order_id).await,
        "partially_refunded"
    );
    assert_eq!(
        enrollment(app, buyer, &first).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(
        enrollment(app, buyer, &second).await.as_deref(),
        Some("active")
    );
}
