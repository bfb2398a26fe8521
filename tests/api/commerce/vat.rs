//! EU VAT at checkout (issue 30): destination rates for consumers, VAT numbers checked
//! through the VIES stand-in (valid, invalid, unavailable, timeout), the reverse charge, the
//! re-check of numbers VIES could not answer, and the tax report and OSS return.

use reqwest::StatusCode;
use schoolhouse::config::commerce::EuVatConfig;
use schoolhouse::http::AppError;
use serde_json::{Value, json};

use super::course;
use crate::support::{TestApp, TestUser, spawn_app_with, uuid_suffix};

/// The VIES stand-in tests/support/vies/start.sh runs; a missing peer fails the test.
pub fn vies_url() -> String {
    std::env::var("VIES_URL").expect(
        "VIES_URL is not set: start the VIES stand-in (tests/support/vies/start.sh) and \
         source its env file, as tests/run.sh does",
    )
}

/// EU VAT on for a school in Germany, prices including tax, VIES through the stand-in,
/// and the IP file `ip_csv` when given. The VIES timeout (4 s) stays under the stand-in's
/// 5 s "slow" answer but leaves room for many parallel checkouts on a loaded CI machine.
pub async fn eu_app(ip_csv: Option<&str>) -> TestApp {
    eu_app_with_vies_timeout(ip_csv, 4000).await
}

/// [`eu_app`] with its own VIES timeout in milliseconds.
pub async fn eu_app_with_vies_timeout(ip_csv: Option<&str>, vies_timeout_ms: u64) -> TestApp {
    let url = vies_url();
    let ip_file = ip_csv.map(|csv| {
        let path = std::env::temp_dir().join(format!("schoolhouse-ip-{}.csv", uuid_suffix()));
        std::fs::write(&path, csv).unwrap();
        path
    });
    spawn_app_with(move |cfg| {
        cfg.tax.prices_include_tax = true;
        cfg.orders.max_open_orders = 100;
        cfg.tax.eu_vat = EuVatConfig {
            enabled: true,
            home_country: "DE".into(),
            vies_url: url,
            vies_timeout_ms,
            requester_vat_number: Some("DE999999999".into()),
            ip_country_file: ip_file,
            ..EuVatConfig::default()
        };
    })
    .await
}

/// The first digits by which the VIES stand-in chooses an answer other than "valid"
/// (tests/support/vies/standin.py).
const STAND_IN_ANSWERS: [&str; 5] = ["000", "503", "429", "408", "777"];

/// A random VAT number body starting with `lead` (the stand-in answers by its first
/// digits): it starts with one of the stand-in's special prefixes only when `lead` does,
/// so that `number("4")` never draws a "429..." or "408..." by chance.
pub fn number(lead: &str) -> String {
    loop {
        let digits: String = uuid::Uuid::new_v4()
            .as_u128()
            .to_string()
            .chars()
            .take(11 - lead.len())
            .collect();
        let number = format!("{lead}{digits}");
        let by_chance = STAND_IN_ANSWERS
            .iter()
            .any(|p| number.starts_with(p) && !lead.starts_with(p));
        if !by_chance {
            return number;
        }
    }
}

/// Buys `course_id` now with the given checkout fields.
pub async fn buy(
    app: &TestApp,
    user: &TestUser,
    course_id: &str,
    extra: Value,
) -> (StatusCode, Value) {
    let mut body = json!({ "items": [{ "item_type": "course", "item_id": course_id }] });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    app.post("/api/orders", body, Some(&user.token)).await
}

