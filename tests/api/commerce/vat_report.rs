//! The tax report and the quarterly OSS return over a fixture quarter, figures computed by
//! hand, and their reconciliation with the sales analytics to the cent.

use reqwest::StatusCode;
use schoolhouse::http::AppError;
use serde_json::{Value, json};

use super::vat::{buy, eu_app, number};
use super::{course, pay_manually};
use crate::support::{TestApp, TestUser};

/// A new buyer buys `course_id` with `extra` (a paid course enrols, so each sale needs its
/// own buyer), pays it, and its payment is dated `paid_at`.
async fn sold(
    app: &TestApp,
    admin: &TestUser,
    course_id: &str,
    extra: Value,
    paid_at: &str,
) -> Value {
    let buyer = &app.student().await;
    let (status, order) = buy(app, buyer, course_id, extra).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    pay_manually(app, &buyer.token, &admin.token, &order).await;
    let (id, at) = (
        order["id"].as_str().unwrap().to_string(),
        paid_at.to_string(),
    );
    app.state
        .db
        .write(move |conn| {
            conn.execute("UPDATE orders SET paid_at = ?2 WHERE id = ?1", [&id, &at])?;
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
    order
}

/// A processed refund of `amount_cents` of the order (whole order, no lines named).
async fn refunded(app: &TestApp, order: &Value, amount_cents: i64, processed_at: &str) {
    let (order_id, at) = (
        order["id"].as_str().unwrap().to_string(),
        processed_at.to_string(),
    );
    let user = order["user_id"].as_str().unwrap().to_string();
    app.state
        .db
        .write(move |conn| {
            let payment: String =
                conn.query_row("SELECT id FROM payments WHERE order_id = ?1", [&order_id], |r| r.get(0))?;
            conn.execute(
                "INSERT INTO refunds (id, order_id, payment_id, user_id, status, amount_cents, reason,
                    eligibility, created_at, updated_at, processed_at)
                 VALUES (?1, ?2, ?3, ?4, 'processed', ?5, 'fixture', '{}', ?6, ?6, ?6)",
                rusqlite::params![uuid::Uuid::now_v7().to_string(), order_id, payment, user, amount_cents, at],
            )?;
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn the_oss_return_of_a_fixture_quarter_matches_the_hand_computed_figures() {
    let app = eu_app(None).await;
    let admin = app.admin().await;
    let big = course(&app, &admin.id, "Big", 12_000, "published").await;
    let small = course(&app, &admin.id, "Small", 5_000, "published").await;
    let fr = json!({ "billing_country": "FR" });
    // Prices include tax; the school is in Germany.
    let a = sold(&app, &admin, &big, fr.clone(), "2026-01-15T10:00:00Z").await; // FR 20 %: tax 2000
    let b = sold(&app, &admin, &small, fr.clone(), "2026-02-10T10:00:00Z").await; // FR: 5000 - 4167 = 833
    sold(
        &app,
        &admin,
        &big,
        json!({ "billing_country": "HU" }),
        "2026-03-31T23:59:59Z",
    )
    .await; // HU 27 %: 2551
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
    // Half of B back in March: 2500 gross, tax round_half_up(2500 × 833 / 5000) = 417.
    refunded(&app, &b, 2_500, "2026-03-01T12:00:00Z").await;
    // A refund processed after the quarter is not in it.
    refunded(&app, &a, 1_000, "2026-04-02T12:00:00Z").await;

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
            // FR: (12000 - 2000) + (5000 - 833) - (2500 - 417); VAT 2000 + 833 - 417.
            { "country": "FR", "rate_bps": 2000, "taxable_cents": 12_084, "vat_cents": 2_416 },
            { "country": "HU", "rate_bps": 2700, "taxable_cents": 9_449, "vat_cents": 2_551 },
        ])
    );
    assert_eq!(oss["taxable_cents"], 21_533);
    assert_eq!(oss["vat_cents"], 4_967);
    assert_eq!(
        oss["countries"][0],
        json!({ "country": "FR", "taxable_cents": 12_084, "vat_cents": 2_416 })
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
        "country,rate_bps,taxable_cents,vat_cents\nFR,2000,12084,2416\nHU,2700,9449,2551\ntotal,,21533,4967\n"
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
    refunded(&app, &orders[0], 12_345, "2026-05-20T08:00:00Z").await;
    refunded(&app, &orders[1], 333, "2026-05-21T08:00:00Z").await;

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
    assert_eq!(t["sales_cents"], 6 * 12_345);
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
            .starts_with(&format!("total,,,,{},", 6 * 12_345)),
        "{text}"
    );
}
