//! The card's issuing country as EU VAT evidence (issue 30): recorded when a card payment
//! succeeds, counted when it agrees, and when it contradicts the only other piece, recorded
//! as a conflict for the admin while the paid order keeps its tax and its invoice; the
//! evidence in the buyer's personal-data export.

use reqwest::StatusCode;
use schoolhouse::config::commerce::EuVatConfig;
use schoolhouse::http::AppError;
use serde_json::{Value, json};

use super::vat::{buy, vies_url};
use crate::payments::{
    audit_rows, course, emulator, start_card_payment, wait_for_order, with_stripe,
};
use crate::support::{TestApp, spawn_app_with, uuid_suffix};

/// EU VAT on (school in Germany, prices include tax) and cards through the emulator; with
/// `ip_country` the IP file puts 127.0.0.1 in that country.
async fn card_eu_app(ip_country: Option<&str>) -> TestApp {
    let url = vies_url();
    let ip_file = ip_country.map(|country| {
        let path = std::env::temp_dir().join(format!("schoolhouse-ip-{}.csv", uuid_suffix()));
        std::fs::write(&path, format!("127.0.0.0,127.255.255.255,{country}\n")).unwrap();
        path
    });
    spawn_app_with(move |cfg| {
        with_stripe(cfg);
        cfg.tax.prices_include_tax = true;
        cfg.tax.eu_vat = EuVatConfig {
            enabled: true,
            home_country: "DE".into(),
            vies_url: url,
            ip_country_file: ip_file,
            ..EuVatConfig::default()
        };
    })
    .await
}

/// The card part of the order's evidence, once recorded (waits up to 15 s for it).
async fn card_evidence(app: &TestApp, order_id: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let id = order_id.to_string();
        let row = app
            .state
            .db
            .read(move |conn| {
                Ok::<_, AppError>(conn.query_row(
                    "SELECT card_country, evidence_conflict, card_checked_at, evidence_pieces,
                        country FROM order_tax_evidence WHERE order_id = ?1",
                    [id],
                    |r| {
                        Ok(json!({
                            "card_country": r.get::<_, Option<String>>(0)?,
                            "conflict": r.get::<_, Option<String>>(1)?,
                            "checked": r.get::<_, Option<String>>(2)?.is_some(),
                            "pieces": r.get::<_, i64>(3)?,
                            "country": r.get::<_, String>(4)?,
                        }))
                    },
                )?)
            })
            .await
            .unwrap();
        if row["checked"] == true {
            return row;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the card country of {order_id} was never recorded: {row}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

struct Row {
    sentence: &'static str,
    /// The IP file's country for the buyer's address (None: no IP file, one piece).
    ip_country: Option<&'static str>,
    /// Stripe's test payment method (its card's issuing country).
    card: &'static str,
    card_country: &'static str,
    conflict: bool,
}

const ROWS: &[Row] = &[
    Row {
        sentence: "a French card backs a French billing country as a second piece",
        ip_country: None,
        card: "pm_card_fr",
        card_country: "FR",
        conflict: false,
    },
    Row {
        sentence: "a German card against the only piece, a French billing country, is a \
                   conflict for the admin and the paid order keeps its French VAT",
        ip_country: None,
        card: "pm_card_de",
        card_country: "DE",
        conflict: true,
    },
    Row {
        sentence: "a German card is outvoted when billing and IP country agree on France",
        ip_country: Some("FR"),
        card: "pm_card_de",
        card_country: "DE",
        conflict: false,
    },
];

#[tokio::test]
async fn the_card_country_is_evidence_recorded_at_payment_and_never_re_taxes_a_paid_order() {
    for row in ROWS {
        let app = card_eu_app(row.ip_country).await;
        let stripe = emulator();
        stripe.register_webhook(&app).await;
        let (admin, buyer) = (app.admin().await, app.student().await);
        let course = course(&app, &admin, 12_000).await;
        let (status, order) = buy(&app, &buyer, &course, json!({ "billing_country": "FR" })).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {order}", row.sentence);
        let order_id = order["id"].as_str().unwrap();
        // FR 20 % included: 2000 of 12000.
        assert_eq!(order["tax_cents"], 2000, "{}", row.sentence);
        let payment = start_card_payment(&app, &buyer, order_id).await;
        let pi = payment["transaction_id"].as_str().unwrap();
        assert_eq!(
            stripe.pay(pi, row.card).await,
            StatusCode::OK,
            "{}",
            row.sentence
        );
        wait_for_order(&app, &buyer, order_id, "fulfilled").await;

        let evidence = card_evidence(&app, order_id).await;
        assert_eq!(
            evidence["card_country"], row.card_country,
            "{}: {evidence}",
            row.sentence
        );
        assert_eq!(evidence["country"], "FR", "{}", row.sentence);
        assert_eq!(
            evidence["conflict"].is_string(),
            row.conflict,
            "{}: {evidence}",
            row.sentence
        );
        // Nothing about the money moved: the order, its payment and its invoice as charged.
        let (_, paid) = app
            .get(&format!("/api/orders/{order_id}"), Some(&buyer.token))
            .await;
        assert_eq!(
            (&paid["total_cents"], &paid["tax_cents"]),
            (&json!(12_000), &json!(2000)),
            "{}",
            row.sentence
        );
        let (_, docs) = app
            .get(
                &format!("/api/orders/{order_id}/invoices"),
                Some(&buyer.token),
            )
            .await;
        assert_eq!(
            docs.as_array().unwrap().len(),
            1,
            "{}: {docs}",
            row.sentence
        );
        assert_eq!(docs[0]["tax_cents"], 2000, "{}", row.sentence);

        let (status, listed) = app
            .get("/api/admin/tax/evidence-conflicts", Some(&admin.token))
            .await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        let listed_here = listed
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["order_id"] == order_id && c["card_country"] == row.card_country);
        assert_eq!(listed_here, row.conflict, "{}: {listed}", row.sentence);
        let audited = audit_rows(&app, &admin, "order.tax_evidence_conflict", order_id).await;
        assert_eq!(audited.len(), usize::from(row.conflict), "{}", row.sentence);
        let (status, _) = app
            .get("/api/admin/tax/evidence-conflicts", Some(&buyer.token))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the list is for admins only");

        // The buyer's data export carries the evidence, in data.json and on the page.
        let (_, data, html) = app.data_export(&buyer.token).await;
        let mine = &data["vat_evidence"][0];
        assert_eq!(
            (
                &mine["order_number"],
                &mine["country"],
                &mine["card_country"]
            ),
            (&order["number"], &json!("FR"), &json!(row.card_country)),
            "{}: {data}",
            row.sentence
        );
        assert_eq!(mine["evidence_conflict"].is_string(), row.conflict);
        assert!(mine.get("vies_consultation").is_some() && mine.get("vat_number").is_some());
        assert!(html.contains("<h2>VAT evidence</h2>"), "{html}");
        assert!(html.contains("<th>Country of the card</th>"), "{html}");
    }
}
