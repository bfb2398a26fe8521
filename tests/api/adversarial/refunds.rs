//! Refunds and cancellations tried as an attacker would (issue 23): every row names the abuse,
//! checks the answer, and checks that no money moved (refund rows, the emulator's refunds of
//! the PaymentIntent, the payment's refunded sum).

use reqwest::StatusCode;
use schoolhouse::http::AppError;
use serde_json::{Value, json};

use crate::commerce::{add, product};
use crate::payments::{
    Emulator, course, emulator, order_for, start_card_payment, wait_for_order, with_stripe,
};
use crate::support::{TestApp, TestUser, spawn_app_with};

/// A card-paid order of a PDF (700), a course (2900) and, when asked, a mug (1500 + shipping).
struct Paid {
    order_id: String,
    pdf_item: String,
    course_item: String,
    mug_item: Option<String>,
    course_id: String,
    payment_id: String,
    pi: String,
    total: i64,
}

/// What says whether money moved: (refund rows of the order, refunded at Stripe, the
/// payment's refunded_cents, the order's status).
type Ledger = (i64, i64, i64, String);

async fn ledger(app: &TestApp, stripe: &Emulator, paid: &Paid) -> Ledger {
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
async fn pdf(app: &TestApp, vendor: &TestUser) -> String {
    let id = product(app, &vendor.id, "Rust cheat sheet", 700, "digital", None).await;
    let (pid, owner) = (id.clone(), vendor.id.clone());
    app.state
        .db
        .write(move |conn| {
            let media = uuid::Uuid::now_v7().to_string();
            conn.execute(
                "INSERT INTO media (id, sha256, mime, size_bytes, original_name, owner_id, created_at)
                 VALUES (?1, 'abcd', 'application/pdf', 4, 'sheet.pdf', ?2, '2026-01-01T00:00:00Z')",
                rusqlite::params![media, owner],
            )?;
            conn.execute(
                "UPDATE products SET download_media_id = ?2 WHERE id = ?1",
                rusqlite::params![pid, media],
            )?;
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
    id
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
async fn card_paid(
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
async fn card_paid_with(
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
async fn all_at_once(
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

async fn paid_app() -> (TestApp, Emulator, TestUser, TestUser) {
    let stripe = emulator();
    let app = spawn_app_with(with_stripe).await;
    stripe.register_webhook(&app).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    (app, stripe, admin, buyer)
}

/// One abuse of `POST /api/refunds` and the answer it must get.
struct Row {
    sentence: &'static str,
    /// Sent by another student instead of the buyer.
    by_other: bool,
    body: Value,
    status: StatusCode,
    /// The `refundable_cents` the refusal must name.
    refundable: Option<i64>,
}

#[tokio::test]
async fn refund_requests_asking_more_than_their_items_paid_move_no_money() {
    let (app, stripe, admin, buyer) = paid_app().await;
    let other = app.student().await;
    let paid = card_paid(&app, &stripe, &admin, &buyer, false, true).await;
    let foreign_order = order_for(&app, &other, &paid.course_id).await;
    let foreign_item = foreign_order["items"][0]["id"].as_str().unwrap();
    let order = paid.order_id.as_str();
    let ask = |extra: Value| {
        let mut body = json!({"order_id": order, "reason": "changed my mind"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let rows = vec![
        Row {
            sentence: "a refund naming the course may not ask for the PDF's money too",
            by_other: false,
            body: ask(json!({"item_ids": [paid.course_item], "amount_cents": 3600})),
            status: StatusCode::CONFLICT,
            refundable: Some(2900),
        },
        Row {
            sentence: "a refund naming the course may not ask for one cent more than it paid",
            by_other: false,
            body: ask(json!({"item_ids": [paid.course_item], "amount_cents": 2901})),
            status: StatusCode::CONFLICT,
            refundable: Some(2900),
        },
        Row {
            sentence: "a refund naming no items may ask at most what the eligible items paid",
            by_other: false,
            body: ask(json!({"amount_cents": 3600})),
            status: StatusCode::CONFLICT,
            refundable: Some(2900),
        },
        Row {
            sentence: "naming the same item twice does not double what it paid",
            by_other: false,
            body: ask(
                json!({"item_ids": [paid.course_item, paid.course_item], "amount_cents": 5800}),
            ),
            status: StatusCode::CONFLICT,
            refundable: Some(2900),
        },
        Row {
            sentence: "an item of someone else's order is not an item of this one",
            by_other: false,
            body: ask(json!({"item_ids": [foreign_item]})),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            refundable: None,
        },
        Row {
            sentence: "an unknown item id is refused",
            by_other: false,
            body: ask(json!({"item_ids": ["no-such-item"]})),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            refundable: None,
        },
        Row {
            sentence: "an empty item list is refused, not read as the whole order",
            by_other: false,
            body: ask(json!({"item_ids": []})),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            refundable: None,
        },
        Row {
            sentence: "a zero amount is refused",
            by_other: false,
            body: ask(json!({"item_ids": [paid.course_item], "amount_cents": 0})),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            refundable: None,
        },
        Row {
            sentence: "a negative amount is refused",
            by_other: false,
            body: ask(json!({"item_ids": [paid.course_item], "amount_cents": -2900})),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            refundable: None,
        },
        Row {
            sentence: "the largest amount there is gets no further than the items' share",
            by_other: false,
            body: ask(json!({"amount_cents": i64::MAX})),
            status: StatusCode::CONFLICT,
            refundable: Some(2900),
        },
        Row {
            sentence: "an amount too large for any integer is refused as the wrong type",
            by_other: false,
            body: ask(json!({"amount_cents": 1e30})),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            refundable: None,
        },
        Row {
            sentence: "another student cannot ask for a refund of this order",
            by_other: true,
            body: ask(json!({"item_ids": [paid.course_item]})),
            status: StatusCode::NOT_FOUND,
            refundable: None,
        },
    ];
    let before = ledger(&app, &stripe, &paid).await;
    assert_eq!(before, (0, 0, 0, "fulfilled".to_string()));
    for row in &rows {
        let token = if row.by_other { &other } else { &buyer };
        let (status, body) = app
            .post("/api/refunds", row.body.clone(), Some(&token.token))
            .await;
        assert_eq!(status, row.status, "{}: {body}", row.sentence);
        if let Some(refundable) = row.refundable {
            assert_eq!(body["refundable_cents"], refundable, "{}", row.sentence);
        }
        assert_eq!(
            ledger(&app, &stripe, &paid).await,
            before,
            "{}",
            row.sentence
        );
    }

    // What the rule allows still works: the course alone, for exactly what it paid.
    let (status, refund) = app
        .post(
            "/api/refunds",
            ask(json!({"item_ids": [paid.course_item]})),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(
        (refund["status"].as_str(), refund["amount_cents"].as_i64()),
        (Some("processed"), Some(2900)),
        "{refund}"
    );
    let after = ledger(&app, &stripe, &paid).await;
    assert_eq!((after.0, after.1, after.2), (1, 2900, 2900));
}

#[tokio::test]
async fn a_discounted_item_gives_back_its_discounted_share_and_no_more() {
    let (app, stripe, admin, buyer) = paid_app().await;
    let (status, coupon) = app
        .post(
            "/api/admin/coupons",
            json!({"code": "five", "fixed_cents": 500}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{coupon}");
    let paid = card_paid_with(&app, &stripe, &admin, &buyer, false, false, Some("FIVE")).await;
    // 500 off 3600 shared by largest remainder: the PDF 97, the course 403.
    assert_eq!(paid.total, 3100);
    let ask = |items: Value, amount: Option<i64>| {
        let mut body =
            json!({"order_id": paid.order_id, "reason": "discounted", "item_ids": items});
        if let Some(amount) = amount {
            body["amount_cents"] = json!(amount);
        }
        body
    };
    let (status, problem) = app
        .post(
            "/api/refunds",
            ask(json!([paid.course_item]), Some(2900)),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["refundable_cents"], 2497, "{problem}");
    assert_eq!(ledger(&app, &stripe, &paid).await.0, 0);
    for (items, cents) in [
        (json!([paid.course_item]), 2497),
        (json!([paid.pdf_item]), 603),
    ] {
        let (status, refund) = app
            .post("/api/refunds", ask(items, None), Some(&buyer.token))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{refund}");
        assert_eq!(
            (refund["status"].as_str(), refund["amount_cents"].as_i64()),
            (Some("processed"), Some(cents)),
            "{refund}"
        );
    }
    let (rows, at_stripe, refunded, status) = ledger(&app, &stripe, &paid).await;
    assert_eq!(
        (rows, at_stripe, refunded, status.as_str()),
        (2, 3100, 3100, "refunded")
    );
}

#[tokio::test]
async fn a_downloaded_pdf_refused_then_overridden_by_staff_is_audited_with_its_reasons() {
    let (app, stripe, admin, buyer) = paid_app().await;
    let paid = card_paid(&app, &stripe, &admin, &buyer, false, true).await;
    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({"order_id": paid.order_id, "reason": "wrong file", "item_ids": [paid.pdf_item]}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(
        (refund["status"].as_str(), refund["amount_cents"].as_i64()),
        (Some("rejected"), Some(700)),
        "{refund}"
    );
    let (rows, at_stripe, refunded, _) = ledger(&app, &stripe, &paid).await;
    assert_eq!((rows, at_stripe, refunded), (1, 0, 0));

    let id = refund["id"].as_str().unwrap();
    let (status, done) = app
        .post(
            &format!("/api/admin/refunds/{id}/approve"),
            json!({"note": "the file was corrupt"}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "processed", "{done}");
    let (_, at_stripe, refunded, _) = ledger(&app, &stripe, &paid).await;
    assert_eq!((at_stripe, refunded), (700, 700));
    let (status, audit) = app
        .get(
            &format!("/api/admin/audit?action=refund.override&target={id}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let row = &audit["items"][0];
    assert_eq!(row["actor_id"], admin.id.as_str(), "{audit}");
    assert_eq!(
        row["detail"]["original_reasons"][0]["code"], "digital_item_downloaded",
        "{audit}"
    );
}

#[tokio::test]
async fn twenty_parallel_refund_requests_never_pay_back_more_than_the_refundable_sum() {
    let (app, stripe, admin, buyer) = paid_app().await;
    let paid = card_paid(&app, &stripe, &admin, &buyer, false, true).await;
    let requests = (0..24)
        .map(|n| {
            let body = if n % 2 == 0 {
                json!({"order_id": paid.order_id, "reason": "race", "item_ids": [paid.course_item]})
            } else {
                json!({"order_id": paid.order_id, "reason": "race", "amount_cents": 2900})
            };
            (
                reqwest::Method::POST,
                "/api/refunds".to_string(),
                Some(body),
            )
        })
        .collect();
    let answers = all_at_once(&app, &buyer, requests).await;
    let mut processed = 0;
    for (status, body) in &answers {
        match *status {
            StatusCode::CREATED if body["status"] == "processed" => {
                processed += 1;
                assert_eq!(body["amount_cents"], 2900, "{body}");
            }
            StatusCode::CREATED => assert_eq!(body["status"], "rejected", "{body}"),
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(processed, 1, "{answers:?}");
    let (_, at_stripe, refunded, _) = ledger(&app, &stripe, &paid).await;
    assert_eq!((at_stripe, refunded), (2900, 2900));
}

#[tokio::test]
async fn a_buyer_cannot_cancel_a_paid_order_whose_pdf_was_downloaded() {
    let (app, stripe, admin, buyer) = paid_app().await;
    let paid = card_paid(&app, &stripe, &admin, &buyer, true, true).await;
    let before = ledger(&app, &stripe, &paid).await;
    assert_eq!(before, (0, 0, 0, "paid".to_string()));
    let (status, problem) = app
        .delete(
            &format!("/api/orders/{}", paid.order_id),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(
        problem["reasons"][0]["code"], "digital_item_downloaded",
        "{problem}"
    );
    assert_eq!(ledger(&app, &stripe, &paid).await, before);
    assert_eq!(
        crate::payments::enrollment(&app, &buyer, &paid.course_id)
            .await
            .as_deref(),
        Some("active")
    );
}

#[tokio::test]
async fn a_buyer_cancelling_an_eligible_paid_order_gets_back_exactly_what_it_paid() {
    let (app, stripe, admin, buyer) = paid_app().await;
    let paid = card_paid(&app, &stripe, &admin, &buyer, true, false).await;
    assert!(paid.mug_item.is_some());
    let (status, order) = app
        .delete(
            &format!("/api/orders/{}", paid.order_id),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    let (rows, at_stripe, refunded, status) = ledger(&app, &stripe, &paid).await;
    assert_eq!(
        (rows, at_stripe, refunded, status.as_str()),
        (1, paid.total, paid.total, "cancelled")
    );
}

#[tokio::test]
async fn staff_cancelling_an_ineligible_paid_order_is_an_override_audited_with_its_reasons() {
    let (app, stripe, admin, buyer) = paid_app().await;
    let paid = card_paid(&app, &stripe, &admin, &buyer, true, true).await;
    let (status, order) = app
        .delete(
            &format!("/api/orders/{}", paid.order_id),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    let (rows, at_stripe, refunded, status) = ledger(&app, &stripe, &paid).await;
    assert_eq!(
        (rows, at_stripe, refunded, status.as_str()),
        (1, paid.total, paid.total, "cancelled")
    );
    let (_, queue) = app
        .get(
            &format!("/api/admin/refunds?order_id={}", paid.order_id),
            Some(&admin.token),
        )
        .await;
    let refund_id = queue["items"][0]["id"].as_str().unwrap();
    let (status, audit) = app
        .get(
            &format!("/api/admin/audit?action=refund.override&target={refund_id}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let row = &audit["items"][0];
    assert_eq!(row["actor_id"], admin.id.as_str(), "{audit}");
    assert_eq!(row["detail"]["from"], "cancellation", "{audit}");
    assert_eq!(
        row["detail"]["original_reasons"][0]["code"], "digital_item_downloaded",
        "{audit}"
    );
}

#[tokio::test]
async fn a_pending_card_payment_is_rechecked_at_stripe_at_most_once_per_interval() {
    let stripe = emulator();
    // No webhook: only the buyer's status check can learn that the card was charged.
    let app = spawn_app_with(with_stripe).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let course = course(&app, &admin, 1500).await;
    let order = order_for(&app, &buyer, &course).await;
    let payment = start_card_payment(&app, &buyer, order["id"].as_str().unwrap()).await;
    let path = format!("/api/payments/{}", payment["id"].as_str().unwrap());
    let (_, seen) = app.get(&path, Some(&buyer.token)).await;
    assert_eq!(seen["status"], "pending");
    let pi = payment["transaction_id"].as_str().unwrap();
    assert_eq!(stripe.pay(pi, "pm_card_visa").await, StatusCode::OK);

    // Twenty checks within the interval: none reaches Stripe, so none sees the payment.
    let checks = (0..20)
        .map(|_| (reqwest::Method::GET, path.clone(), None))
        .collect();
    for (status, seen) in all_at_once(&app, &buyer, checks).await {
        assert_eq!(status, StatusCode::OK, "{seen}");
        assert_eq!(seen["status"], "pending", "{seen}");
    }
    let interval = app.state.config.payments.recheck_interval_seconds;
    assert_eq!(interval, 10);
    app.state
        .clock
        .advance(time::Duration::seconds(interval as i64));
    let (_, seen) = app.get(&path, Some(&buyer.token)).await;
    assert_eq!(seen["status"], "completed", "{seen}");
}
