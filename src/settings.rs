//! `GET /api/settings`: the public store settings the web UI needs (never a secret).

use axum::extract::State;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::Config;
use crate::http::Json;
use crate::payments::config::GatewayKind;
use crate::state::AppState;

/// What anyone may know about the store. Add a member here (filled from the config) when
/// the UI needs another public setting.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicSettings {
    pub store_name: String,
    /// ISO 4217 code of the store currency; all amounts are integer cents of it.
    pub currency: String,
    /// The address the store is reached at, without a trailing slash.
    pub public_url: String,
    /// How buyers can pay, in the order offered.
    pub payments: PaymentOptions,
    /// Where and how goods are sent back for a refund (`refunds.return_instructions`);
    /// absent when the school has not said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_instructions: Option<String>,
    /// The shipping methods by id, so an order's `shipping_method` can be shown by its name.
    pub shipping_methods: Vec<ShippingMethodName>,
    /// EU VAT is charged at the buyer's rate (`tax.eu_vat.enabled`): checkout asks for the
    /// billing country and offers a VAT number field. Absent when off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub eu_vat: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShippingMethodName {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PaymentOptions {
    pub gateways: Vec<GatewayKind>,
    /// Present when Stripe is offered: what the browser needs to load Stripe.js.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stripe: Option<StripePublic>,
    /// Present when manual payment is offered: the instructions shown to buyers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manual_instructions: Option<String>,
    /// Present when manual payment is offered: days an order awaiting a manual payment is
    /// held from when the buyer chose it (`orders.manual_reservation_days`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manual_reservation_days: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StripePublic {
    pub publishable_key: String,
    pub js_url: String,
}

impl PublicSettings {
    pub fn from_config(config: &Config) -> PublicSettings {
        PublicSettings {
            store_name: config.store.name.clone(),
            currency: config.store.currency.clone(),
            public_url: config.public_url(),
            payments: PaymentOptions {
                gateways: config.payments.gateways.clone(),
                stripe: config
                    .payments
                    .enabled(GatewayKind::Stripe)
                    .then(|| StripePublic {
                        publishable_key: config.payments.stripe.publishable_key.clone(),
                        js_url: config.payments.stripe.js_url.clone(),
                    }),
                manual_instructions: config
                    .payments
                    .enabled(GatewayKind::Manual)
                    .then(|| config.payments.manual.instructions.clone()),
                manual_reservation_days: config
                    .payments
                    .enabled(GatewayKind::Manual)
                    .then_some(config.orders.manual_reservation_days),
            },
            return_instructions: Some(config.refunds.return_instructions.trim().to_string())
                .filter(|text| !text.is_empty()),
            shipping_methods: config
                .shipping
                .methods
                .iter()
                .map(|m| ShippingMethodName {
                    id: m.id.clone(),
                    name: m.name.clone(),
                })
                .collect(),
            eu_vat: config.tax.eu_vat.enabled,
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings))
        .routes(routes!(list_countries))
}

/// A country buyers may name in an address or as their billing country.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Country {
    /// ISO 3166-1 alpha-2, e.g. `DE`.
    pub code: &'static str,
    /// Its English short name; the web UI shows the name in the reader's language.
    pub name: &'static str,
}

/// Every ISO 3166-1 country the API accepts, by code (no authentication).
#[utoipa::path(get, path = "/api/countries", tag = "settings",
    responses((status = 200, body = Vec<Country>)))]
pub async fn list_countries() -> Json<Vec<Country>> {
    Json(
        isocountry::CountryCode::iter_alpha2()
            .map(|c| Country {
                code: c.alpha2(),
                name: c.name(),
            })
            .collect(),
    )
}

/// The store's public settings (no authentication).
#[utoipa::path(get, path = "/api/settings", tag = "settings",
    responses((status = 200, body = PublicSettings)))]
pub async fn get_settings(State(state): State<AppState>) -> Json<PublicSettings> {
    Json(PublicSettings::from_config(&state.config))
}
