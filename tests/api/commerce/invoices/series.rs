//! The two series under load: 32 payments at once, then 32 refunds racing 32 more payments;
//! every number is taken once, none is skipped.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use super::{counts, seller, series};
use crate::payments::{course, order_for};
use crate::support::{TestApp, TestUser, spawn_app_with};

/// `n` buyers, each with a pending order for the course and a started manual payment: the
/// buyers with their (order id, payment id).
pub(super) async fn waiting(
    app: &TestApp,
    admin: &TestUser,
    n: usize,
) -> Vec<(TestUser, String, String)> {
    let course = course(app, admin, 2500).await;
    let mut out = Vec::new();
    for _ in 0..n {
        let buyer = app.student().await;
        let order = order_for(app, &buyer, &course).await;
        let order_id = order["id"].as_str().unwrap().to_string();
        let (status, payment) = app
            .post(
                "/api/payments",
                json!({"order_id": order_id, "gateway": "manual"}),
                Some(&buyer.token),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{payment}");
        out.push((buyer, order_id, payment["id"].as_str().unwrap().to_string()));
    }
    out
}

/// POST `path` with an empty JSON body (owning the path, so many can be in flight).
async fn post_empty(app: &TestApp, token: &str, path: String) -> (StatusCode, serde_json::Value) {
    app.post(&path, json!({}), Some(token)).await
}

pub(super) fn gap_free(seqs: &[i64], n: usize) {
    assert_eq!(
        seqs,
        (1..=n as i64).collect::<Vec<_>>(),
        "no gap and no duplicate"
    );
}

#[tokio::test]
async fn thirty_two_concurrent_payments_and_refunds_leave_both_series_unbroken() {
    let app = spawn_app_with(seller).await;
    let admin = app.admin().await;
    let first = waiting(&app, &admin, 32).await;
    let confirms = first.iter().map(|(_, _, payment)| {
        post_empty(
            &app,
            &admin.token,
            format!("/api/admin/payments/{payment}/confirm"),
        )
    });
    for (status, body) in join_all(confirms).await {
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    gap_free(&series(&app, "invoice").await, 32);

    let second = waiting(&app, &admin, 32).await;
    let mut refund_ids = Vec::new();
    for (buyer, order_id, _) in &first {
        let (status, refund) = app
            .post(
                "/api/refunds",
                json!({"order_id": order_id, "reason": "load test"}),
                Some(&buyer.token),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{refund}");
        refund_ids.push(refund["id"].as_str().unwrap().to_string());
    }
    let approvals = refund_ids.iter().map(|id| {
        post_empty(
            &app,
            &admin.token,
            format!("/api/admin/refunds/{id}/approve"),
        )
    });
    let payments = second.iter().map(|(_, _, payment)| {
        post_empty(
            &app,
            &admin.token,
            format!("/api/admin/payments/{payment}/confirm"),
        )
    });
    let (approved, paid) = tokio::join!(join_all(approvals), join_all(payments));
    for (status, body) in approved.into_iter().chain(paid) {
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    gap_free(&series(&app, "invoice").await, 64);
    gap_free(&series(&app, "credit_note").await, 32);

    // Confirming again (a retried request) issues nothing more.
    let again = first.iter().take(20).map(|(_, _, payment)| {
        post_empty(
            &app,
            &admin.token,
            format!("/api/admin/payments/{payment}/confirm"),
        )
    });
    for (status, body) in join_all(again).await {
        assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    }
    let (invoices, credit_notes, _) = counts(&app).await;
    assert_eq!((invoices, credit_notes), (64, 32));
    gap_free(&series(&app, "invoice").await, 64);
}
