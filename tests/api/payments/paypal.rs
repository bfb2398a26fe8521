//! PayPal (issue 25) against the stand-in behind the validating proxy: every request the app
//! sends and every answer it gets is held to PayPal's published OpenAPI description, and each
//! test ends by asserting that nothing broke it. Paying, cancelling, declines, webhooks and
//! reconciliation here; money going back, tokens and races in `paypal_money`.

use reqwest::StatusCode;
use serde_json::json;

use crate::payments::enrollment;
use crate::payments::paypal_peer::{capture_id, outcomes, payment_status, returned, shop, start};

#[tokio::test]
async fn a_course_bought_with_paypal_is_paid_enrolled_and_mailed_once() {
    let s = shop(&[4900]).await;
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    assert_eq!(payment["status"], "pending");
    assert!(payment["client_secret"].is_null());
    let back = s
        .peer
        .buyer(payment["approve_url"].as_str().unwrap(), true)
        .await;
    let id = payment["id"].as_str().unwrap();
    assert!(
        back.contains(&format!("/paypal/return?payment={id}")),
        "{back}"
    );
    assert!(back.contains("PayerID="), "{back}");

    let (status, paid) = returned(&s.app, &s.buyer, id).await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "completed");
    assert!(paid["approve_url"].is_null(), "no approval link once paid");
    assert_eq!(s.order_status().await, "fulfilled");
    assert_eq!(
        enrollment(&s.app, &s.buyer, &s.courses[0]).await.as_deref(),
        Some("active")
    );

    // PayPal's webhooks follow; the order was captured already, and a repeat is a duplicate.
    let order_id = s.paypal_order(&payment).await;
    let delivered = s.peer.deliver(&s.app, &order_id).await;
    assert_eq!(
        outcomes(&delivered),
        [
            ("CHECKOUT.ORDER.APPROVED".into(), "no_change".into()),
            ("PAYMENT.CAPTURE.COMPLETED".into(), "no_change".into())
        ]
    );
    let again = s
        .peer
        .redeliver(&s.app, delivered[1]["event_id"].as_str().unwrap())
        .await;
    assert_eq!(again["body"]["outcome"], "duplicate");
    // Coming back twice (reload) captures nothing more.
    let (_, still) = returned(&s.app, &s.buyer, id).await;
    assert_eq!(still["status"], "completed");
    let at_paypal = s.peer.get(&format!("/__orders/{order_id}")).await;
    assert_eq!(at_paypal["captures"], 1, "one capture: {at_paypal}");
    assert_eq!(at_paypal["captured_cents"], 4900);
    let paid_mails: Vec<_> = s
        .app
        .mails_to(&s.buyer.email)
        .await
        .into_iter()
        .filter(|(t, _)| t == "order_paid")
        .collect();
    assert_eq!(paid_mails.len(), 1);
    // Staff see the gateway and PayPal's ids on the order.
    let (_, seen) = s
        .app
        .get(
            &format!("/api/orders/{}", s.order_id()),
            Some(&s.admin.token),
        )
        .await;
    let shown = &seen["payments"][0];
    assert_eq!(shown["gateway"], "paypal", "{seen}");
    assert_eq!(shown["transaction_id"], order_id.as_str());
    assert_eq!(
        shown["capture_id"].as_str().map(str::to_string),
        Some(capture_id(&s.app, id).await)
    );
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn a_buyer_who_cancels_at_paypal_can_try_again_or_pay_another_way() {
    let s = shop(&[4900]).await;
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    let id = payment["id"].as_str().unwrap();
    let back = s
        .peer
        .buyer(payment["approve_url"].as_str().unwrap(), false)
        .await;
    assert!(
        back.contains(&format!("/paypal/cancel?payment={id}")),
        "{back}"
    );
    let (status, cancelled) = s
        .app
        .post(
            &format!("/api/payments/{id}/paypal/cancel"),
            json!({}),
            Some(&s.buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["status"], "failed");
    assert_eq!(s.order_status().await, "pending");
    assert_eq!(enrollment(&s.app, &s.buyer, &s.courses[0]).await, None);

    // Try again: a new PayPal order; or another method.
    let second = start(&s.app, &s.buyer, s.order_id()).await;
    assert_ne!(second["id"], payment["id"]);
    assert_ne!(second["transaction_id"], payment["transaction_id"]);
    s.peer
        .buyer(second["approve_url"].as_str().unwrap(), true)
        .await;
    let (_, paid) = returned(&s.app, &s.buyer, second["id"].as_str().unwrap()).await;
    assert_eq!(paid["status"], "completed");
    assert_eq!(s.order_status().await, "fulfilled");
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn a_declined_capture_fails_the_payment_and_keeps_the_order_open() {
    let s = shop(&[4900]).await;
    let (payment, _) = s.approved_with_capture("decline").await;
    let (status, failed) = returned(&s.app, &s.buyer, payment["id"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{failed}");
    assert_eq!(failed["status"], "failed");
    assert!(
        failed["failure_message"]
            .as_str()
            .unwrap()
            .contains("another way to pay")
    );
    assert_eq!(s.order_status().await, "pending");
    assert_eq!(enrollment(&s.app, &s.buyer, &s.courses[0]).await, None);
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn a_pending_capture_later_denied_fails_and_a_late_pending_event_changes_nothing() {
    let s = shop(&[4900]).await;
    let (payment, order_id) = s.approved_with_capture("pending").await;
    let id = payment["id"].as_str().unwrap();
    let (_, pending) = returned(&s.app, &s.buyer, id).await;
    assert_eq!(pending["status"], "pending");
    let capture = capture_id(&s.app, id).await;
    let queued = s.peer.get(&format!("/__events?order_id={order_id}")).await;
    s.peer
        .control(&format!("/__captures/{capture}/deny"), json!({}))
        .await;
    // Out of order: the denial arrives first, the approval and "pending" after it.
    let denied = s.peer.get(&format!("/__events?order_id={order_id}")).await;
    let denial = denied.as_array().unwrap().last().unwrap()["id"].clone();
    let first = s.peer.redeliver(&s.app, denial.as_str().unwrap()).await;
    assert_eq!(first["body"]["outcome"], "failed", "{first}");
    for event in queued.as_array().unwrap() {
        let late = s
            .peer
            .redeliver(&s.app, event["id"].as_str().unwrap())
            .await;
        assert_eq!(late["body"]["outcome"], "no_change", "{late}");
    }
    assert_eq!(payment_status(&s.app, id).await, "failed");
    assert_eq!(s.order_status().await, "pending");
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn an_approval_the_buyer_never_returns_from_is_captured_by_the_webhook() {
    let s = shop(&[4900]).await;
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    s.peer
        .buyer(payment["approve_url"].as_str().unwrap(), true)
        .await;
    // The buyer closed the tab: only PayPal's webhook tells us.
    let delivered = s
        .peer
        .deliver(&s.app, &s.paypal_order(&payment).await)
        .await;
    assert_eq!(
        outcomes(&delivered),
        [("CHECKOUT.ORDER.APPROVED".into(), "completed".into())]
    );
    assert_eq!(s.order_status().await, "fulfilled");
    // The capture's own event follows and changes nothing.
    let rest = s
        .peer
        .deliver(&s.app, &s.paypal_order(&payment).await)
        .await;
    assert_eq!(
        outcomes(&rest),
        [("PAYMENT.CAPTURE.COMPLETED".into(), "no_change".into())]
    );
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn reconciliation_captures_an_approved_order_whose_buyer_never_returned() {
    let s = shop(&[4900]).await;
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    s.peer
        .buyer(payment["approve_url"].as_str().unwrap(), true)
        .await;
    let reconcile = schoolhouse::payments::paypal::reconcile::run;
    // Too recent: left alone.
    assert_eq!(reconcile(&s.app.state, s.app.state.now()).await.unwrap(), 0);
    assert_eq!(s.order_status().await, "pending");
    let later = s.app.state.now() + time::Duration::minutes(30);
    assert_eq!(reconcile(&s.app.state, later).await.unwrap(), 1);
    assert_eq!(s.order_status().await, "fulfilled");
    assert_eq!(reconcile(&s.app.state, later).await.unwrap(), 0);
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn webhooks_paypal_does_not_verify_or_cannot_be_read_change_nothing() {
    let s = shop(&[4900]).await;
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    s.peer
        .buyer(payment["approve_url"].as_str().unwrap(), true)
        .await;
    let events = s
        .peer
        .get(&format!(
            "/__events?order_id={}",
            s.paypal_order(&payment).await
        ))
        .await;
    let mut approved = events[0].clone();
    approved.as_object_mut().unwrap().remove("deliveries");
    let body = approved.to_string();
    let signed = |sig: &str| {
        vec![
            ("PAYPAL-AUTH-ALGO", "SHA256withRSA".to_string()),
            ("PAYPAL-CERT-URL", format!("{}/certs/x", s.peer.base)),
            (
                "PAYPAL-TRANSMISSION-ID",
                "0b9e1a4e-0000-4000-8000-000000000001".into(),
            ),
            ("PAYPAL-TRANSMISSION-SIG", sig.to_string()),
            ("PAYPAL-TRANSMISSION-TIME", "2026-01-01T00:00:00Z".into()),
        ]
    };
    // (sentence, headers, body)
    type Row<'a> = (&'a str, Vec<(&'a str, String)>, String);
    let rows: Vec<Row> = vec![
        (
            "a forged signature is refused by PayPal's verification",
            signed("Zm9yZ2Vk"),
            body.clone(),
        ),
        (
            "a delivery without PayPal's headers is refused unasked",
            vec![],
            body.clone(),
        ),
        (
            "a body that is not JSON is refused",
            signed("Zm9yZ2Vk"),
            "{not json".into(),
        ),
    ];
    for (sentence, headers, body) in rows {
        let mut request = s
            .app
            .client
            .post(s.app.url("/api/payments/webhook/paypal"))
            .header("Content-Type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{sentence}");
        assert_eq!(
            payment_status(&s.app, payment["id"].as_str().unwrap()).await,
            "pending",
            "{sentence}"
        );
        assert_eq!(s.order_status().await, "pending", "{sentence}");
    }
    let at_paypal = s
        .peer
        .get(&format!("/__orders/{}", s.paypal_order(&payment).await))
        .await;
    assert_eq!(at_paypal["captures"], 0, "nothing captured: {at_paypal}");
    s.peer.assert_no_violations().await;
}

#[tokio::test]
async fn a_capture_for_another_amount_than_the_order_changes_nothing() {
    let s = shop(&[4900]).await;
    let (payment, order_id) = s.approved_with_capture("pending").await;
    let id = payment["id"].as_str().unwrap();
    returned(&s.app, &s.buyer, id).await;
    s.peer.deliver(&s.app, &order_id).await;
    let event = s
        .peer
        .control(
            &format!("/__orders/{order_id}/emit"),
            json!({"event_type": "PAYMENT.CAPTURE.COMPLETED",
                   "amount": {"currency_code": "USD", "value": "1.00"}}),
        )
        .await;
    let answer = s
        .peer
        .redeliver(&s.app, event["id"].as_str().unwrap())
        .await;
    assert_eq!(answer["body"]["outcome"], "amount_mismatch", "{answer}");
    let other_currency = s
        .peer
        .control(
            &format!("/__orders/{order_id}/emit"),
            json!({"event_type": "PAYMENT.CAPTURE.COMPLETED",
                   "amount": {"currency_code": "EUR", "value": "49.00"}}),
        )
        .await;
    let answer = s
        .peer
        .redeliver(&s.app, other_currency["id"].as_str().unwrap())
        .await;
    assert_eq!(answer["body"]["outcome"], "amount_mismatch", "{answer}");
    assert_eq!(payment_status(&s.app, id).await, "pending");
    assert_eq!(s.order_status().await, "pending");
    assert_eq!(enrollment(&s.app, &s.buyer, &s.courses[0]).await, None);
    s.peer.assert_no_violations().await;
}
