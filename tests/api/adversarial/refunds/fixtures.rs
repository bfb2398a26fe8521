//! What the refund rows stand on: a card-paid order through localstripe and the ledger
//! that says whether money moved.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::commerce::{add, product};
use crate::payments::{
    Emulator, course, emulator, start_card_payment, wait_for_order, with_stripe,
};
use crate::support::{TestApp, TestUser, spawn_app_with};

/// A card-paid order of a PDF (700), a course (2900) and, when asked, a mug (1500 + shipping).
pub(super) struct Paid {
    pub(super) order_id: String,
    pub(super) pdf_item: String,
    pub(super) course_item: String,
    pub(super) mug_item: Option<String>,
    pub(super) course_id: String,
    pub(super) payment_id: String,
    pub(super) pi: String,
    pub(super) total: i64,
}

/// What says whether money moved: (refund rows of the order, refunded at Stripe, the
/// payment's refunded_cents, the order's status).
pub(super) type Ledger = (i64, i64, i64, String);

pub(super) async fn ledger(app: &TestApp, stripe: &Emulator, paid: &Paid) -> Ledger {
    let at_stripe = stripe
        .refunds_of(&paid.pi)
        .await
        .iter()
        .map(|r| r["amount"].as_i64().unwrap())
        .sum();
    let (order, payment) = (paid.order_id.clone(), paid.payment_id.clone());
    let (rows, refunded, status) = app
        .state
        .db
        .read(move |conn| {
            Ok((
                conn.query_row(
                    "SELECT COUNT(*) FROM refunds WHERE order_id = ?1",
                    [&order],
                    |r| r.get(0),
                )?,
                conn.query_row(
                    "SELECT refunded_cents FROM payments WHERE id = ?1",
                    [&payment],
                    |r| r.get(0),
                )?,
                conn.query_row("SELECT status FROM orders WHERE id = ?1", [&order], |r| {
                    r.get(0)
                })?,
            ))
        })
        .await
        .unwrap();
    (rows, at_stripe, refunded, status)
}

/// A published PDF with a file attached, so it can be downloaded.
pub(super) async fn pdf(app: &TestApp, vendor: &TestUser) -> String {
    crate::commerce::digital_with_file(app, &vendor.id, "Rust cheat sheet", 700).await
}

fn item_of(order: &Value, item_id: &str) -> String {
    order["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_id"] == item_id)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The buyer's card-paid order; the PDF is downloaded when `downloaded`.
pub(super) async fn card_paid(
    app: &TestApp,
    stripe: &Emulator,
    admin: &TestUser,
    buyer: &TestUser,
    with_mug: bool,
    downloaded: bool,
) -> Paid {
    card_paid_with(app, stripe, admin, buyer, with_mug, downloaded, None).await
}

/// `card_paid`, with a coupon code entered at checkout.
pub(super) async fn card_paid_with(
    app: &TestApp,
    stripe: &Emulator,
    admin: &TestUser,
    buyer: &TestUser,
    with_mug: bool,
    downloaded: bool,
    coupon: Option<&str>,
) -> Paid {
    let pdf = pdf(app, admin).await;
    let course_id = course(app, admin, 2900).await;
    add(app, &buyer.token, "product", &pdf, 1).await;
    add(app, &buyer.token, "course", &course_id, 1).await;
    let mug = if with_mug {
        let mug = product(app, &admin.id, "Mug", 1500, "physical", Some(5)).await;
        add(app, &buyer.token, "product", &mug, 1).await;
        Some(mug)
    } else {
        None
    };
    let address = json!({"name": "Ada", "line1": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US"});
    let mut body = if with_mug {
        json!({"shipping_address": address, "shipping_method": "standard"})
    } else {
        json!({})
    };
    if let Some(code) = coupon {
        body["coupon_code"] = json!(code);
    }
    let (status, order) = app.post("/api/orders", body, Some(&buyer.token)).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let order_id = order["id"].as_str().unwrap().to_string();
    let total = order["total_cents"].as_i64().unwrap();
    if !with_mug && coupon.is_none() {
        assert_eq!(total, 3600, "{order}");
    }
    let payment = start_card_payment(app, buyer, &order_id).await;
    let pi = payment["transaction_id"].as_str().unwrap().to_string();
    assert_eq!(stripe.pay(&pi, "pm_card_visa").await, StatusCode::OK);
    let paid_status = if with_mug { "paid" } else { "fulfilled" };
    wait_for_order(app, buyer, &order_id, paid_status).await;
    let pdf_item = item_of(&order, &pdf);
    if downloaded {
        let path = format!("/api/orders/{order_id}/items/{pdf_item}/download");
        let (status, body) = app.get(&path, Some(&buyer.token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    Paid {
        course_item: item_of(&order, &course_id),
        mug_item: mug.as_deref().map(|m| item_of(&order, m)),
        pdf_item,
        course_id,
        payment_id: payment["id"].as_str().unwrap().to_string(),
        order_id,
        pi,
        total,
    }
}

/// Sends every request at once as `who`; the answers in order.
pub(super) async fn all_at_once(
    app: &TestApp,
    who: &TestUser,
    requests: Vec<(reqwest::Method, String, Option<Value>)>,
) -> Vec<(StatusCode, Value)> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(method, path, body)| {
            let mut request = app
                .client
                .request(method, app.url(&path))
                .bearer_auth(&who.token);
            if let Some(body) = body {
                request = request.json(&body);
            }
            tokio::spawn(async move {
                let response = request.send().await.unwrap();
                let status = response.status();
                (status, response.json().await.unwrap_or(Value::Null))
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

pub(super) async fn paid_app() -> (TestApp, Emulator, TestUser, TestUser) {
    let stripe = emulator();
    let app = spawn_app_with(with_stripe).await;
    stripe.register_webhook(&app).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    (app, stripe, admin, buyer)
}
