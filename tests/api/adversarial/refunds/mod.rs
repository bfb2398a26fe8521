//! Refunds and cancellations tried as an attacker would (issue 23): every row names the abuse,
//! checks the answer, and checks that no money moved (refund rows, the emulator's refunds of
//! the PaymentIntent, the payment's refunded sum).

mod fixtures;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::payments::{course, emulator, order_for, start_card_payment, with_stripe};
use crate::support::spawn_app_with;
use fixtures::{all_at_once, card_paid, card_paid_with, ledger, paid_app};

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
