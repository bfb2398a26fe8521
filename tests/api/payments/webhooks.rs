//! Payments and refunds: signed webhooks, manual payments, refund eligibility, BOLA, and the
//! Stripe flows against the localstripe emulator started by tests/run.sh.

use reqwest::StatusCode;
use schoolhouse::config::Config;
use schoolhouse::payments::config::GatewayKind;
use schoolhouse::payments::model::{Payment, PaymentStatus};
use serde_json::{Value, json};
use stripe_webhook::Webhook;

use crate::support::{
    PASSWORD, TestApp, TestUser, assert_problem, spawn_app, spawn_app_with, uuid_suffix,
};

pub(crate) const WEBHOOK_SECRET: &str = "whsec_schoolhouse_test";

/// Stripe on, pointed at the emulator when tests/run.sh started one (webhook tests that never
/// call Stripe work without it).
pub(crate) fn with_stripe(config: &mut Config) {
    config.payments.gateways = vec![GatewayKind::Stripe, GatewayKind::Manual];
    let s = &mut config.payments.stripe;
    s.secret_key = std::env::var("STRIPE_SECRET_KEY").unwrap_or_else(|_| "sk_test_unused".into());
    s.api_base = std::env::var("STRIPE_API_BASE").unwrap_or_else(|_| "http://127.0.0.1:9".into());
    s.publishable_key = "pk_test_schoolhouse".into();
    s.webhook_secret = WEBHOOK_SECRET.into();
}

/// A published course for sale, created straight in the catalogue tables.
pub(crate) async fn course(app: &TestApp, owner: &TestUser, price_cents: i64) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let (cid, owner_id, now) = (id.clone(), owner.id.clone(), app.state.now_text());
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO courses (id, instructor_id, title, slug, price_cents, currency, status, created_at, updated_at) \
                 VALUES (?1, ?2, 'Rust from scratch', ?1, ?3, 'USD', 'published', ?4, ?4)",
                rusqlite::params![cid, owner_id, price_cents, now],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    id
}

/// The buyer's pending order for one course.
pub(crate) async fn order_for(app: &TestApp, buyer: &TestUser, course_id: &str) -> Value {
    order_of(app, buyer, &[course_id]).await
}

/// The buyer's pending order for some courses.
pub(crate) async fn order_of(app: &TestApp, buyer: &TestUser, course_ids: &[&str]) -> Value {
    for course_id in course_ids {
        let (status, body) = app
            .post(
                "/api/cart",
                json!({"item_type": "course", "item_id": course_id}),
                Some(&buyer.token),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, order) = app.post("/api/orders", json!({}), Some(&buyer.token)).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["status"], "pending");
    order
}

pub(crate) async fn enrollment(app: &TestApp, user: &TestUser, course_id: &str) -> Option<String> {
    let (uid, cid) = (user.id.clone(), course_id.to_string());
    app.state
        .db
        .read(move |conn| {
            Ok(schoolhouse::payments::store::enrollment_status(
                conn, &uid, &cid,
            )?)
        })
        .await
        .unwrap()
}

