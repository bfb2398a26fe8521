//! The tax report and the quarterly OSS return over a fixture quarter, figures computed by
//! hand: read from the issued invoices and credit notes (a partial refund, cancellations
//! after payment), equal to the documents and to the sales analytics to the cent.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::vat::{buy, eu_app, number};
use super::{address, course, pay_manually, product};
use crate::support::{PASSWORD, TestApp, TestUser};

/// Moves the app's clock to `at` (RFC 3339): what is done next happens then, so invoices
/// and credit notes (immutable once issued) carry the fixture's dates.
pub fn clock_at(app: &TestApp, at: &str) {
    let target = OffsetDateTime::parse(at, &Rfc3339).unwrap();
    // The clock moves by whole seconds: round up so it never lands before `at`.
    let seconds = (target - app.state.now()).as_seconds_f64().ceil() as i64;
    app.state.clock.advance(time::Duration::seconds(seconds));
}

/// A new buyer buys `course_id` with `extra` at `paid_at` (a paid course enrols, so each
/// sale needs its own buyer) and pays it: the order and its buyer.
async fn sold(
    app: &TestApp,
    admin: &TestUser,
    course_id: &str,
    extra: Value,
    paid_at: &str,
) -> (Value, TestUser) {
    clock_at(app, paid_at);
    let buyer = app.student().await;
    let (status, order) = buy(app, &buyer, course_id, extra).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let paid = pay_manually(app, &buyer.token, &admin.token, &order).await;
    assert_eq!(
        paid["paid_at"].as_str().unwrap()[..10],
        paid_at[..10],
        "{paid}"
    );
    (order, buyer)
}

/// Checkout fields for `course_id` and one physical `workbook` shipped to `country`: a paid
/// order that waits for shipping, so staff can still cancel it (refunding it in full).
fn with_workbook(course_id: &str, workbook: &str, country: &str) -> Value {
    json!({
        "items": [
            { "item_type": "course", "item_id": course_id },
            { "item_type": "product", "item_id": workbook, "quantity": 1 }
        ],
        "billing_country": country,
        "shipping_address": address(country),
    })
}

/// The buyer asks for `amount_cents` back at `at` and an admin approves: a processed refund
/// with its credit note.
async fn refunded(
    app: &TestApp,
    admin: &TestUser,
    sale: &(Value, TestUser),
    amount_cents: i64,
    at: &str,
) {
    clock_at(app, at);
    let (order, buyer) = sale;
    // The buyer's access token from the day of the sale has expired by now.
    let buyer = app.login(&buyer.email, PASSWORD).await;
    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({ "order_id": order["id"], "reason": "fixture", "amount_cents": amount_cents }),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    if refund["status"] != "processed" {
        let path = format!(
            "/api/admin/refunds/{}/approve",
            refund["id"].as_str().unwrap()
        );
        let (status, done) = app.post(&path, json!({}), Some(&admin.token)).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert_eq!(done["status"], "processed", "{done}");
    }
}

/// An admin cancels the paid order at `at`: it is refunded in full and cancelled.
async fn cancelled(app: &TestApp, admin: &TestUser, sale: &(Value, TestUser), at: &str) {
    clock_at(app, at);
    let id = sale.0["id"].as_str().unwrap();
    let (status, body) = app
        .delete(&format!("/api/orders/{id}"), Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, order) = app
        .get(&format!("/api/orders/{id}"), Some(&admin.token))
        .await;
    assert_eq!(order["status"], "cancelled", "{order}");
}

