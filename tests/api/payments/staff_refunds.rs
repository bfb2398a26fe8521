//! Refunds handled by staff: overriding a rejection, the buyer's refund mails, downloaded
//! digital goods, and the refund fields the order page and the queue show.

use reqwest::StatusCode;
use serde_json::json;

use super::{audit_rows, only_mail};
use crate::commerce::product;
use crate::commerce::{add, checkout};
use crate::payments::{ask_refund, enrollment, manually_paid, order_status};
use crate::support::{PASSWORD, TestApp, TestUser, assert_problem, spawn_app, spawn_app_with};

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
    assert_eq!(subject, format!("We refunded $30.00 for order {number}"));
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
    assert!(text.contains("$25.00"), "{text}");

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
async fn the_buyer_follows_a_refund_on_the_order_and_the_queue_opens_on_what_needs_staff() {
    use crate::commerce::{checkout, pay_manually};
    let app = spawn_app_with(|config| {
        config.refunds.return_instructions = "Post it to: Lab 2, 1 School Lane".into();
    })
    .await;
    let admin = app.admin().await;
    let buyer = app.student().await;
    let kettle = product(&app, &admin.id, "Kettle", 2500, "physical", Some(10)).await;
    add(&app, &buyer.token, "product", &kettle, 1).await;
    let order = checkout(&app, &buyer.token).await;
    pay_manually(&app, &buyer.token, &admin.token, &order).await;
    let order_id = order["id"].as_str().unwrap();

    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({ "order_id": order_id, "reason": "It leaks." }),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["status"], "return_requested", "{refund}");

    let (_, seen) = app
        .get(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    let listed = &seen["refunds"][0];
    assert_eq!(listed["id"], refund["id"]);
    assert_eq!(listed["status"], "return_requested");
    assert_eq!(listed["item_ids"], json!([seen["items"][0]["id"]]));
    let (_, settings) = app.get("/api/settings", None).await;
    assert_eq!(
        settings["return_instructions"],
        "Post it to: Lab 2, 1 School Lane"
    );

    // A decided request leaves the "needs action" queue; a waiting one is in it.
    let (_, waiting) = app
        .get("/api/admin/refunds?needs_action=true", Some(&admin.token))
        .await;
    assert_eq!(waiting["total"], 1, "{waiting}");
    let (status, _) = app
        .post(
            &format!(
                "/api/admin/refunds/{}/reject",
                refund["id"].as_str().unwrap()
            ),
            json!({ "note": "Used for a term." }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, waiting) = app
        .get("/api/admin/refunds?needs_action=true", Some(&admin.token))
        .await;
    assert_eq!(waiting["total"], 0, "{waiting}");
    let (_, everything) = app.get("/api/admin/refunds", Some(&admin.token)).await;
    assert_eq!(everything["total"], 1);
    let (_, seen) = app
        .get(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(seen["refunds"][0]["status"], "rejected");
    assert_eq!(seen["refunds"][0]["decision_note"], "Used for a term.");
}