pub(crate) async fn order_status(app: &TestApp, buyer: &TestUser, order_id: &str) -> String {
    let (status, order) = app
        .get(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    order["status"].as_str().unwrap().to_string()
}

/// `who` asks for a refund of the whole order for `reason`: the status and the answer.
pub(crate) async fn ask_refund(
    app: &TestApp,
    who: &TestUser,
    order_id: &str,
    reason: &str,
) -> (StatusCode, Value) {
    app.post(
        "/api/refunds",
        json!({"order_id": order_id, "reason": reason}),
        Some(&who.token),
    )
    .await
}

/// A pending Stripe payment whose PaymentIntent id is `pi`, as if Stripe had answered.
pub(crate) async fn stripe_payment(app: &TestApp, order: &Value, pi: &str) -> String {
    let now = app.state.now_text();
    let payment = Payment {
        id: uuid::Uuid::now_v7().to_string(),
        order_id: order["id"].as_str().unwrap().into(),
        user_id: order["user_id"].as_str().unwrap_or_default().into(),
        gateway: GatewayKind::Stripe,
        status: PaymentStatus::Pending,
        amount_cents: order["total_cents"].as_i64().unwrap(),
        currency: order["currency"].as_str().unwrap().into(),
        refunded_cents: 0,
        transaction_id: Some(pi.into()),
        client_secret: Some(format!("{pi}_secret_x")),
        failure_message: None,
        created_at: now.clone(),
        updated_at: now,
        completed_at: None,
    };
    let id = payment.id.clone();
    app.state
        .db
        .write(move |conn| {
            Ok(schoolhouse::payments::store::insert_payment(
                conn, &payment,
            )?)
        })
        .await
        .unwrap();
    id
}

/// A Stripe event about a PaymentIntent, shaped like the ones Stripe (and the emulator) send.
pub(crate) fn intent_event(
    event_id: &str,
    kind: &str,
    pi: &str,
    amount: i64,
    currency: &str,
) -> String {
    let (status, error) = match kind {
        "payment_intent.succeeded" => ("succeeded", Value::Null),
        _ => (
            "requires_payment_method",
            json!({"type": "card_error", "code": "card_declined", "decline_code": "generic_decline",
                   "message": "Your card was declined."}),
        ),
    };
    json!({
        "api_version": "2026-09-30.endive",
        "created": time::OffsetDateTime::now_utc().unix_timestamp(),
        "data": {"object": {
            "amount": amount, "amount_capturable": 0,
            "amount_received": if status == "succeeded" { amount } else { 0 },
            "application": null, "application_fee_amount": null, "automatic_payment_methods": null,
            "canceled_at": null, "cancellation_reason": null, "capture_method": "automatic_async",
            "client_secret": format!("{pi}_secret_x"), "confirmation_method": "automatic",
            "created": 1795610102, "currency": currency, "customer": null, "description": null,
            "id": pi, "invoice": null, "last_payment_error": error, "latest_charge": null,
            "livemode": false, "metadata": {}, "next_action": null, "object": "payment_intent",
            "on_behalf_of": null, "payment_method": "pm_card_visa", "payment_method_types": ["card"],
            "receipt_email": null, "setup_future_usage": null, "shipping": null,
            "statement_descriptor": null, "statement_descriptor_suffix": null, "status": status,
            "transfer_data": null, "transfer_group": null
        }},
        "id": event_id, "livemode": false, "object": "event", "pending_webhooks": 0,
        "request": {"id": null, "idempotency_key": null}, "type": kind
    })
    .to_string()
}

pub(crate) async fn deliver(app: &TestApp, body: &str, signature: &str) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url("/api/payments/webhook"))
        .header("content-type", "application/json")
        .header("stripe-signature", signature)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) fn sign(body: &str) -> String {
    Webhook::generate_test_header(body, WEBHOOK_SECRET, None)
}

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

