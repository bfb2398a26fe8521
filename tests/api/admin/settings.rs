//! Settings: the public store settings carry no secret; admins see the effective settings
//! with their keys and environment variables, secrets redacted.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{assert_problem, spawn_app_with};

#[tokio::test]
async fn public_settings_name_the_store_without_secrets() {
    let app = spawn_app_with(|config| {
        config.store.name = "Crumb & Co".into();
        config.store.currency = "EUR".into();
        config.server.public_url = "https://crumb.example/".into();
        config.payments.gateways = vec![
            schoolhouse::payments::config::GatewayKind::Stripe,
            schoolhouse::payments::config::GatewayKind::Manual,
        ];
        config.payments.stripe.secret_key = "sk_test_never_shown".into();
        config.payments.stripe.publishable_key = "pk_test_shown".into();
        config.payments.manual.instructions = "Pay at the office.".into();
    })
    .await;
    let (status, settings) = app.get("/api/settings", None).await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(
        settings,
        json!({
            "store_name": "Crumb & Co",
            "currency": "EUR",
            "public_url": "https://crumb.example",
            "payments": {
                "gateways": ["stripe", "manual"],
                "stripe": { "publishable_key": "pk_test_shown", "js_url": "https://js.stripe.com/v3/" },
                "manual_instructions": "Pay at the office.",
                "manual_reservation_days": 7,
            },
            "shipping_methods": [{ "id": "standard", "name": "Standard" }],
        })
    );
    assert!(
        !settings.to_string().contains("sk_test"),
        "no secret key in public settings"
    );
}

#[tokio::test]
async fn admins_see_the_effective_settings_with_their_keys_and_no_secret() {
    let app = spawn_app_with(|config| {
        config.payments.stripe.secret_key = "sk_test_never_shown".into();
        config.orders.reservation_minutes = 45;
    })
    .await;
    let admin = app.admin().await;
    let student = app.student().await;

    let (status, body) = app.get("/api/admin/settings", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let settings = body["settings"].as_array().unwrap();
    let setting = |key: &str| {
        settings
            .iter()
            .find(|s| s["key"] == key)
            .unwrap_or_else(|| panic!("no {key} in {body}"))
    };
    assert_eq!(setting("orders.reservation_minutes")["value"], 45);
    assert_eq!(
        setting("orders.reservation_minutes")["env"],
        "SCHOOLHOUSE_ORDERS__RESERVATION_MINUTES"
    );
    assert_eq!(setting("payments.stripe.secret_key")["value"], "<redacted>");
    assert_eq!(setting("payments.stripe.secret_key")["secret"], true);
    assert!(!body.to_string().contains("sk_test_never_shown"));

    let (status, body) = app.get("/api/admin/settings", Some(&student.token)).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = app.get("/api/admin/settings", None).await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);
}
