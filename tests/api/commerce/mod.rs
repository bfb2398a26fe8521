//! Cart, checkout pricing and orders, driven over HTTP; catalogue rows are inserted directly.

mod bundle_products;
pub mod bundle_revocation;
pub mod bundles;
mod buy_now;
mod cart;
mod coupons;
pub(crate) mod invoices;
mod orders;
mod paid_path;
mod shipping;
mod status;
pub(crate) mod vat;
mod vat_card;
mod vat_report;

use schoolhouse::http::AppError;
use serde_json::{Value, json};

use crate::support::TestApp;

/// Inserts a product; `kind` is "physical" or "digital", `stock` None means unlimited.
pub async fn product(
    app: &TestApp,
    vendor_id: &str,
    name: &str,
    price_cents: i64,
    kind: &str,
    stock: Option<i64>,
) -> String {
    product_with_status(app, vendor_id, name, price_cents, kind, stock, "published").await
}

pub async fn product_with_status(
    app: &TestApp,
    vendor_id: &str,
    name: &str,
    price_cents: i64,
    kind: &str,
    stock: Option<i64>,
    status: &str,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let (pid, vendor, name, kind, status) = (
        id.clone(),
        vendor_id.to_string(),
        name.to_string(),
        kind.to_string(),
        status.to_string(),
    );
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO products (id, vendor_id, name, slug, kind, price_cents, currency,
                    stock_quantity, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?1, ?4, ?5, 'USD', ?6, ?7, '2026-01-01T00:00:00Z',
                    '2026-01-01T00:00:00Z')",
                rusqlite::params![pid, vendor, name, kind, price_cents, stock, status],
            )?;
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
    id
}

pub async fn course(
    app: &TestApp,
    instructor_id: &str,
    title: &str,
    price_cents: i64,
    status: &str,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let (cid, instructor, title, status) = (
        id.clone(),
        instructor_id.to_string(),
        title.to_string(),
        status.to_string(),
    );
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO courses (id, instructor_id, title, slug, price_cents, currency, status,
                    created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?1, ?4, 'USD', ?5, '2026-01-01T00:00:00Z',
                    '2026-01-01T00:00:00Z')",
                rusqlite::params![cid, instructor, title, price_cents, status],
            )?;
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
    id
}

pub async fn enroll(app: &TestApp, user_id: &str, course_id: &str) {
    let (user, course) = (user_id.to_string(), course_id.to_string());
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO enrollments (id, user_id, course_id, status, source, enrolled_at,
                    updated_at)
                 VALUES (?1, ?2, ?3, 'active', 'manual', '2026-01-01T00:00:00Z',
                    '2026-01-01T00:00:00Z')",
                rusqlite::params![uuid::Uuid::now_v7().to_string(), user, course],
            )?;
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
}

pub async fn set_price(app: &TestApp, product_id: &str, price_cents: i64) {
    let id = product_id.to_string();
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "UPDATE products SET price_cents = ?2 WHERE id = ?1",
                rusqlite::params![id, price_cents],
            )?;
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
}

pub async fn stock(app: &TestApp, product_id: &str) -> Option<i64> {
    let id = product_id.to_string();
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
}

/// Adds `quantity` of a product to the user's cart, asserting success.
pub async fn add(
    app: &TestApp,
    token: &str,
    item_type: &str,
    item_id: &str,
    quantity: i64,
) -> Value {
    let (status, body) = app
        .post(
            "/api/cart",
            json!({ "item_type": item_type, "item_id": item_id, "quantity": quantity }),
            Some(token),
        )
        .await;
    assert_eq!(status, 201, "add to cart failed: {body}");
    body
}

pub fn address(country: &str) -> Value {
    json!({
        "name": "Ada Lovelace", "line1": "1 Analytical St", "city": "London",
        "postal_code": "N1 9GU", "country": country
    })
}

/// Checks out the user's cart with a shipping address, asserting 201.
pub async fn checkout(app: &TestApp, token: &str) -> Value {
    let (status, body) = app
        .post(
            "/api/orders",
            json!({ "shipping_address": address("GB") }),
            Some(token),
        )
        .await;
    assert_eq!(status, 201, "checkout failed: {body}");
    body
}

/// Pays an order the one way staff can: the buyer starts a manual payment and an admin
/// confirms it. Returns the order as the admin then sees it.
pub async fn pay_manually(
    app: &TestApp,
    buyer_token: &str,
    admin_token: &str,
    order: &Value,
) -> Value {
    let order_id = order["id"].as_str().unwrap();
    let (status, payment) = app
        .post(
            "/api/payments",
            json!({ "order_id": order_id, "gateway": "manual" }),
            Some(buyer_token),
        )
        .await;
    assert!(
        status.is_success(),
        "manual payment failed to start: {payment}"
    );
    let path = format!(
        "/api/admin/payments/{}/confirm",
        payment["id"].as_str().unwrap()
    );
    let (status, body) = app.post(&path, json!({}), Some(admin_token)).await;
    assert_eq!(status, 200, "confirming the manual payment failed: {body}");
    let (_, order) = app
        .get(&format!("/api/orders/{order_id}"), Some(admin_token))
        .await;
    order
}

/// A published digital product with a downloadable PDF attached; returns its id.
pub async fn digital_with_file(
    app: &TestApp,
    vendor_id: &str,
    name: &str,
    price_cents: i64,
) -> String {
    let id = product(app, vendor_id, name, price_cents, "digital", None).await;
    let (pid, owner) = (id.clone(), vendor_id.to_string());
    app.state
        .db
        .write(move |conn| {
            let media = uuid::Uuid::now_v7().to_string();
            conn.execute(
                "INSERT INTO media (id, sha256, mime, size_bytes, original_name, owner_id, created_at)
                 VALUES (?1, 'abcd', 'application/pdf', 4, 'file.pdf', ?2, '2026-01-01T00:00:00Z')",
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
