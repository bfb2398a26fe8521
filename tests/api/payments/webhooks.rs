//! Stripe webhooks: signed events pay an order once; bad signatures, stale, repeated, late,
//! foreign or mismatched events change nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};
use stripe_webhook::Webhook;

use super::{
    WEBHOOK_SECRET, course, deliver, enrollment, intent_event, new_event_id, order_for,
    order_status, payment_of, sign, stripe_payment, with_stripe,
};
use crate::support::{TestApp, TestUser, assert_problem, spawn_app_with, uuid_suffix};

struct Paying {
    app: TestApp,
    buyer: TestUser,
    course: String,
    order: Value,
    order_id: String,
    pi: String,
    payment_id: String,
}

impl Paying {
    /// An event about this payment's PaymentIntent for the order's whole amount.
    fn event(&self, kind: &str) -> String {
        intent_event(&new_event_id(), kind, &self.pi, 4900, "usd")
    }

    /// Delivers `body` to the webhook, signed with the app's secret.
    async fn deliver(&self, body: &str) -> (StatusCode, Value) {
        deliver(&self.app, body, &sign(body)).await
    }

    async fn order_status(&self) -> String {
        order_status(&self.app, &self.buyer, &self.order_id).await
    }

    async fn enrollment(&self) -> Option<String> {
        enrollment(&self.app, &self.buyer, &self.course).await
    }

    async fn payment(&self) -> Value {
        payment_of(&self.app, &self.buyer, &self.payment_id).await
    }
}

async fn pending_stripe_payment() -> Paying {
    let app = spawn_app_with(with_stripe).await;
    let admin = app.admin().await;
    let buyer = app.student().await;
    let course = course(&app, &admin, 4900).await;
    let order = order_for(&app, &buyer, &course).await;
    let order_id = order["id"].as_str().unwrap().to_string();
    let pi = format!("pi_test_{}", uuid_suffix());
    let payment_id = stripe_payment(&app, &order, &pi).await;
    Paying {
        app,
        buyer,
        course,
        order,
        order_id,
        pi,
        payment_id,
    }
}

#[tokio::test]
async fn signed_success_event_pays_the_order_and_enrols_the_buyer() {
    let p = pending_stripe_payment().await;
    let body = p.event("payment_intent.succeeded");
    let (status, ack) = p.deliver(&body).await;
    assert_eq!(status, StatusCode::OK, "{ack}");
    assert_eq!(ack["outcome"], "completed");
    assert_eq!(p.order_status().await, "fulfilled");
    assert_eq!(p.enrollment().await.as_deref(), Some("active"));
    let payment = p.payment().await;
    assert_eq!(payment["status"], "completed");
    assert_eq!(payment["client_secret"], Value::Null);
}

#[tokio::test]
async fn badly_signed_or_stale_events_are_refused_and_change_nothing() {
    let p = pending_stripe_payment().await;
    let body = p.event("payment_intent.succeeded");
    let tampered = body.replace("4900", "100");
    let old = time::OffsetDateTime::now_utc().unix_timestamp() - 301;
    let cases = [
        ("tampered body", tampered.clone(), sign(&body)),
        (
            "wrong secret",
            body.clone(),
            Webhook::generate_test_header(&body, "whsec_other", None),
        ),
        (
            "older than 300 s",
            body.clone(),
            Webhook::generate_test_header(&body, WEBHOOK_SECRET, Some(old)),
        ),
        ("no signature", body.clone(), String::new()),
    ];
    for (case, payload, signature) in cases {
        let (status, problem) = deliver(&p.app, &payload, &signature).await;
        assert_problem(status, &problem, StatusCode::BAD_REQUEST);
        assert_eq!(p.order_status().await, "pending", "{case}");
    }
    assert_eq!(p.enrollment().await, None);
    // The genuine delivery still works afterwards.
    let (status, ack) = p.deliver(&body).await;
    assert_eq!(
        (status, ack["outcome"].as_str()),
        (StatusCode::OK, Some("completed"))
    );
}

