//! PayPal (issue 25), continued: refunds and reversals, an expired token, parallel returns,
//! other buyers, and the validating proxy's self-test. Each test ends by asserting that the
//! proxy saw no violation of PayPal's OpenAPI description.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::payments::enrollment;
use crate::payments::paypal_peer::{outcomes, payment_status, peer, returned, shop, start};

#[tokio::test]
async fn refunds_go_back_through_the_capture_revoke_access_and_never_exceed_it() {
    let s = shop(&[4900, 2900]).await;
    let paid = s.pay().await;
    let (status, partial) = s
        .app
        .post(
            "/api/refunds",
            json!({"order_id": s.order_id(), "reason": "too basic", "item_ids": [s.item(&s.courses[0])]}),
            Some(&s.buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{partial}");
    assert_eq!(partial["status"], "processed", "{partial}");
    assert_eq!(partial["amount_cents"], 4900);
    assert!(partial["gateway_refund_id"].as_str().is_some());
    assert_eq!(s.order_status().await, "partially_refunded");
    assert_eq!(
        enrollment(&s.app, &s.buyer, &s.courses[0]).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(
        enrollment(&s.app, &s.buyer, &s.courses[1]).await.as_deref(),
        Some("active")
    );

    // More than what is left is refused before PayPal is asked.
    let (status, body) = s
        .app
        .post(
            "/api/refunds",
            json!({"order_id": s.order_id(), "reason": "all of it", "amount_cents": 7800}),
            Some(&s.buyer.token),
        )
        .await;
    assert!(status.is_client_error(), "{status} {body}");
    let (status, rest) = s
        .app
        .post(
            "/api/refunds",
            json!({"order_id": s.order_id(), "reason": "not for me"}),
            Some(&s.buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rest}");
    assert_eq!(rest["status"], "processed", "{rest}");
    assert_eq!(rest["amount_cents"], 2900);
    assert_eq!(s.order_status().await, "refunded");
    let id = paid["id"].as_str().unwrap();
    assert_eq!(payment_status(&s.app, id).await, "refunded");
    let (status, _) = s
        .app
        .post(
            "/api/refunds",
            json!({"order_id": s.order_id(), "reason": "again"}),
            Some(&s.buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let at_paypal = s
        .peer
        .get(&format!("/__orders/{}", s.paypal_order(&paid).await))
        .await;
    assert_eq!(at_paypal["refunds"], 2, "{at_paypal}");
    assert_eq!(
        at_paypal["refunded_cents"], 7800,
        "all of the capture, no more"
    );

    // PayPal's refund events arrive afterwards and change nothing.
    let delivered = s.peer.deliver(&s.app, &s.paypal_order(&paid).await).await;
    for (kind, outcome) in outcomes(&delivered) {
        if kind == "PAYMENT.CAPTURE.REFUNDED" {
            assert_eq!(outcome, "no_change");
        }
    }
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn a_reversal_revokes_access_refunds_the_order_and_tells_staff() {
    let s = shop(&[4900]).await;
    let paid = s.pay().await;
    let id = paid["id"].as_str().unwrap();
    let order_id = s.paypal_order(&paid).await;
    s.peer.deliver(&s.app, &order_id).await;
    let (event, answer) = s.reverse(&paid).await;
    assert_eq!(answer["body"]["outcome"], "reversed", "{answer}");
    assert_eq!(
        enrollment(&s.app, &s.buyer, &s.courses[0]).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(s.order_status().await, "refunded");
    assert_eq!(payment_status(&s.app, id).await, "refunded");
    let mails = s.app.mails_to(&s.admin.email).await;
    let reversed: Vec<_> = mails
        .iter()
        .filter(|(t, _)| t == "payment_reversed")
        .collect();
    assert_eq!(reversed.len(), 1);
    let again = s
        .peer
        .redeliver(&s.app, event["id"].as_str().unwrap())
        .await;
    assert_eq!(again["body"]["outcome"], "duplicate");
    assert_eq!(
        s.app.mails_to(&s.admin.email).await.len(),
        mails.len(),
        "no second mail"
    );
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn an_expired_token_mid_flow_is_renewed_and_the_payment_completes() {
    let s = shop(&[4900]).await;
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    s.peer
        .buyer(payment["approve_url"].as_str().unwrap(), true)
        .await;
    let before = s.peer.stats().await["tokens_issued"].as_i64().unwrap();
    s.peer.control("/__expire_tokens", json!({})).await;
    let (status, paid) = returned(&s.app, &s.buyer, payment["id"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "completed");
    assert!(s.peer.stats().await["tokens_issued"].as_i64().unwrap() > before);
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn twenty_parallel_returns_capture_the_order_once() {
    let s = shop(&[4900]).await;
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    s.peer
        .buyer(payment["approve_url"].as_str().unwrap(), true)
        .await;
    let id = payment["id"].as_str().unwrap();
    let answers = join_all((0..20).map(|_| returned(&s.app, &s.buyer, id))).await;
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::OK, "{body}");
    }
    assert_eq!(payment_status(&s.app, id).await, "completed");
    let order_id = payment["transaction_id"].as_str().unwrap();
    let at_paypal = s.peer.get(&format!("/__orders/{order_id}")).await;
    assert_eq!(at_paypal["captures"], 1, "{at_paypal}");
    let paid_mails = s
        .app
        .mails_to(&s.buyer.email)
        .await
        .into_iter()
        .filter(|(t, _)| t == "order_paid")
        .count();
    assert_eq!(paid_mails, 1);
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn another_buyer_cannot_return_or_cancel_a_paypal_payment() {
    let s = shop(&[4900]).await;
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    let other = s.app.student().await;
    let id = payment["id"].as_str().unwrap();
    for action in ["return", "cancel"] {
        let (status, _) = s
            .app
            .post(
                &format!("/api/payments/{id}/paypal/{action}"),
                json!({}),
                Some(&other.token),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(payment_status(&s.app, id).await, "pending");
    s.peer.assert_no_violations().await;
}

/// The proxy must refuse what PayPal would: a validator that passes everything fails here.
#[tokio::test]
async fn the_validating_proxy_refuses_an_order_paypal_would_refuse() {
    let peer = peer().await;
    let http = crate::support::client();
    let token: Value = http
        .post(format!("{}/v1/oauth2/token", peer.base))
        .basic_auth(
            std::env::var("PAYPAL_CLIENT_ID").unwrap(),
            std::env::var("PAYPAL_CLIENT_SECRET").ok(),
        )
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let answer = http
        .post(format!("{}/v2/checkout/orders", peer.base))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .header("X-Expect-Violation", "1")
        .json(&json!({"intent": "WRONG", "purchase_units": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let body: Value = answer.json().await.unwrap();
    let detail = body["details"][0]["description"].as_str().unwrap();
    assert!(
        detail.contains("WRONG") && detail.contains("nope"),
        "{detail}"
    );
    peer.assert_no_violations().await;
}
