//! PayPal (issue 25) against the stand-in behind the validating proxy: every request the app
//! sends and every answer it gets is held to PayPal's published OpenAPI description, and each
//! test ends by asserting that nothing broke it.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::payments::{course, enrollment, order_of, order_status};
use crate::paypal_peer::{Peer, capture_id, payment_status, peer, returned, start, with_paypal};
use crate::support::{TestApp, TestUser, spawn_app_with};

/// A fresh app with PayPal, an admin selling two courses, a buyer and their pending order.
struct Shop {
    app: TestApp,
    peer: Peer,
    admin: TestUser,
    buyer: TestUser,
    courses: Vec<String>,
    order: Value,
}

async fn shop(prices: &[i64]) -> Shop {
    let peer = peer().await;
    let app = spawn_app_with(with_paypal).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let mut courses = Vec::new();
    for price in prices {
        courses.push(course(&app, &admin, *price).await);
    }
    let ids: Vec<&str> = courses.iter().map(String::as_str).collect();
    let order = order_of(&app, &buyer, &ids).await;
    Shop {
        app,
        peer,
        admin,
        buyer,
        courses,
        order,
    }
}

impl Shop {
    fn order_id(&self) -> &str {
        self.order["id"].as_str().unwrap()
    }

    fn item(&self, course: &str) -> Value {
        self.order["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item_id"] == course)
            .unwrap()["id"]
            .clone()
    }

    /// Start, approve at PayPal, come back: the paid payment.
    async fn pay(&self) -> Value {
        let payment = start(&self.app, &self.buyer, self.order_id()).await;
        self.peer
            .buyer(payment["approve_url"].as_str().unwrap(), true)
            .await;
        let (status, paid) =
            returned(&self.app, &self.buyer, payment["id"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{paid}");
        assert_eq!(paid["status"], "completed", "{paid}");
        paid
    }

    async fn order_status(&self) -> String {
        order_status(&self.app, &self.buyer, self.order_id()).await
    }

    async fn paypal_order(&self, payment: &Value) -> String {
        payment["transaction_id"].as_str().unwrap().to_string()
    }
}

fn outcomes(deliveries: &[Value]) -> Vec<(String, String)> {
    deliveries
        .iter()
        .map(|d| {
            assert_eq!(d["status"], 200, "{d}");
            (
                d["event_type"].as_str().unwrap().to_string(),
                d["body"]["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

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
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    let order_id = s.paypal_order(&payment).await;
    s.peer
        .control(
            &format!("/__orders/{order_id}/capture_mode"),
            json!({"mode": "decline"}),
        )
        .await;
    s.peer
        .buyer(payment["approve_url"].as_str().unwrap(), true)
        .await;
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
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    let (id, order_id) = (
        payment["id"].as_str().unwrap(),
        s.paypal_order(&payment).await,
    );
    s.peer
        .control(
            &format!("/__orders/{order_id}/capture_mode"),
            json!({"mode": "pending"}),
        )
        .await;
    s.peer
        .buyer(payment["approve_url"].as_str().unwrap(), true)
        .await;
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
    let payment = start(&s.app, &s.buyer, s.order_id()).await;
    let (id, order_id) = (
        payment["id"].as_str().unwrap(),
        s.paypal_order(&payment).await,
    );
    s.peer
        .control(
            &format!("/__orders/{order_id}/capture_mode"),
            json!({"mode": "pending"}),
        )
        .await;
    s.peer
        .buyer(payment["approve_url"].as_str().unwrap(), true)
        .await;
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
    let capture = capture_id(&s.app, id).await;
    let event = s
        .peer
        .control(&format!("/__captures/{capture}/reverse"), json!({}))
        .await;
    let answer = s
        .peer
        .redeliver(&s.app, event["id"].as_str().unwrap())
        .await;
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
