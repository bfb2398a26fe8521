//! Adversarial rows for PayPal (issue 25): each row names the abuse, and checks the answer
//! and that nothing changed, here and at PayPal (the stand-in behind the validating proxy).

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::payments::paypal_peer::{Peer, peer, returned, start, with_paypal};
use crate::payments::{course, order_of};
use crate::support::{TestApp, spawn_app_with};

/// What an abuse must leave as it was.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    payments: Vec<String>,
    orders: Vec<String>,
    active_enrolments: i64,
    /// Per PayPal order: captures and refunded cents at PayPal.
    at_paypal: Vec<(Value, Value)>,
}

async fn snapshot(app: &TestApp, peer: &Peer, paypal_orders: &[String]) -> Snapshot {
    let (payments, orders, active_enrolments) = app
        .state
        .db
        .read(|conn| {
            let strings = |sql: &str| -> rusqlite::Result<Vec<String>> {
                conn.prepare(sql)?.query_map([], |r| r.get(0))?.collect()
            };
            Ok((
                strings("SELECT status FROM payments ORDER BY created_at, id")?,
                strings("SELECT status FROM orders ORDER BY created_at, id")?,
                conn.query_row(
                    "SELECT COUNT(*) FROM enrollments WHERE status = 'active'",
                    [],
                    |r| r.get(0),
                )?,
            ))
        })
        .await
        .unwrap();
    let mut at_paypal = Vec::new();
    for id in paypal_orders {
        let o = peer.get(&format!("/__orders/{id}")).await;
        at_paypal.push((o["captures"].clone(), o["refunded_cents"].clone()));
    }
    Snapshot {
        payments,
        orders,
        active_enrolments,
        at_paypal,
    }
}

#[tokio::test]
async fn paypal_abuses_are_refused_and_move_no_money() {
    let peer = peer().await;
    let app = spawn_app_with(with_paypal).await;
    let (admin, buyer, other) = (app.admin().await, app.student().await, app.student().await);
    let paid_course = course(&app, &admin, 4900).await;
    let open_course = course(&app, &admin, 2900).await;
    // One order paid with PayPal, one waiting at PayPal's approval page.
    let paid_order = order_of(&app, &buyer, &[&paid_course]).await;
    let paid = start(&app, &buyer, paid_order["id"].as_str().unwrap()).await;
    peer.buyer(paid["approve_url"].as_str().unwrap(), true)
        .await;
    let (_, done) = returned(&app, &buyer, paid["id"].as_str().unwrap()).await;
    assert_eq!(done["status"], "completed");
    let open_order = order_of(&app, &buyer, &[&open_course]).await;
    let open = start(&app, &buyer, open_order["id"].as_str().unwrap()).await;
    let (paid_id, open_id) = (
        paid["id"].as_str().unwrap().to_string(),
        open["id"].as_str().unwrap().to_string(),
    );
    let paypal_orders = vec![
        paid["transaction_id"].as_str().unwrap().to_string(),
        open["transaction_id"].as_str().unwrap().to_string(),
    ];
    let forged = json!({"id": "WH-FORGED", "event_type": "PAYMENT.CAPTURE.COMPLETED",
        "resource": {"id": "CAPFORGED", "status": "COMPLETED",
            "amount": {"currency_code": "USD", "value": "29.00"},
            "supplementary_data": {"related_ids": {"order_id": paypal_orders[1]}}}});

    // (sentence, path, body, whose token, expected status)
    let rows: Vec<(&str, String, Value, &str, StatusCode)> = vec![
        (
            "another buyer may not bring someone else's PayPal payment back from PayPal",
            format!("/api/payments/{open_id}/paypal/return"),
            json!({}),
            &other.token,
            StatusCode::NOT_FOUND,
        ),
        (
            "another buyer may not cancel someone else's PayPal payment",
            format!("/api/payments/{open_id}/paypal/cancel"),
            json!({}),
            &other.token,
            StatusCode::NOT_FOUND,
        ),
        (
            "a made-up payment id captures nothing",
            "/api/payments/01900000-0000-7000-8000-000000000000/paypal/return".into(),
            json!({}),
            &buyer.token,
            StatusCode::NOT_FOUND,
        ),
        (
            "a paid PayPal payment cannot be cancelled back into a failure",
            format!("/api/payments/{paid_id}/paypal/cancel"),
            json!({}),
            &buyer.token,
            StatusCode::OK,
        ),
        (
            "a second PayPal payment of a paid order is refused",
            "/api/payments".into(),
            json!({"order_id": paid_order["id"], "gateway": "paypal"}),
            &buyer.token,
            StatusCode::CONFLICT,
        ),
    ];
    for (sentence, path, body, token, expected) in rows {
        let before = snapshot(&app, &peer, &paypal_orders).await;
        let (status, answer) = app.post(&path, body, Some(token)).await;
        assert_eq!(status, expected, "{sentence}: {answer}");
        assert_eq!(
            snapshot(&app, &peer, &paypal_orders).await,
            before,
            "{sentence}"
        );
    }

    // A webhook nobody signed, naming the open order with its exact amount.
    let before = snapshot(&app, &peer, &paypal_orders).await;
    let answer = app
        .client
        .post(app.url("/api/payments/webhook/paypal"))
        .header("Content-Type", "application/json")
        .header("PAYPAL-AUTH-ALGO", "SHA256withRSA")
        .header("PAYPAL-CERT-URL", format!("{}/certs/x", peer.base))
        .header(
            "PAYPAL-TRANSMISSION-ID",
            "a1b2c3d4-0000-4000-8000-000000000002",
        )
        .header("PAYPAL-TRANSMISSION-SIG", "deadbeef")
        .header("PAYPAL-TRANSMISSION-TIME", "2026-01-01T00:00:00Z")
        .body(forged.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        StatusCode::BAD_REQUEST,
        "a forged capture event pays nothing"
    );
    assert_eq!(snapshot(&app, &peer, &paypal_orders).await, before);

    // Twenty refund requests for the whole paid order at once: one refund, once at PayPal.
    let asks = join_all((0..20).map(|_| {
        app.post(
            "/api/refunds",
            json!({"order_id": paid_order["id"], "reason": "changed my mind"}),
            Some(&buyer.token),
        )
    }))
    .await;
    let processed = asks
        .iter()
        .filter(|(s, r)| *s == StatusCode::CREATED && r["status"] == "processed")
        .count();
    assert_eq!(processed, 1, "{asks:?}");
    let at_paypal = peer.get(&format!("/__orders/{}", paypal_orders[0])).await;
    assert_eq!(at_paypal["refunds"], 1, "{at_paypal}");
    assert_eq!(at_paypal["refunded_cents"], 4900);
    peer.assert_no_violations().await;
}
