//! Adversarial rows of EU VAT (issue 30): each a way to pay less VAT than owed or to reach
//! the tax figures without the right, asserting the answer and that no order, evidence row
//! or VIES consultation was added beyond what the row allows.

use futures::future::join_all;
use reqwest::StatusCode;
use schoolhouse::http::AppError;
use serde_json::{Value, json};

use crate::commerce::course;
use crate::commerce::vat::{buy, eu_app, evidence, number, order_count, vies_url};
use crate::support::TestApp;

struct Row {
    sentence: &'static str,
    body: Value,
    status: StatusCode,
    field: Option<&'static str>,
}

async fn evidence_count(app: &TestApp) -> i64 {
    app.state
        .db
        .read(|conn| {
            Ok::<_, AppError>(conn.query_row(
                "SELECT COUNT(*) FROM order_tax_evidence",
                [],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap()
}

/// How often the VIES stand-in was asked about `full` (prefix and number).
async fn vies_asked(full: &str) -> i64 {
    let counts: Value = reqwest::get(format!("{}/__requests", vies_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    counts[full].as_i64().unwrap_or(0)
}

#[tokio::test]
async fn checkout_abuses_of_eu_vat_are_refused_and_write_nothing() {
    // The client's address (127.0.0.1) is in Germany per the IP file.
    let app = eu_app(Some("127.0.0.0,127.255.255.255,DE\n")).await;
    let admin = app.admin().await;
    let course_id = course(&app, &admin.id, "Course", 10_000, "published").await;
    let buyer = app.student().await;
    let invalid = format!("FR{}", number("000"));
    let rows = [
        Row {
            sentence: "a consumer in Germany may not claim Luxembourg's lower rate by typing LU as billing country",
            body: json!({ "billing_country": "LU" }),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            field: Some("billing_country"),
        },
        Row {
            sentence: "leaving the billing country out does not dodge the destination rate",
            body: json!({}),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            field: Some("billing_country"),
        },
        Row {
            sentence: "a valid French VAT number does not earn the reverse charge for a German billing country",
            body: json!({ "billing_country": "DE", "vat_number": format!("FR{}", number("5")) }),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            field: Some("vat_number"),
        },
        Row {
            sentence: "a VAT number VIES calls invalid earns nothing and is refused",
            body: json!({ "billing_country": "FR", "vat_number": invalid }),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            field: Some("vat_number"),
        },
        Row {
            sentence: "a VAT number outside the EU is refused before VIES is asked",
            body: json!({ "billing_country": "DE", "vat_number": "US123456789" }),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            field: Some("vat_number"),
        },
        Row {
            sentence: "a Greek number written with GR instead of EL is refused before VIES is asked",
            body: json!({ "billing_country": "GR", "vat_number": "GR094014201" }),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            field: Some("vat_number"),
        },
    ];
    for row in &rows {
        let (status, body) = buy(&app, &buyer, &course_id, row.body.clone()).await;
        assert_eq!(status, row.status, "{}: {body}", row.sentence);
        if let Some(field) = row.field {
            assert_eq!(
                body["errors"][0]["field"], field,
                "{}: {body}",
                row.sentence
            );
        }
        assert_eq!(
            order_count(&app).await,
            0,
            "{}: no order written",
            row.sentence
        );
        assert_eq!(
            evidence_count(&app).await,
            0,
            "{}: no evidence written",
            row.sentence
        );
    }
    assert_eq!(vies_asked("US123456789").await, 0);
    assert_eq!(
        vies_asked(&invalid).await,
        1,
        "VIES asked once for the invalid number"
    );
}

#[tokio::test]
async fn fields_a_buyer_adds_cannot_switch_the_reverse_charge_on() {
    let app = eu_app(None).await;
    let admin = app.admin().await;
    let course_id = course(&app, &admin.id, "Course", 12_000, "published").await;
    let buyer = app.student().await;
    let (status, order) = buy(
        &app,
        &buyer,
        &course_id,
        json!({ "billing_country": "FR", "reverse_charge": true, "tax_cents": 0, "tax_rate_bps": 0 }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["tax_cents"], 2000, "still taxed at France's 20 %");
    let e = evidence(&app, order["id"].as_str().unwrap()).await;
    assert_eq!(e["reverse_charge"], false);
}

#[tokio::test]
async fn only_admins_read_the_tax_figures_or_start_a_recheck() {
    let app = eu_app(None).await;
    let student = app.student().await;
    let instructor = app
        .user(
            schoolhouse::users::Role::Instructor,
            "teach-vat@example.com",
        )
        .await;
    for user in [&student, &instructor] {
        for path in [
            "/api/admin/tax/report",
            "/api/admin/tax/oss?quarter=2026-Q1",
        ] {
            let (status, _) = app.get(path, Some(&user.token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        }
        let (status, _) = app
            .post("/api/admin/tax/vies-recheck", json!({}), Some(&user.token))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let admin = app.admin().await;
    for (path, field) in [
        ("/api/admin/tax/oss", "quarter"),
        ("/api/admin/tax/oss?quarter=2026-Q5", "quarter"),
        ("/api/admin/tax/report?format=xlsx", "format"),
        (
            "/api/admin/tax/report?from=2026-02-01&to=2026-01-01",
            "from",
        ),
    ] {
        let (status, body) = app.get(path, Some(&admin.token)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(body["errors"][0]["field"], field, "{path}");
    }
}

#[tokio::test]
async fn twenty_parallel_checkouts_each_keep_their_own_buyers_treatment() {
    let app = eu_app(None).await;
    let admin = app.admin().await;
    let course_id = course(&app, &admin.id, "Course", 12_000, "published").await;
    let buyer = app.student().await;
    let bodies: Vec<Value> = (0..20)
        .map(|i| {
            if i % 2 == 0 {
                json!({ "billing_country": "FR", "vat_number": format!("FR{}", number("6")) })
            } else {
                json!({ "billing_country": "FR" })
            }
        })
        .collect();
    let answers = join_all(
        bodies
            .iter()
            .map(|b| buy(&app, &buyer, &course_id, b.clone())),
    )
    .await;
    for ((status, order), body) in answers.iter().zip(&bodies) {
        assert_eq!(*status, StatusCode::CREATED, "{order}");
        let business = body.get("vat_number").is_some();
        let e = evidence(&app, order["id"].as_str().unwrap()).await;
        assert_eq!(e["reverse_charge"], business, "{order}");
        assert_eq!(
            e["vat_number"],
            body.get("vat_number").cloned().unwrap_or(Value::Null)
        );
        assert_eq!(order["tax_cents"], if business { 0 } else { 2000 });
    }
    assert_eq!(order_count(&app).await, 20);
    assert_eq!(evidence_count(&app).await, 20);
}
