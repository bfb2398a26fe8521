//! Refunds beyond the basics: staff overriding a rejection, the buyer's refund mails,
//! downloaded digital goods, money arriving for a cancelled order, and the order and refund
//! fields the web UI shows.

use reqwest::StatusCode;
use schoolhouse::http::AppError;
use serde_json::{Value, json};

use crate::commerce::{add, checkout};
use crate::payments::{
    ask_refund, course, deliver, emulator, enrollment, intent_event, manually_paid, new_event_id,
    order_for, order_status, sign, start_card_payment, with_stripe,
};
use crate::support::{PASSWORD, TestApp, TestUser, assert_problem, spawn_app, spawn_app_with};

/// The one mail of `template` sent to `to`: (subject, text).
async fn only_mail(app: &TestApp, to: &str, template: &str) -> (String, String) {
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
async fn audit_rows(app: &TestApp, admin: &TestUser, action: &str, target: &str) -> Vec<Value> {
    let (status, body) = app
        .get(
            &format!("/api/admin/audit?action={action}&target={target}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_admin_can_approve_a_rejected_refund_by_hand_once() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (course, order_id, _) = manually_paid(&app, &admin, &buyer, 3000).await;
    app.state.clock.advance(time::Duration::days(15));
    let (admin, buyer) = (
        app.login(&admin.email, PASSWORD).await,
        app.login(&buyer.email, PASSWORD).await,
    );
    let (status, refund) = ask_refund(&app, &buyer, &order_id, "I was travelling").await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["status"], "rejected");
    let number = refund["order_number"].as_str().unwrap().to_string();
    assert!(number.starts_with("SH-"), "{refund}");
    assert_eq!(refund["currency"], "USD");
    let (subject, text) = only_mail(&app, &buyer.email, "refund_requested").await;
    assert!(subject.contains(&number), "{subject}");
    assert!(
        text.contains("cannot be granted") && text.contains("within 14 days"),
        "{text}"
    );

    let id = refund["id"].as_str().unwrap();
    let approve = format!("/api/admin/refunds/{id}/approve");
    let (status, _) = app
        .post(&approve, json!({"note": "mine now"}), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, done) = app
        .post(
            &approve,
            json!({"note": "hospital stay, paid back in cash"}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "processed");
    assert_eq!(done["decision_note"], "hospital stay, paid back in cash");
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(order_status(&app, &buyer, &order_id).await, "refunded");

    let rows = audit_rows(&app, &admin, "refund.override", id).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["actor_id"], admin.id.as_str());
    assert_eq!(
        rows[0]["detail"]["original_reasons"][0]["code"],
        "outside_window"
    );
    assert_eq!(rows[0]["detail"]["from"], "rejected");
    let (subject, text) = only_mail(&app, &buyer.email, "refund_processed").await;
    assert_eq!(subject, format!("We refunded 30.00 USD for order {number}"));
    assert!(text.contains("I was travelling"), "{text}");

    // Processed is final: approving again changes nothing.
    let (status, problem) = app.post(&approve, json!({}), Some(&admin.token)).await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    assert_eq!(audit_rows(&app, &admin, "refund.*", id).await.len(), 3);
}

#[tokio::test]
async fn a_request_waiting_for_review_and_its_rejection_are_mailed_to_the_buyer() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (_, order_id, payment_id) = manually_paid(&app, &admin, &buyer, 2500).await;
    let (_, refund) = ask_refund(&app, &buyer, &order_id, "not what I expected").await;
    assert_eq!(refund["status"], "requested", "{refund}");
    let (_, text) = only_mail(&app, &buyer.email, "refund_requested").await;
    assert!(text.contains("waiting for review"), "{text}");
    assert!(text.contains("25.00 USD"), "{text}");

    let (status, queue) = app
        .get("/api/admin/refunds?status=requested", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue["items"][0]["order_number"], refund["order_number"]);
    assert_eq!(queue["items"][0]["currency"], "USD");

    let id = refund["id"].as_str().unwrap();
    let (status, rejected) = app
        .post(
            &format!("/api/admin/refunds/{id}/reject"),
            json!({"note": "you finished half the course"}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rejected}");
    let (subject, text) = only_mail(&app, &buyer.email, "refund_rejected").await;
    assert!(subject.contains("was not approved"), "{subject}");
    assert!(text.contains("you finished half the course"), "{text}");
    let (_, own) = app
        .get(&format!("/api/refunds/{id}"), Some(&buyer.token))
        .await;
    assert_eq!(
        (own["order_number"].clone(), own["currency"].clone()),
        (refund["order_number"].clone(), json!("USD"))
    );

    // The order page lists its payment for staff.
    let (_, order) = app
        .get(&format!("/api/orders/{order_id}"), Some(&admin.token))
        .await;
    let payments = order["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 1, "{order}");
    assert_eq!(payments[0]["id"], payment_id.as_str());
    assert_eq!(payments[0]["gateway"], "manual");
    assert_eq!(payments[0]["status"], "completed");
    assert_eq!(payments[0]["amount_cents"], 2500);
}

/// A published digital product with a file attached; returns its id.
async fn ebook(app: &TestApp, vendor: &TestUser) -> String {
    crate::commerce::digital_with_file(app, &vendor.id, "Rust pocket guide", 1200).await
}

/// The buyer's order for the e-book, paid by hand; returns (order id, item id).
async fn paid_ebook_order(
    app: &TestApp,
    admin: &TestUser,
    buyer: &TestUser,
    ebook: &str,
) -> (String, String) {
    add(app, &buyer.token, "product", ebook, 1).await;
    let order = checkout(app, &buyer.token).await;
    let order_id = order["id"].as_str().unwrap().to_string();
    let item_id = order["items"][0]["id"].as_str().unwrap().to_string();
    let download = format!("/api/orders/{order_id}/items/{item_id}/download");
    let (status, problem) = app.get(&download, Some(&buyer.token)).await;
    assert_problem(status, &problem, StatusCode::CONFLICT); // not paid yet
    let (_, payment) = app
        .post(
            "/api/payments",
            json!({"order_id": order_id, "gateway": "manual"}),
            Some(&buyer.token),
        )
        .await;
    let (status, body) = app
        .post(
            &format!(
                "/api/admin/payments/{}/confirm",
                payment["id"].as_str().unwrap()
            ),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (order_id, item_id)
}

#[tokio::test]
async fn a_downloaded_digital_product_can_no_longer_be_refunded() {
    let app = spawn_app().await;
    let (admin, buyer, other) = (app.admin().await, app.student().await, app.student().await);
    let ebook = ebook(&app, &admin).await;
    let (order_id, item_id) = paid_ebook_order(&app, &admin, &buyer, &ebook).await;
    let download = format!("/api/orders/{order_id}/items/{item_id}/download");

    let (status, problem) = app.get(&download, Some(&other.token)).await;
    assert_problem(status, &problem, StatusCode::NOT_FOUND);
    let (status, first) = app.get(&download, Some(&buyer.token)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert!(
        first["url"].as_str().unwrap().starts_with("/media/"),
        "{first}"
    );
    app.state.clock.advance(time::Duration::hours(1));
    let (admin, buyer) = (
        app.login(&admin.email, PASSWORD).await,
        app.login(&buyer.email, PASSWORD).await,
    );
    let (_, again) = app.get(&download, Some(&buyer.token)).await;
    assert_eq!(again["first_downloaded_at"], first["first_downloaded_at"]);

    let (status, refund) = ask_refund(&app, &buyer, &order_id, "wrong book").await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["status"], "rejected");
    assert_eq!(
        refund["eligibility"]["reasons"][0]["code"],
        "digital_item_downloaded"
    );
    assert_eq!(order_status(&app, &buyer, &order_id).await, "fulfilled");

    // The same book bought again and never opened is refundable; once a refund is asked
    // for, it cannot be downloaded any more.
    let (order_id, item_id) = paid_ebook_order(&app, &admin, &buyer, &ebook).await;
    let (_, refund) = ask_refund(&app, &buyer, &order_id, "bought it twice").await;
    assert_eq!(refund["eligibility"]["eligible"], true, "{refund}");
    assert_eq!(refund["status"], "requested");
    let (status, problem) = app
        .get(
            &format!("/api/orders/{order_id}/items/{item_id}/download"),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
}

#[tokio::test]
async fn money_arriving_for_a_cancelled_order_is_refunded_automatically() {
    let stripe = emulator();
    let app = spawn_app_with(with_stripe).await; // webhooks come from the test, signed
    let (admin, buyer) = (app.admin().await, app.student().await);
    let course = course(&app, &admin, 4900).await;
    let order = order_for(&app, &buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    let payment = start_card_payment(&app, &buyer, order_id).await;
    let pi = payment["transaction_id"].as_str().unwrap();
    let (status, cancelled) = app
        .delete(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    // The buyer still completes the card form in another tab.
    assert_eq!(stripe.pay(pi, "pm_card_visa").await, StatusCode::OK);

    let event = intent_event(&new_event_id(), "payment_intent.succeeded", pi, 4900, "usd");
    let (status, ack) = deliver(&app, &event, &sign(&event)).await;
    assert_eq!(status, StatusCode::OK, "{ack}");
    assert_eq!(ack["outcome"], "order_not_payable");
    let at_stripe = stripe.refunds_of(pi).await;
    assert_eq!(at_stripe.len(), 1, "{at_stripe:?}");
    assert_eq!(at_stripe[0]["amount"], 4900);

    let payment_path = format!("/api/payments/{}", payment["id"].as_str().unwrap());
    let (_, paid) = app.get(&payment_path, Some(&buyer.token)).await;
    assert_eq!(
        (paid["status"].as_str(), paid["refunded_cents"].as_i64()),
        (Some("refunded"), Some(4900))
    );
    assert_eq!(order_status(&app, &buyer, order_id).await, "cancelled");
    assert_eq!(enrollment(&app, &buyer, &course).await, None);
    let (_, queue) = app
        .get(
            &format!("/api/admin/refunds?order_id={order_id}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(queue["total"], 1, "{queue}");
    let refund = &queue["items"][0];
    assert_eq!(refund["status"], "processed");
    assert_eq!(refund["amount_cents"], 4900);
    assert_eq!(refund["order_number"], order["number"]);
    let refund_id = refund["id"].as_str().unwrap();
    let requested = audit_rows(&app, &admin, "refund.requested", refund_id).await;
    assert_eq!(requested[0]["detail"]["automatic"], true, "{requested:?}");
    assert_eq!(
        audit_rows(&app, &admin, "refund.processed", refund_id)
            .await
            .len(),
        1
    );
    let (_, text) = only_mail(&app, &buyer.email, "refund_processed").await;
    assert!(
        text.contains("49.00 USD") && text.contains("cancelled"),
        "{text}"
    );

    // Stripe delivering the event again refunds nothing more.
    let (_, ack) = deliver(&app, &event, &sign(&event)).await;
    assert_eq!(ack["outcome"], "duplicate");
    assert_eq!(stripe.refunds_of(pi).await.len(), 1);
}

#[tokio::test]
async fn an_automatic_refund_left_unsent_goes_out_with_the_next_reconciliation() {
    use schoolhouse::commerce::service::Actor;
    use schoolhouse::payments::gateway::IntentState;
    use schoolhouse::payments::service::{Applied, apply_intent, reconcile};
    let stripe = emulator();
    let app = spawn_app_with(with_stripe).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let course = course(&app, &admin, 2500).await;
    let order = order_for(&app, &buyer, &course).await;
    let order_id = order["id"].as_str().unwrap();
    let payment = start_card_payment(&app, &buyer, order_id).await;
    let pi = payment["transaction_id"].as_str().unwrap().to_string();
    let (status, _) = app
        .delete(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stripe.pay(&pi, "pm_card_visa").await, StatusCode::OK);
    // The webhook's transaction commits, then the server stops before sending the refund.
    let (lookup, now) = (pi.clone(), app.state.now_text());
    let applied = app
        .state
        .db
        .write(move |conn| {
            let payment = schoolhouse::payments::store::payment_by_transaction(conn, &lookup)?
                .ok_or(AppError::NotFound("payment"))?;
            let money = IntentState::Succeeded {
                amount_cents: 2500,
                currency: "USD".into(),
            };
            apply_intent(conn, &payment, &money, &Actor::default(), &now)
        })
        .await
        .unwrap();
    assert_eq!(applied, Applied::OrderNotPayable);
    assert_eq!(reconcile(&app.state, app.state.now()).await.unwrap(), 0);
    assert!(stripe.refunds_of(&pi).await.is_empty(), "sent too early");

    app.state.clock.advance(time::Duration::minutes(11));
    assert_eq!(reconcile(&app.state, app.state.now()).await.unwrap(), 1);
    let refunds = stripe.refunds_of(&pi).await;
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(refunds[0]["amount"], 2500);
    let buyer = app.login(&buyer.email, PASSWORD).await;
    let (_, paid) = app
        .get(
            &format!("/api/payments/{}", payment["id"].as_str().unwrap()),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(paid["status"], "refunded");
    assert_eq!(reconcile(&app.state, app.state.now()).await.unwrap(), 0);
}
