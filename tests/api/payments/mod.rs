//! Payments and refunds: webhooks, manual and card payments, refunds and their rules; the
//! shared set-ups (a course order, a manual or card payment, a signed webhook) live here.

mod bundle_plans;
mod card;
mod dashboard_refunds;
mod manual;
pub mod memberships;
pub mod memberships_card;
mod memberships_lapse;
pub mod memberships_switch;
mod paypal;
mod paypal_money;
pub mod paypal_peer;
mod refund_rules;
mod staff_refunds;
mod stray_payments;
mod stripe_emulator;
mod webhooks;

pub(crate) use stripe_emulator::{Emulator, emulator};

use reqwest::StatusCode;
use schoolhouse::config::Config;
use schoolhouse::payments::config::GatewayKind;
use schoolhouse::payments::model::{Payment, PaymentStatus};
use serde_json::{Value, json};
use stripe_webhook::Webhook;

use crate::support::{TestApp, TestUser, spawn_app_with, uuid_suffix};

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

pub(crate) fn new_event_id() -> String {
    format!("evt_test_{}", uuid_suffix())
}

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
    let payment = pay_at_the_office(app, admin, buyer, &order_id).await;
    assert_eq!(payment["amount_cents"], price);
    assert!(
        payment["instructions"]
            .as_str()
            .unwrap()
            .contains("bank transfer")
    );
    let payment_id = payment["id"].as_str().unwrap().to_string();
    (course, order_id, payment_id)
}

/// The buyer chooses to pay `order_id` by hand and staff confirm the money arrived: the payment
/// as it was started (pending, with its instructions).
pub(crate) async fn pay_at_the_office(
    app: &TestApp,
    admin: &TestUser,
    buyer: &TestUser,
    order_id: &str,
) -> Value {
    let (status, payment) = app
        .post(
            "/api/payments",
            json!({"order_id": order_id, "gateway": "manual"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    assert_eq!(payment["status"], "pending");
    let payment_id = payment["id"].as_str().unwrap();
    let (status, confirmed) = app
        .post(
            &format!("/api/admin/payments/{payment_id}/confirm"),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    assert_eq!(confirmed["status"], "completed");
    payment
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

/// Polls until the order reaches `want`. The emulator's webhooks arrive about a second after
/// payment, and much later on a loaded machine (a full run once took over 10 s), so the
/// deadline is generous: a passing test returns as soon as the order moves.
pub(crate) async fn wait_for_order(app: &TestApp, buyer: &TestUser, order_id: &str, want: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let seen = order_status(app, buyer, order_id).await;
        if seen == want {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "order {order_id} stayed {seen} for 30 s, expected {want}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
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

/// The one mail of `template` sent to `to`: (subject, text).
pub(crate) async fn only_mail(app: &TestApp, to: &str, template: &str) -> (String, String) {
    let mut found: Vec<(String, String)> = app
        .mails_to(to)
        .await
        .into_iter()
        .filter(|(t, _)| t == template)
        .map(|(_, mail)| (mail.subject, mail.text))
        .collect();
    assert_eq!(found.len(), 1, "expected one {template} mail: {found:?}");
    found.remove(0)
}

/// The audit rows with `action` about `target`, newest first (through the admin API).
pub(crate) async fn audit_rows(
    app: &TestApp,
    admin: &TestUser,
    action: &str,
    target: &str,
) -> Vec<Value> {
    let (status, body) = app
        .get(
            &format!("/api/admin/audit?action={action}&target={target}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().unwrap().clone()
}

/// A shop that takes cards through the emulator, with an admin and a buyer.
pub(crate) struct CardShop {
    pub stripe: Emulator,
    pub app: TestApp,
    pub admin: TestUser,
    pub buyer: TestUser,
}

/// A card-taking shop; with `webhooks` the emulator delivers its events to this app (without,
/// the test signs and delivers them itself, or relies on reconciliation).
pub(crate) async fn card_shop(webhooks: bool) -> CardShop {
    let stripe = emulator();
    let app = spawn_app_with(with_stripe).await;
    if webhooks {
        stripe.register_webhook(&app).await;
    }
    let (admin, buyer) = (app.admin().await, app.student().await);
    CardShop {
        stripe,
        app,
        admin,
        buyer,
    }
}

/// A card payment the buyer started, and the emulator's answer to paying it.
pub(crate) struct CardPayment {
    pub id: String,
    pub pi: String,
    pub paid: StatusCode,
}

impl CardShop {
    /// The buyer starts a card payment of `order_id` and pays it at the emulator with `card`.
    pub(crate) async fn pay(&self, order_id: &str, card: &str) -> CardPayment {
        let payment = start_card_payment(&self.app, &self.buyer, order_id).await;
        let pi = payment["transaction_id"].as_str().unwrap().to_string();
        let paid = self.stripe.pay(&pi, card).await;
        CardPayment {
            id: payment["id"].as_str().unwrap().to_string(),
            pi,
            paid,
        }
    }

    /// The payment as `who` reads it.
    pub(crate) async fn payment(&self, who: &TestUser, id: &str) -> Value {
        payment_of(&self.app, who, id).await
    }
}

/// `GET /api/payments/:id` as `who`, which must answer 200.
pub(crate) async fn payment_of(app: &TestApp, who: &TestUser, id: &str) -> Value {
    let (status, payment) = app
        .get(&format!("/api/payments/{id}"), Some(&who.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{payment}");
    payment
}

/// The address every physical test order ships to.
pub(crate) fn address() -> Value {
    json!({"name": "Ada", "line1": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US"})
}

/// The buyer's pending order of `lines` (`(item_type, item_id, quantity)`), shipped by the
/// standard method.
pub(crate) async fn shipped_order(
    app: &TestApp,
    buyer: &TestUser,
    lines: &[(&str, &str, i64)],
) -> Value {
    for (item_type, item_id, quantity) in lines {
        let (status, body) = app
            .post(
                "/api/cart",
                json!({"item_type": item_type, "item_id": item_id, "quantity": quantity}),
                Some(&buyer.token),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, order) = app
        .post(
            "/api/orders",
            json!({"shipping_address": address(), "shipping_method": "standard"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    order
}