pub(crate) fn new_event_id() -> String {
    format!("evt_test_{}", uuid_suffix())
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

/// A course order paid through the manual gateway and confirmed by staff.
pub(crate) async fn manually_paid(
    app: &TestApp,
    admin: &TestUser,
    buyer: &TestUser,
    price: i64,
) -> (String, String, String) {
    let course = course(app, admin, price).await;
    let order = order_for(app, buyer, &course).await;
    let order_id = order["id"].as_str().unwrap().to_string();
    let (status, payment) = app
        .post(
            "/api/payments",
            json!({"order_id": order_id, "gateway": "manual"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    assert_eq!(payment["status"], "pending");
    assert_eq!(payment["amount_cents"], price);
    assert!(
        payment["instructions"]
            .as_str()
            .unwrap()
            .contains("bank transfer")
    );
    let payment_id = payment["id"].as_str().unwrap().to_string();
    let (status, confirmed) = app
        .post(
            &format!("/api/admin/payments/{payment_id}/confirm"),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    assert_eq!(confirmed["status"], "completed");
    (course, order_id, payment_id)
}

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
async fn manual_refund_waits_for_staff_then_revokes_the_course() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (course, order_id, payment_id) = manually_paid(&app, &admin, &buyer, 3000).await;
    let (_, refund) = ask_refund(&app, &buyer, &order_id, "not for me").await;
    assert_eq!(refund["status"], "requested");
    assert_eq!(refund["amount_cents"], 3000);
    assert_eq!(refund["eligibility"]["eligible"], true);
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("active")
    );
    let id = refund["id"].as_str().unwrap();
    let (status, queue) = app
        .get("/api/admin/refunds?status=requested", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue["total"], 1);
    let (status, done) = app
        .post(
            &format!("/api/admin/refunds/{id}/approve"),
            json!({"note": "paid back in cash"}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "processed");
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(order_status(&app, &buyer, &order_id).await, "refunded");
    let (_, payment) = app
        .get(&format!("/api/payments/{payment_id}"), Some(&buyer.token))
        .await;
    assert_eq!(
        (
            payment["status"].as_str(),
            payment["refunded_cents"].as_i64()
        ),
        (Some("refunded"), Some(3000))
    );
    // Nothing is left to refund.
    let (status, problem) = app
        .post(
            "/api/refunds",
            json!({"order_id": order_id, "reason": "again", "amount_cents": 1}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    let (status, problem) = app
        .post(
            &format!("/api/admin/refunds/{id}/reject"),
            json!({"note": "too late"}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
}

#[tokio::test]
async fn refund_after_the_window_is_rejected_with_the_reason() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (course, order_id, _) = manually_paid(&app, &admin, &buyer, 3000).await;
    app.state.clock.advance(time::Duration::days(15));
    let buyer = app.login(&buyer.email, PASSWORD).await;
    let (status, refund) = ask_refund(&app, &buyer, &order_id, "forgot").await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["status"], "rejected");
    assert_eq!(
        refund["eligibility"]["reasons"][0]["code"],
        "outside_window"
    );
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("active")
    );
    // A rejected request does not hold the money: bad amounts are still refused clearly.
    for (amount, expected) in [
        (0, StatusCode::UNPROCESSABLE_ENTITY),
        (3001, StatusCode::CONFLICT),
    ] {
        let (status, problem) = app
            .post(
                "/api/refunds",
                json!({"order_id": order_id, "reason": "x", "amount_cents": amount}),
                Some(&buyer.token),
            )
            .await;
        assert_problem(status, &problem, expected);
    }
}

// --- against the Stripe emulator (localstripe), started by tests/run.sh ----------------

pub(crate) struct Emulator {
    base: String,
    key: String,
    http: reqwest::Client,
}

/// The emulator tests/run.sh started; these tests do not skip themselves without it.
pub(crate) fn emulator() -> Emulator {
    let (Ok(base), Ok(key)) = (
        std::env::var("STRIPE_API_BASE"),
        std::env::var("STRIPE_SECRET_KEY"),
    ) else {
        panic!(
            "STRIPE_API_BASE and STRIPE_SECRET_KEY are not set: the Stripe emulator tests need \
             localstripe; run them through tests/run.sh (it starts the emulator), or start it with \
             tests/support/stripe/start.sh ENV_FILE and export the variables from ENV_FILE"
        );
    };
    Emulator {
        base: base.trim_end_matches('/').into(),
        key,
        http: crate::support::client(),
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl Emulator {
    /// Sends a form-encoded request as the customer's browser (Stripe.js) would.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        pairs: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.key)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(pairs))
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Points the emulator's webhooks at this app (one registration per test app).
    pub(crate) async fn register_webhook(&self, app: &TestApp) {
        let url = app.url("/api/payments/webhook");
        let path = format!("/_config/webhooks/schoolhouse_{}", uuid_suffix());
        let (status, body) = self
            .call(
                reqwest::Method::POST,
                &path,
                &[("url", &url), ("secret", WEBHOOK_SECRET)],
            )
            .await;
        assert!(
            status.is_success(),
            "webhook registration failed: {status} {body}"
        );
    }

    /// Pays a PaymentIntent with a test card the way the card widget would.
    pub(crate) async fn pay(&self, pi: &str, card: &str) -> StatusCode {
        let path = format!("/v1/payment_intents/{pi}");
        let (status, body) = self
            .call(reqwest::Method::POST, &path, &[("payment_method", card)])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        self.call(reqwest::Method::POST, &format!("{path}/confirm"), &[])
            .await
            .0
    }

    pub(crate) async fn refunds_of(&self, pi: &str) -> Vec<Value> {
        let path = format!("/v1/refunds?payment_intent={pi}");
        let (status, body) = self.call(reqwest::Method::GET, &path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["data"].as_array().cloned().unwrap_or_default()
    }
}

/// Polls until the order reaches `want` (webhooks arrive about a second after payment).
pub(crate) async fn wait_for_order(app: &TestApp, buyer: &TestUser, order_id: &str, want: &str) {
    let mut seen = String::new();
    for _ in 0..100 {
        seen = order_status(app, buyer, order_id).await;
        if seen == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("order {order_id} stayed {seen}, expected {want}");
}

pub(crate) async fn start_card_payment(app: &TestApp, buyer: &TestUser, order_id: &str) -> Value {
    let (status, payment) = app
        .post(
            "/api/payments",
            json!({"order_id": order_id, "gateway": "stripe"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    assert!(
        payment["transaction_id"]
            .as_str()
            .unwrap()
            .starts_with("pi_"),
        "{payment}"
    );
    assert!(
        payment["client_secret"]
            .as_str()
            .unwrap()
            .contains("_secret_"),
        "{payment}"
    );
    assert_eq!(payment["publishable_key"], "pk_test_schoolhouse");
    payment
}

#[tokio::test]
async fn scenario_a_card_payment_webhook_pays_the_order_and_enrols_the_buyer() {
    let stripe = emulator();
    let app = spawn_app_with(with_stripe).await;
    stripe.register_webhook(&app).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let course = course(&app, &admin, 4900).await;
    let order = order_for(&app, &buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    let payment = start_card_payment(&app, &buyer, order_id).await;
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
    assert_eq!(stripe.pay(pi, "pm_card_visa").await, StatusCode::OK);
    wait_for_order(&app, &buyer, order_id, "fulfilled").await;
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("active")
    );
    let (_, paid) = app
        .get(
            &format!("/api/payments/{}", payment["id"].as_str().unwrap()),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(paid["status"], "completed");
}

#[tokio::test]
async fn a_declined_card_fails_the_payment_and_the_buyer_can_retry() {
    let stripe = emulator();
    let app = spawn_app_with(with_stripe).await;
    stripe.register_webhook(&app).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let course = course(&app, &admin, 2900).await;
    let order = order_for(&app, &buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    let first = start_card_payment(&app, &buyer, order_id).await;
    let pi = first["transaction_id"].as_str().unwrap();
    assert_eq!(
        stripe.pay(pi, "pm_card_chargeCustomerFail").await,
        StatusCode::PAYMENT_REQUIRED
    );
    let path = format!("/api/payments/{}", first["id"].as_str().unwrap());
    let (_, failed) = app.get(&path, Some(&buyer.token)).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(order_status(&app, &buyer, order_id).await, "pending");
    assert_eq!(enrollment(&app, &buyer, &course).await, None);

    let retry = start_card_payment(&app, &buyer, order_id).await;
    assert_ne!(retry["id"], first["id"]);
    assert_eq!(
        stripe
            .pay(retry["transaction_id"].as_str().unwrap(), "pm_card_visa")
            .await,
        StatusCode::OK
    );
    wait_for_order(&app, &buyer, order_id, "fulfilled").await;
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("active")
    );
}

#[tokio::test]
async fn scenario_b_refunds_go_back_through_stripe_revoke_access_and_never_exceed_the_capture() {
    let stripe = emulator();
    let app = spawn_app_with(with_stripe).await;
    stripe.register_webhook(&app).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let rust = course(&app, &admin, 4900).await;
    let sql = course(&app, &admin, 2900).await;
    let order = order_of(&app, &buyer, &[&rust, &sql]).await;
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
    let payment = start_card_payment(&app, &buyer, order_id).await;
    let pi = payment["transaction_id"].as_str().unwrap();
    assert_eq!(stripe.pay(pi, "pm_card_visa").await, StatusCode::OK);
    wait_for_order(&app, &buyer, order_id, "fulfilled").await;

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
        enrollment(&app, &buyer, &rust).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(
        enrollment(&app, &buyer, &sql).await.as_deref(),
        Some("active")
    );
    assert_eq!(
        order_status(&app, &buyer, order_id).await,
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
    assert_eq!(stripe.refunds_of(pi).await.len(), 1);

    let (_, rest) = ask_refund(&app, &buyer, order_id, "not for me either").await;
    assert_eq!(
        (rest["status"].as_str(), rest["amount_cents"].as_i64()),
        (Some("processed"), Some(2900))
    );
    assert_eq!(
        enrollment(&app, &buyer, &sql).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(order_status(&app, &buyer, order_id).await, "refunded");
    let (_, paid) = app
        .get(
            &format!("/api/payments/{}", payment["id"].as_str().unwrap()),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(
        (paid["status"].as_str(), paid["refunded_cents"].as_i64()),
        (Some("refunded"), Some(7800))
    );
    let at_stripe: i64 = stripe
        .refunds_of(pi)
        .await
        .iter()
        .map(|r| r["amount"].as_i64().unwrap())
        .sum();
    assert_eq!(at_stripe, 7800);
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
    let stripe = emulator();
    let app = spawn_app_with(with_stripe).await; // no webhook registered for this app
    let (admin, buyer) = (app.admin().await, app.student().await);
    let course = course(&app, &admin, 1500).await;
    let order = order_for(&app, &buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    let payment = start_card_payment(&app, &buyer, order_id).await;
    assert_eq!(
        stripe
            .pay(payment["transaction_id"].as_str().unwrap(), "pm_card_visa")
            .await,
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
    let buyer = app.login(&buyer.email, PASSWORD).await;
    assert_eq!(order_status(&app, &buyer, order_id).await, "fulfilled");
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("active")
    );
}

/// A published physical product with `stock` items, created straight in the catalogue.
pub(crate) async fn product(
    app: &TestApp,
    vendor: &TestUser,
    price_cents: i64,
    stock: i64,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let (pid, owner, now) = (id.clone(), vendor.id.clone(), app.state.now_text());
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO products (id, vendor_id, name, slug, kind, price_cents, currency, stock_quantity, status, created_at, updated_at) \
                 VALUES (?1, ?2, 'Schoolhouse mug', ?1, 'physical', ?3, 'USD', ?4, 'published', ?5, ?5)",
                rusqlite::params![pid, owner, price_cents, stock, now],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn cancelling_a_paid_unshipped_order_refunds_it_through_stripe() {
    let stripe = emulator();
    let app = spawn_app_with(with_stripe).await;
    stripe.register_webhook(&app).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let course = course(&app, &admin, 4900).await;
    let mug = product(&app, &admin, 1500, 3).await;
    for (item_type, item_id) in [("course", &course), ("product", &mug)] {
        let (status, body) = app
            .post(
                "/api/cart",
                json!({"item_type": item_type, "item_id": item_id}),
                Some(&buyer.token),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let address = json!({"name": "Ada", "line1": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US"});
    let (status, order) = app
        .post(
            "/api/orders",
            json!({"shipping_address": address, "shipping_method": "standard"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let order_id = order["id"].as_str().unwrap();
    let total = order["total_cents"].as_i64().unwrap();
    let payment = start_card_payment(&app, &buyer, order_id).await;
    let pi = payment["transaction_id"].as_str().unwrap();
    assert_eq!(stripe.pay(pi, "pm_card_visa").await, StatusCode::OK);
    wait_for_order(&app, &buyer, order_id, "paid").await;
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("active")
    );

    let (status, cancelled) = app
        .delete(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("revoked")
    );
    let refunded: i64 = stripe
        .refunds_of(pi)
        .await
        .iter()
        .map(|r| r["amount"].as_i64().unwrap())
        .sum();
    assert_eq!(refunded, total);
    let (_, paid) = app
        .get(
            &format!("/api/payments/{}", payment["id"].as_str().unwrap()),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(paid["status"], "refunded");
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

/// Gives the course `total` required lessons and marks `done` of them complete for the buyer.
async fn progress(app: &TestApp, buyer: &TestUser, course_id: &str, done: usize, total: usize) {
    let (uid, cid, now) = (
        buyer.id.clone(),
        course_id.to_string(),
        app.state.now_text(),
    );
    app.state
        .db
        .write(move |conn| {
            let section = uuid::Uuid::now_v7().to_string();
            conn.execute(
                "INSERT INTO sections (id, course_id, title, position, created_at, updated_at) VALUES (?1, ?2, 'Basics', 1, ?3, ?3)",
                rusqlite::params![section, cid, now],
            )?;
            let enrollment: String = conn.query_row(
                "SELECT id FROM enrollments WHERE user_id = ?1 AND course_id = ?2",
                rusqlite::params![uid, cid],
                |r| r.get(0),
            )?;
            for n in 0..total {
                let lesson = uuid::Uuid::now_v7().to_string();
                conn.execute(
                    "INSERT INTO lessons (id, course_id, section_id, title, content_type, position, created_at, updated_at) \
                     VALUES (?1, ?2, ?3, 'Lesson', 'reading', ?4, ?5, ?5)",
                    rusqlite::params![lesson, cid, section, n as i64, now],
                )?;
                if n < done {
                    conn.execute(
                        "INSERT INTO lesson_progress (enrollment_id, lesson_id, completed_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                        rusqlite::params![enrollment, lesson, now],
                    )?;
                }
            }
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_course_mostly_watched_is_not_refundable_but_one_barely_started_is() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (watched, order_id, _) = manually_paid(&app, &admin, &buyer, 3000).await;
    progress(&app, &buyer, &watched, 2, 3).await;
    let (_, refund) = ask_refund(&app, &buyer, &order_id, "meh").await;
    assert_eq!(refund["status"], "rejected", "{refund}");
    let reason = &refund["eligibility"]["reasons"][0];
    assert_eq!(
        (reason["code"].as_str(), reason["progress_percent"].as_i64()),
        (Some("course_progress_too_high"), Some(66))
    );
    assert_eq!(
        enrollment(&app, &buyer, &watched).await.as_deref(),
        Some("active")
    );

    let (started, order_id, _) = manually_paid(&app, &admin, &buyer, 3000).await;
    progress(&app, &buyer, &started, 1, 4).await;
    let (_, refund) = ask_refund(&app, &buyer, &order_id, "meh").await;
    assert_eq!(
        (
            refund["status"].as_str(),
            refund["eligibility"]["eligible"].as_bool()
        ),
        (Some("requested"), Some(true)),
        "{refund}"
    );
}

#[tokio::test]
async fn a_hand_paid_order_is_cancelled_and_refunded_by_staff_not_the_buyer() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let mug = product(&app, &admin, 1500, 2).await;
    let (status, body) = app
        .post(
            "/api/cart",
            json!({"item_type": "product", "item_id": mug, "quantity": 2}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let address = json!({"name": "Ada", "line1": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US"});
    let (_, order) = app
        .post(
            "/api/orders",
            json!({"shipping_address": address, "shipping_method": "standard"}),
            Some(&buyer.token),
        )
        .await;
    let order_id = order["id"].as_str().unwrap();
    let (_, payment) = app
        .post(
            "/api/payments",
            json!({"order_id": order_id, "gateway": "manual"}),
            Some(&buyer.token),
        )
        .await;
    let payment_id = payment["id"].as_str().unwrap();
    app.post(
        &format!("/api/admin/payments/{payment_id}/confirm"),
        json!({}),
        Some(&admin.token),
    )
    .await;
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
    let (_, paid) = app
        .get(&format!("/api/payments/{payment_id}"), Some(&buyer.token))
        .await;
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