/// The evidence row of an order as JSON (null when none).
pub async fn evidence(app: &TestApp, order_id: &str) -> Value {
    let id = order_id.to_string();
    app.state
        .db
        .read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT country, evidence_pieces, vat_number, vies_status, vies_consultation,
                    vies_error, reverse_charge, scheme, ip_country, vies_rechecks
                 FROM order_tax_evidence WHERE order_id = ?1",
            )?;
            let mut rows = stmt.query([id])?;
            Ok::<_, AppError>(match rows.next()? {
                None => Value::Null,
                Some(r) => json!({
                    "country": r.get::<_, String>(0)?,
                    "pieces": r.get::<_, i64>(1)?,
                    "vat_number": r.get::<_, Option<String>>(2)?,
                    "vies_status": r.get::<_, Option<String>>(3)?,
                    "consultation": r.get::<_, Option<String>>(4)?,
                    "vies_error": r.get::<_, Option<String>>(5)?,
                    "reverse_charge": r.get::<_, bool>(6)?,
                    "scheme": r.get::<_, String>(7)?,
                    "ip_country": r.get::<_, Option<String>>(8)?,
                    "rechecks": r.get::<_, i64>(9)?,
                }),
            })
        })
        .await
        .unwrap()
}

/// How many orders exist (to show a refused checkout wrote nothing).
pub async fn order_count(app: &TestApp) -> i64 {
    app.state
        .db
        .read(|conn| {
            Ok::<_, AppError>(conn.query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0))?)
        })
        .await
        .unwrap()
}

async fn setup(ip_csv: Option<&str>) -> (TestApp, TestUser, String) {
    let app = eu_app(ip_csv).await;
    let teacher = app.admin().await;
    let course_id = course(&app, &teacher.id, "Rust for schools", 12_000, "published").await;
    let buyer = app.student().await;
    (app, buyer, course_id)
}

