//! Invoices and credit notes (issue 30): issued with the payment and the refund, read back
//! from their archived PDFs, listed and zipped for staff; series under load and a crash.

mod crash;
mod documents;
mod logo;
mod pdf_text;
mod series;

pub use pdf_text::pdf_text;

use reqwest::StatusCode;
use schoolhouse::config::Config;
use schoolhouse::http::AppError;
use serde_json::{Value, json};

use crate::payments::{course, order_for, pay_at_the_office};
use crate::support::{TestApp, TestUser};

/// A seller identity, 19 % tax added to prices, and the default number formats.
pub fn seller(config: &mut Config) {
    let i = &mut config.invoices;
    i.legal_name = "Riverside School Ltd".into();
    i.address = vec!["1 High Street".into(), "London N1 9GU".into()];
    i.vat_number = "GB123456789".into();
    i.registration = "Registered in England No. 01234567".into();
    i.footer = "Thank you for learning with us".into();
    config.tax.default_rate_bps = 1900;
}

/// The year numbers carry (the app's clock).
pub fn year(app: &TestApp) -> String {
    app.state.now_text()[..4].to_string()
}

/// A course for `price` bought by `buyer` and paid at the office: the order id.
pub async fn paid_course(app: &TestApp, admin: &TestUser, buyer: &TestUser, price: i64) -> String {
    let course = course(app, admin, price).await;
    let order = order_for(app, buyer, &course).await;
    let order_id = order["id"].as_str().unwrap().to_string();
    pay_at_the_office(app, admin, buyer, &order_id).await;
    order_id
}

/// The order's documents as `who` sees them.
pub async fn documents(app: &TestApp, who: &TestUser, order_id: &str) -> (StatusCode, Value) {
    app.get(
        &format!("/api/orders/{order_id}/invoices"),
        Some(&who.token),
    )
    .await
}

/// GET `path` as raw bytes: the status, the content type and the body.
pub async fn bytes(app: &TestApp, token: &str, path: &str) -> (StatusCode, String, Vec<u8>) {
    let (status, headers, body) = app.get_bytes(path, token).await;
    let kind = headers
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_string())
        .unwrap_or_default();
    (status, kind, body)
}

/// The buyer asks for a full refund of a manual payment and an admin approves it: the refund.
pub async fn refunded(app: &TestApp, admin: &TestUser, buyer: &TestUser, order_id: &str) -> Value {
    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({"order_id": order_id, "reason": "changed my mind"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    let id = refund["id"].as_str().unwrap();
    let (status, done) = app
        .post(
            &format!("/api/admin/refunds/{id}/approve"),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "processed", "{done}");
    done
}

/// The sequence numbers of `kind` ("invoice" or "credit_note"), in order.
pub async fn series(app: &TestApp, kind: &str) -> Vec<i64> {
    let kind = kind.to_string();
    app.state
        .db
        .read(move |conn| {
            Ok::<_, AppError>(
                conn.prepare("SELECT seq FROM invoices WHERE kind = ?1 ORDER BY seq")?
                    .query_map([kind], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?,
            )
        })
        .await
        .unwrap()
}

/// How many invoices and credit notes exist, and how many archived files.
pub async fn counts(app: &TestApp) -> (i64, i64, i64) {
    app.state
        .db
        .read(|conn| {
            let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
            Ok::<_, AppError>((
                n("SELECT COUNT(*) FROM invoices WHERE kind = 'invoice'")?,
                n("SELECT COUNT(*) FROM invoices WHERE kind = 'credit_note'")?,
                n("SELECT COUNT(*) FROM invoice_files")?,
            ))
        })
        .await
        .unwrap()
}

/// Text without whitespace, so line breaks in extraction do not matter.
pub fn squashed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts `text` holds each of `wanted` (whitespace ignored).
pub fn assert_says(text: &str, wanted: &[&str]) {
    let text = squashed(text);
    for w in wanted {
        assert!(
            text.contains(&squashed(w)),
            "the PDF does not say {w:?}:\n{text}"
        );
    }
}
