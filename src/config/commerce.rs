//! `[store]`, `[tax]`, `[shipping]` and `[orders]`: what the shop sells in, charges and holds;
//! owned by `commerce`, whose `pricing` module holds the rules over these types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

pub mod eu_vat;
pub use eu_vat::EuVatConfig;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    pub name: String,
    /// ISO 4217 code of the one currency the store sells in.
    pub currency: String,
}

/// Shipping methods offered at checkout when physical goods are in the cart.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ShippingConfig {
    pub methods: Vec<ShippingMethod>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrdersConfig {
    /// Minutes a pending order holds its stock (and coupon) before it is cancelled.
    pub reservation_minutes: i64,
    /// Days a pending order whose buyer chose manual payment (office, bank transfer) is
    /// held, counted from the start of that payment; staff are mailed one day before.
    pub manual_reservation_days: i64,
    /// Unpaid units of one stock-tracked product one buyer may hold across pending orders.
    pub max_pending_units_per_product: i64,
    /// Pending (unpaid) orders one buyer may have open at once.
    pub max_open_orders: i64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            name: "Schoolhouse".into(),
            currency: "USD".into(),
        }
    }
}

impl Default for ShippingConfig {
    fn default() -> Self {
        ShippingConfig {
            methods: vec![ShippingMethod {
                id: "standard".into(),
                name: "Standard".into(),
                rate: ShippingRate::Flat { cents: 500 },
                countries: Vec::new(),
            }],
        }
    }
}

impl Default for OrdersConfig {
    fn default() -> Self {
        OrdersConfig {
            reservation_minutes: 30,
            manual_reservation_days: 7,
            max_pending_units_per_product: 5,
            max_open_orders: 3,
        }
    }
}

pub(crate) fn validate_store(store: &StoreConfig) -> Result<(), ConfigError> {
    let currency = &store.currency;
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(key_error(
            "store.currency",
            "must be a three-letter upper-case ISO 4217 code such as USD",
        ));
    }
    Ok(())
}

pub(crate) fn validate(
    tax: &TaxSettings,
    shipping: &ShippingConfig,
    orders: &OrdersConfig,
) -> Result<(), ConfigError> {
    tax.validate()
        .map_err(|e| key_error(format!("tax.{}", e.field), e.problem.to_string()))?;
    tax.eu_vat.validate()?;
    for (index, method) in shipping.methods.iter().enumerate() {
        method.validate().map_err(|e| {
            key_error(
                format!("shipping.methods[{index}].{}", e.field),
                e.problem.to_string(),
            )
        })?;
        if shipping.methods[..index].iter().any(|m| m.id == method.id) {
            return Err(key_error(
                format!("shipping.methods[{index}].id"),
                format!("{:?} is used by two methods", method.id),
            ));
        }
    }
    if !(1..=7 * 24 * 60).contains(&orders.reservation_minutes) {
        return Err(key_error(
            "orders.reservation_minutes",
            "must be between 1 and 10080 (a week)",
        ));
    }
    if !(1..=90).contains(&orders.manual_reservation_days) {
        return Err(key_error(
            "orders.manual_reservation_days",
            "must be between 1 and 90",
        ));
    }
    if orders.manual_reservation_days * 24 * 60 < orders.reservation_minutes {
        return Err(key_error(
            "orders.manual_reservation_days",
            "must hold an order at least as long as orders.reservation_minutes",
        ));
    }
    for (key, value) in [
        (
            "orders.max_pending_units_per_product",
            orders.max_pending_units_per_product,
        ),
        ("orders.max_open_orders", orders.max_open_orders),
    ] {
        if !(1..=10_000).contains(&value) {
            return Err(key_error(key, "must be between 1 and 10000"));
        }
    }
    Ok(())
}

/// Store tax configuration. Rates are basis points: 1900 = 19 %.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TaxSettings {
    /// Catalogue prices already contain tax (typical in the EU) instead of
    /// having it added at checkout (typical in the US).
    #[serde(default)]
    pub prices_include_tax: bool,
    /// Rate when the buyer's country has no entry in `countries`.
    #[serde(default)]
    pub default_rate_bps: u32,
    /// Default rate for digital goods and courses; `default_rate_bps` if unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_digital_rate_bps: Option<u32>,
    /// Per-country rates keyed by ISO 3166-1 alpha-2 code (any case).
    #[serde(default)]
    pub countries: BTreeMap<String, CountryTaxRate>,
    /// `[tax.eu_vat]`: EU VAT for digital goods and courses (off by default).
    #[serde(default)]
    pub eu_vat: EuVatConfig,
}

/// Tax rates for one country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryTaxRate {
    pub rate_bps: u32,
    /// Rate for digital goods and courses; `rate_bps` if unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digital_rate_bps: Option<u32>,
}

/// A way to ship physical goods, e.g.
/// `{ id = "standard", name = "Standard", kind = "flat", cents = 495 }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingMethod {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub rate: ShippingRate,
    /// ISO 3166-1 alpha-2 codes this method ships to; empty means everywhere.
    #[serde(default)]
    pub countries: Vec<String>,
}

/// How a shipping method is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShippingRate {
    /// One price per order.
    Flat { cents: i64 },
    /// Price per physical unit in the cart.
    PerItem { cents: i64 },
    /// Free when the discounted goods amount (subtotal − discount, before any
    /// tax is added) reaches the threshold, otherwise a flat price.
    FreeOver {
        threshold_cents: i64,
        otherwise_cents: i64,
    },
}