#[tokio::test]
async fn a_consumer_in_another_member_state_is_taxed_at_their_countrys_rate() {
    let (app, buyer, course_id) = setup(None).await;
    for (country, rate, tax) in [("FR", 2000, 2000), ("HU", 2700, 2551), ("DE", 1900, 1916)] {
        let (status, order) = buy(
            &app,
            &buyer,
            &course_id,
            json!({ "billing_country": country }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        assert_eq!(order["items"][0]["tax_rate_bps"], rate, "{country}");
        // 120.00 including tax: 12000 - round(12000 / (1 + rate)).
        assert_eq!(order["tax_cents"], tax, "{country}");
        assert_eq!(order["total_cents"], 12_000);
        let e = evidence(&app, order["id"].as_str().unwrap()).await;
        assert_eq!(e["country"], country);
        assert_eq!(e["pieces"], 1);
        assert_eq!(e["reverse_charge"], false);
        let scheme = if country == "DE" { "domestic" } else { "oss" };
        assert_eq!(e["scheme"], scheme);
    }
}

#[tokio::test]
async fn billing_and_ip_country_that_agree_are_kept_as_two_pieces_of_evidence() {
    let (app, buyer, course_id) = setup(Some("127.0.0.0,127.255.255.255,AT\n")).await;
    let (status, order) = buy(&app, &buyer, &course_id, json!({ "billing_country": "at" })).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["items"][0]["tax_rate_bps"], 2000);
    let e = evidence(&app, order["id"].as_str().unwrap()).await;
    assert_eq!(
        (e["country"].as_str(), e["pieces"].as_i64()),
        (Some("AT"), Some(2))
    );
    assert_eq!(e["ip_country"], "AT");
}

#[tokio::test]
async fn erasing_the_buyer_drops_the_ip_address_but_keeps_the_tax_evidence() {
    let (app, buyer, course_id) = setup(Some("127.0.0.0,127.255.255.255,AT\n")).await;
    let (status, order) = buy(&app, &buyer, &course_id, json!({ "billing_country": "AT" })).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let order_id = order["id"].as_str().unwrap().to_string();
    let ip = || {
        let id = order_id.clone();
        async {
            app.state
                .db
                .read(move |conn| {
                    Ok(conn.query_row(
                        "SELECT ip_address FROM order_tax_evidence WHERE order_id = ?1",
                        [id],
                        |r| r.get::<_, Option<String>>(0),
                    )?)
                })
                .await
                .unwrap()
        }
    };
    assert!(
        ip().await.is_some(),
        "the IP address was evidence at checkout"
    );
    let (status, body) = app
        .call(
            reqwest::Method::DELETE,
            "/api/users/me",
            Some(json!({ "password": crate::support::PASSWORD })),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(ip().await, None);
    let e = evidence(&app, &order_id).await;
    assert_eq!(
        (
            e["country"].as_str(),
            e["pieces"].as_i64(),
            e["ip_country"].as_str()
        ),
        (Some("AT"), Some(2), Some("AT")),
        "the evidence VAT law asks to keep stays"
    );
}

#[tokio::test]
async fn a_valid_vat_number_from_another_member_state_gets_the_reverse_charge() {
    let (app, buyer, course_id) = setup(None).await;
    let vat = format!("FR{}", number("1"));
    let (status, order) = buy(
        &app,
        &buyer,
        &course_id,
        json!({ "billing_country": "FR", "vat_number": vat }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["tax_cents"], 0);
    assert_eq!(order["items"][0]["tax_rate_bps"], 0);
    let e = evidence(&app, order["id"].as_str().unwrap()).await;
    assert_eq!(e["reverse_charge"], true);
    assert_eq!(e["scheme"], "reverse_charge");
    assert_eq!(e["vies_status"], "valid");
    assert_eq!(e["vat_number"], vat.as_str());
    assert!(
        e["consultation"]
            .as_str()
            .is_some_and(|c| c.starts_with("WAPI")),
        "{e}"
    );

    // What invoices read: the one published function.
    let id = order["id"].as_str().unwrap().to_string();
    let facts = app
        .state
        .db
        .read(move |conn| {
            Ok::<_, AppError>(schoolhouse::commerce::tax_facts::vat_facts_for_order(
                conn, &id,
            )?)
        })
        .await
        .unwrap();
    assert!(facts.reverse_charge);
    assert_eq!(facts.buyer_vat_number.as_deref(), Some(vat.as_str()));
    assert_eq!(facts.buyer_country.as_deref(), Some("FR"));
}

#[tokio::test]
async fn a_valid_vat_number_from_the_schools_own_member_state_is_taxed() {
    let (app, buyer, course_id) = setup(None).await;
    let vat = format!("DE{}", number("2"));
    let (status, order) = buy(
        &app,
        &buyer,
        &course_id,
        json!({ "billing_country": "DE", "vat_number": vat }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["items"][0]["tax_rate_bps"], 1900);
    let e = evidence(&app, order["id"].as_str().unwrap()).await;
    assert_eq!(
        (e["vies_status"].as_str(), e["reverse_charge"].as_bool()),
        (Some("valid"), Some(false))
    );
}

#[tokio::test]
async fn a_vat_number_vies_calls_invalid_refuses_the_checkout_and_writes_nothing() {
    let (app, buyer, course_id) = setup(None).await;
    let vat = format!("FR{}", number("000"));
    let (status, body) = buy(
        &app,
        &buyer,
        &course_id,
        json!({ "billing_country": "FR", "vat_number": vat }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "vat_number");
    assert_eq!(order_count(&app).await, 0);
}

#[tokio::test]
async fn vies_unavailable_taxes_the_order_and_the_recheck_records_the_answer_later() {
    let (app, buyer, course_id) = setup(None).await;
    let admin = app.admin().await;
    // 777...: unavailable on the first question, valid on the next.
    let vat = format!("FR{}", number("777"));
    let (status, order) = buy(
        &app,
        &buyer,
        &course_id,
        json!({ "billing_country": "FR", "vat_number": vat }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["tax_cents"], 2000, "taxed while VIES is down");
    let id = order["id"].as_str().unwrap();
    let e = evidence(&app, id).await;
    assert_eq!(
        (e["vies_status"].as_str(), e["vies_error"].as_str()),
        (Some("unavailable"), Some("MS_UNAVAILABLE"))
    );
    assert_eq!(e["reverse_charge"], false);

    let (status, run) = app
        .post("/api/admin/tax/vies-recheck", json!({}), Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert_eq!(
        (run["checked"].as_i64(), run["valid"].as_i64()),
        (Some(1), Some(1))
    );
    let e = evidence(&app, id).await;
    assert_eq!(e["vies_status"], "valid");
    assert_eq!(e["rechecks"], 1);
    assert!(
        e["consultation"]
            .as_str()
            .is_some_and(|c| c.starts_with("WAPI"))
    );
    // The order keeps the tax it was charged; a second run has nothing left to do.
    let (_, again) = app
        .get(&format!("/api/orders/{id}"), Some(&buyer.token))
        .await;
    assert_eq!(again["tax_cents"], 2000);
    assert_eq!(e["reverse_charge"], false);
    let (_, run) = app
        .post("/api/admin/tax/vies-recheck", json!({}), Some(&admin.token))
        .await;
    assert_eq!(run["checked"], 0);
}

#[tokio::test]
async fn a_busy_vies_counts_as_unavailable_not_invalid() {
    let (app, buyer, course_id) = setup(None).await;
    for lead in ["503", "429"] {
        let vat = format!("AT{}", number(lead));
        let (status, order) = buy(
            &app,
            &buyer,
            &course_id,
            json!({ "billing_country": "AT", "vat_number": vat }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        assert_eq!(order["items"][0]["tax_rate_bps"], 2000);
        let e = evidence(&app, order["id"].as_str().unwrap()).await;
        assert_eq!(e["vies_status"], "unavailable", "{lead}");
    }
}

#[tokio::test]
async fn a_vies_that_does_not_answer_in_time_counts_as_unavailable() {
    let app = eu_app_with_vies_timeout(None, 1000).await;
    let teacher = app.admin().await;
    let course_id = course(&app, &teacher.id, "Rust for schools", 12_000, "published").await;
    let buyer = app.student().await;
    let vat = format!("FR{}", number("408"));
    let started = std::time::Instant::now();
    let (status, order) = buy(
        &app,
        &buyer,
        &course_id,
        json!({ "billing_country": "FR", "vat_number": vat }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "the 1 s timeout held"
    );
    assert_eq!(order["tax_cents"], 2000);
    let e = evidence(&app, order["id"].as_str().unwrap()).await;
    assert_eq!(
        (e["vies_status"].as_str(), e["vies_error"].as_str()),
        (Some("unavailable"), Some("TIMEOUT"))
    );
}

#[tokio::test]
async fn the_vies_stand_in_refuses_a_malformed_request() {
    let url = format!("{}/check-vat-number", vies_url());
    let client = reqwest::Client::new();
    for body in [
        json!({ "countryCode": "US", "vatNumber": "123456789" }),
        json!({ "vatNumber": "1" }),
        json!([1]),
    ] {
        let answer = client.post(&url).json(&body).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{body}");
        let answer: Value = answer.json().await.unwrap();
        assert_eq!(answer["errorWrappers"][0]["error"], "INVALID_INPUT");
    }
}

#[tokio::test]
async fn with_eu_vat_off_the_vat_number_is_ignored_and_the_tax_table_applies() {
    let app = crate::support::spawn_app_with(|cfg| cfg.tax.default_rate_bps = 1000).await;
    let teacher = app.admin().await;
    let course_id = course(&app, &teacher.id, "Plain", 10_000, "published").await;
    let buyer = app.student().await;
    let (status, order) = buy(
        &app,
        &buyer,
        &course_id,
        json!({ "billing_country": "FR", "vat_number": format!("FR{}", uuid_suffix()) }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["tax_cents"], 1000);
    assert_eq!(
        evidence(&app, order["id"].as_str().unwrap()).await,
        Value::Null
    );
}