/// `(net, tax, total)` summed over the invoices minus the credit notes issued in the range,
/// as the admin list shows them.
async fn documents_balance(app: &TestApp, admin: &TestUser, range: &str) -> (i64, i64, i64) {
    let (status, list) = app
        .get(
            &format!("/api/admin/invoices?{range}&per_page=100"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .fold((0, 0, 0), |(n, t, g), d| {
            let sign = if d["kind"] == "credit_note" { -1 } else { 1 };
            let cents = |k: &str| sign * d[k].as_i64().unwrap();
            (
                n + cents("net_cents"),
                t + cents("tax_cents"),
                g + cents("total_cents"),
            )
        })
}

#[tokio::test]
async fn the_oss_return_of_a_fixture_quarter_matches_the_hand_computed_figures() {
    let app = eu_app(None).await;
    let admin = app.admin().await;
    let big = course(&app, &admin.id, "Big", 12_000, "published").await;
    let small = course(&app, &admin.id, "Small", 5_000, "published").await;
    let fr = json!({ "billing_country": "FR" });
    let workbook = product(&app, &admin.id, "Workbook", 1_000, "physical", Some(100)).await;
    // Prices include tax; the school is in Germany. Sold in the previous quarter (FR 20 %:
    // tax 5000 - 4167 = 833), refunded in full in this one: its credit note is declared in
    // Q1.
    let h = sold(&app, &admin, &small, fr.clone(), "2025-12-20T10:00:00Z").await;
    refunded(&app, &admin, &h, 5_000, "2026-01-02T10:00:00Z").await;
    sold(&app, &admin, &big, fr.clone(), "2026-01-15T10:00:00Z").await; // FR: tax 2000
    let b = sold(&app, &admin, &small, fr.clone(), "2026-02-10T10:00:00Z").await; // FR: 833
    // Half of B back: 2500, tax round_half_up(833 × 2500 / 5000) = 417 (416.5).
    refunded(&app, &admin, &b, 2_500, "2026-02-11T10:00:00Z").await;
    let c = sold(
        &app,
        &admin,
        &big,
        json!({ "billing_country": "HU" }),
        "2026-03-31T12:00:00Z",
    )
    .await; // HU 27 %: 12000 - 9449 = 2551
    // A refund processed after the quarter is not in it.
    refunded(&app, &admin, &c, 1_000, "2026-04-01T10:00:00Z").await;
    // Sold (the course at IT 22 %: tax 902; a workbook; 500 shipping) and cancelled after
    // payment within the quarter: its credit note takes everything back, nothing is owed.
    let g = sold(
        &app,
        &admin,
        &small,
        with_workbook(&small, &workbook, "IT"),
        "2026-03-01T10:00:00Z",
    )
    .await;
    cancelled(&app, &admin, &g, "2026-03-02T10:00:00Z").await;
    sold(
        &app,
        &admin,
        &big,
        json!({ "billing_country": "DE" }),
        "2026-02-01T10:00:00Z",
    )
    .await; // domestic 1916
    let vat = format!("FR{}", number("3"));
    sold(
        &app,
        &admin,
        &big,
        json!({ "billing_country": "FR", "vat_number": vat }),
        "2026-01-20T10:00:00Z",
    )
    .await; // reverse charge
    sold(
        &app,
        &admin,
        &big,
        json!({ "billing_country": "AT" }),
        "2026-04-01T00:00:00Z",
    )
    .await; // next quarter
    clock_at(&app, "2026-04-02T10:00:00Z");

    let (status, oss) = app
        .get("/api/admin/tax/oss?quarter=2026-Q1", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{oss}");
    assert_eq!(oss["from"], "2026-01-01");
    assert_eq!(oss["to"], "2026-03-31");
    assert_eq!(oss["home_country"], "DE");
    assert_eq!(
        oss["lines"],
        json!([
            // FR: (12000 - 2000) + (5000 - 833) - (2500 - 417) - (5000 - 833), VAT
            // 2000 + 833 - 417 - 833; IT's sale and its cancellation cancel out.
            { "country": "FR", "rate_bps": 2000, "taxable_cents": 7_917, "vat_cents": 1_583 },
            { "country": "HU", "rate_bps": 2700, "taxable_cents": 9_449, "vat_cents": 2_551 },
        ])
    );
    assert_eq!(oss["taxable_cents"], 17_366);
    assert_eq!(oss["vat_cents"], 4_134);
    assert_eq!(
        oss["countries"][0],
        json!({ "country": "FR", "taxable_cents": 7_917, "vat_cents": 1_583 })
    );

    // The tax report of the quarter is the invoices minus the credit notes, to the cent.
    let range = "from=2026-01-01&to=2026-03-31";
    let (_, report) = app
        .get(
            &format!("/api/admin/tax/report?{range}"),
            Some(&admin.token),
        )
        .await;
    let t = &report["totals"];
    let (net, tax, total) = documents_balance(&app, &admin, range).await;
    assert_eq!(t["net_cents"], total, "{report}");
    assert_eq!(t["tax_due_cents"], tax, "{report}");
    assert_eq!(net, total - tax);
    // A, C, D, E (12000 each), B (5000) and G (5000 + 1000 + 500 shipping) sold; half of
    // B, all of H and all of G credited.
    assert_eq!(t["sales_cents"], 4 * 12_000 + 5_000 + 6_500);
    assert_eq!(t["refunds_cents"], 2_500 + 5_000 + 6_500);
    let it = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"] == "IT" && r["rate_bps"] == 2200)
        .unwrap();
    assert_eq!(
        (
            &it["sales_tax_cents"],
            &it["refunds_tax_cents"],
            &it["tax_due_cents"]
        ),
        (&json!(902), &json!(902), &json!(0)),
        "{it}"
    );

    let csv = app
        .client
        .get(app.url("/api/admin/tax/oss?quarter=2026-Q1&format=csv"))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(
        csv.text().await.unwrap(),
        "country,rate_bps,taxable_cents,vat_cents\nFR,2000,7917,1583\nHU,2700,9449,2551\ntotal,,17366,4134\n"
    );
}

#[tokio::test]
async fn the_tax_report_reconciles_with_the_sales_analytics_to_the_cent() {
    let app = eu_app(None).await;
    let admin = app.admin().await;
    let big = course(&app, &admin.id, "Big", 12_345, "published").await;
    let mut orders = Vec::new();
    for (country, day) in [
        ("FR", "05"),
        ("IT", "06"),
        ("DE", "07"),
        ("US", "08"),
        ("SE", "09"),
    ] {
        let at = format!("2026-05-{day}T08:00:00Z");
        orders.push(
            sold(
                &app,
                &admin,
                &big,
                json!({ "billing_country": country }),
                &at,
            )
            .await,
        );
    }
    let vat = format!("NL{}", number("4"));
    sold(
        &app,
        &admin,
        &big,
        json!({ "billing_country": "NL", "vat_number": vat }),
        "2026-05-10T08:00:00Z",
    )
    .await;
    refunded(&app, &admin, &orders[0], 12_345, "2026-05-12T08:00:00Z").await;
    refunded(&app, &admin, &orders[1], 333, "2026-05-13T08:00:00Z").await;
    // Cancelled after payment: sold in the analytics too, and refunded in full.
    let workbook = product(&app, &admin.id, "Workbook", 1_000, "physical", Some(100)).await;
    let cancelled_sale = sold(
        &app,
        &admin,
        &big,
        with_workbook(&big, &workbook, "ES"),
        "2026-05-11T08:00:00Z",
    )
    .await;
    cancelled(&app, &admin, &cancelled_sale, "2026-05-12T08:00:00Z").await;
    clock_at(&app, "2026-06-01T08:00:00Z");

    let range = "from=2026-05-01&to=2026-05-31";
    let (status, report) = app
        .get(
            &format!("/api/admin/tax/report?{range}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let (_, sales) = app
        .get(
            &format!("/api/admin/analytics/sales?{range}"),
            Some(&admin.token),
        )
        .await;
    let t = &report["totals"];
    assert_eq!(t["sales_cents"], sales["totals"]["gross_cents"]);
    assert_eq!(t["refunds_cents"], sales["totals"]["refunds_cents"]);
    assert_eq!(t["net_cents"], sales["totals"]["net_cents"]);
    // Six courses, and the cancelled order's course, workbook and shipping.
    let cancelled_total = 12_345 + 1_000 + 500;
    assert_eq!(t["sales_cents"], 6 * 12_345 + cancelled_total);
    assert_eq!(t["refunds_cents"], 12_345 + 333 + cancelled_total);
    let (_, tax, total) = documents_balance(&app, &admin, range).await;
    assert_eq!(t["net_cents"], total);
    assert_eq!(t["tax_due_cents"], tax);
    // A full refund gives back all of its tax: FR's row owes nothing.
    let fr = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"] == "FR")
        .unwrap();
    assert_eq!(fr["tax_due_cents"], 0);
    let schemes: Vec<&str> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scheme"].as_str().unwrap())
        .collect();
    for scheme in ["oss", "domestic", "reverse_charge", "outside_eu"] {
        assert!(schemes.contains(&scheme), "{scheme} in {schemes:?}");
    }
    let sum = |key: &str| {
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[key].as_i64().unwrap())
            .sum::<i64>()
    };
    assert_eq!(sum("tax_due_cents"), t["tax_due_cents"].as_i64().unwrap());
    assert_eq!(
        sum("sales_cents") - sum("refunds_cents"),
        t["net_cents"].as_i64().unwrap()
    );

    let csv = app
        .client
        .get(app.url(&format!("/api/admin/tax/report?{range}&format=csv")))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with("country,scheme,kind,rate_bps,sales_cents,"),
        "{text}"
    );
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with(&format!("total,,,,{},", 6 * 12_345 + cancelled_total)),
        "{text}"
    );
}
