//! Stripe webhooks: signed events pay an order once; bad signatures, stale, repeated, late,
//! foreign or mismatched events change nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};
use stripe_webhook::Webhook;

use super::WEBHOOK_SECRET;
use super::course;
use super::deliver;
use super::enrollment;
use super::intent_event;
use super::new_event_id;
use super::order_for;
use super::order_status;
use super::sign;
use super::stripe_payment;
use super::with_stripe;
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
    let body = intent_event(
        &new_event_id(),
        "payment_intent.succeeded",
        &p.pi,
        4900,
        "usd",
    );
    let (status, ack) = deliver(&p.app, &body, &sign(&body)).await;
    assert_eq!(status, StatusCode::OK, "{ack}");
    assert_eq!(ack["outcome"], "completed");
    assert_eq!(
        order_status(&p.app, &p.buyer, &p.order_id).await,
        "fulfilled"
    );
    assert_eq!(
        enrollment(&p.app, &p.buyer, &p.course).await.as_deref(),
        Some("active")
    );
    let (_, payment) = p
        .app
        .get(
            &format!("/api/payments/{}", p.payment_id),
            Some(&p.buyer.token),
        )
        .await;
    assert_eq!(payment["status"], "completed");
    assert_eq!(payment["client_secret"], Value::Null);
}

#[tokio::test]
async fn badly_signed_or_stale_events_are_refused_and_change_nothing() {
    let p = pending_stripe_payment().await;
    let body = intent_event(
        &new_event_id(),
        "payment_intent.succeeded",
        &p.pi,
        4900,
        "usd",
    );
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
        assert_eq!(
            order_status(&p.app, &p.buyer, &p.order_id).await,
            "pending",
            "{case}"
        );
    }
    assert_eq!(enrollment(&p.app, &p.buyer, &p.course).await, None);
    // The genuine delivery still works afterwards.
    let (status, ack) = deliver(&p.app, &body, &sign(&body)).await;
    assert_eq!(
        (status, ack["outcome"].as_str()),
        (StatusCode::OK, Some("completed"))
    );
}

#[tokio::test]
async fn the_same_event_delivered_twice_is_applied_once() {
    let p = pending_stripe_payment().await;
    let body = intent_event(
        &new_event_id(),
        "payment_intent.succeeded",
        &p.pi,
        4900,
        "usd",
    );
    let (_, first) = deliver(&p.app, &body, &sign(&body)).await;
    let (status, second) = deliver(&p.app, &body, &sign(&body)).await;
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
    let ok = intent_event(
        &new_event_id(),
        "payment_intent.succeeded",
        &p.pi,
        4900,
        "usd",
    );
    let late = intent_event(
        &new_event_id(),
        "payment_intent.payment_failed",
        &p.pi,
        4900,
        "usd",
    );
    deliver(&p.app, &ok, &sign(&ok)).await;
    let (status, ack) = deliver(&p.app, &late, &sign(&late)).await;
    assert_eq!(
        (status, ack["outcome"].as_str()),
        (StatusCode::OK, Some("no_change"))
    );
    assert_eq!(
        order_status(&p.app, &p.buyer, &p.order_id).await,
        "fulfilled"
    );
    let (_, payment) = p
        .app
        .get(
            &format!("/api/payments/{}", p.payment_id),
            Some(&p.buyer.token),
        )
        .await;
    assert_eq!(payment["status"], "completed");
}

#[tokio::test]
async fn a_failure_leaves_the_order_pending_for_a_retry() {
    let p = pending_stripe_payment().await;
    let failed = intent_event(
        &new_event_id(),
        "payment_intent.payment_failed",
        &p.pi,
        4900,
        "usd",
    );
    let (_, ack) = deliver(&p.app, &failed, &sign(&failed)).await;
    assert_eq!(ack["outcome"], "failed");
    assert_eq!(order_status(&p.app, &p.buyer, &p.order_id).await, "pending");
    let (_, payment) = p
        .app
        .get(
            &format!("/api/payments/{}", p.payment_id),
            Some(&p.buyer.token),
        )
        .await;
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
    let (status, ack) = deliver(&p.app, &other, &sign(&other)).await;
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
    let (status, ack) = deliver(&p.app, &foreign, &sign(&foreign)).await;
    assert_eq!(
        (status, ack["outcome"].as_str()),
        (StatusCode::OK, Some("ignored"))
    );
    assert_eq!(order_status(&p.app, &p.buyer, &p.order_id).await, "pending");
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
        let (status, ack) = deliver(&p.app, &forged, &sign(&forged)).await;
        assert_eq!(
            (status, ack["outcome"].as_str()),
            (StatusCode::OK, Some("amount_mismatch"))
        );
    }
    assert_eq!(order_status(&p.app, &p.buyer, &p.order_id).await, "pending");
    assert_eq!(enrollment(&p.app, &p.buyer, &p.course).await, None);
    assert_eq!(p.order["total_cents"], 4900);
}

// --- manual payments, refunds and access control (no emulator needed) -----------------

// --- against the Stripe emulator (localstripe), started by tests/run.sh ----------------