#[tokio::test]
async fn the_same_event_delivered_twice_is_applied_once() {
    let p = pending_stripe_payment().await;
    let body = p.event("payment_intent.succeeded");
    let (_, first) = p.deliver(&body).await;
    let (status, second) = p.deliver(&body).await;
    assert_eq!(first["outcome"], "completed");
    assert_eq!(
        (status, second["outcome"].as_str()),
        (StatusCode::OK, Some("duplicate"))
    );
    let (_, order) = p
        .app
        .get(&format!("/api/orders/{}", p.order_id), Some(&p.buyer.token))
        .await;
    let paid_events = order["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["to"] == "paid")
        .count();
    assert_eq!(paid_events, 1, "{order}");
}

#[tokio::test]
async fn a_failure_arriving_after_success_leaves_the_order_paid() {
    let p = pending_stripe_payment().await;
    let ok = p.event("payment_intent.succeeded");
    let late = p.event("payment_intent.payment_failed");
    p.deliver(&ok).await;
    let (status, ack) = p.deliver(&late).await;
    assert_eq!(
        (status, ack["outcome"].as_str()),
        (StatusCode::OK, Some("no_change"))
    );
    assert_eq!(p.order_status().await, "fulfilled");
    let payment = p.payment().await;
    assert_eq!(payment["status"], "completed");
}

#[tokio::test]
async fn a_failure_leaves_the_order_pending_for_a_retry() {
    let p = pending_stripe_payment().await;
    let failed = p.event("payment_intent.payment_failed");
    let (_, ack) = p.deliver(&failed).await;
    assert_eq!(ack["outcome"], "failed");
    assert_eq!(p.order_status().await, "pending");
    let payment = p.payment().await;
    assert_eq!(payment["status"], "failed");
    assert_eq!(payment["failure_message"], "Your card was declined.");
}

#[tokio::test]
async fn unknown_event_types_and_foreign_payment_intents_are_acknowledged_and_ignored() {
    let p = pending_stripe_payment().await;
    let other = json!({
        "api_version": "2026-09-30.endive", "created": time::OffsetDateTime::now_utc().unix_timestamp(),
        "data": {"object": {"id": "cus_123", "object": "customer"}},
        "id": new_event_id(), "livemode": false, "object": "event", "pending_webhooks": 0,
        "request": {"id": null, "idempotency_key": null}, "type": "customer.created"
    })
    .to_string();
    let (status, ack) = p.deliver(&other).await;
    assert_eq!(
        (status, ack["outcome"].as_str()),
        (StatusCode::OK, Some("ignored"))
    );
    let foreign = intent_event(
        &new_event_id(),
        "payment_intent.succeeded",
        "pi_not_ours",
        4900,
        "usd",
    );
    let (status, ack) = p.deliver(&foreign).await;
    assert_eq!(
        (status, ack["outcome"].as_str()),
        (StatusCode::OK, Some("ignored"))
    );
    assert_eq!(p.order_status().await, "pending");
}

#[tokio::test]
async fn an_amount_or_currency_other_than_the_order_total_does_not_pay_it() {
    let p = pending_stripe_payment().await;
    for (amount, currency) in [(100, "usd"), (4900, "eur")] {
        let forged = intent_event(
            &new_event_id(),
            "payment_intent.succeeded",
            &p.pi,
            amount,
            currency,
        );
        let (status, ack) = p.deliver(&forged).await;
        assert_eq!(
            (status, ack["outcome"].as_str()),
            (StatusCode::OK, Some("amount_mismatch"))
        );
    }
    assert_eq!(p.order_status().await, "pending");
    assert_eq!(p.enrollment().await, None);
    assert_eq!(p.order["total_cents"], 4900);
}

// --- manual payments, refunds and access control (no emulator needed) -----------------

// --- against the Stripe emulator (localstripe), started by tests/run.sh ----------------
