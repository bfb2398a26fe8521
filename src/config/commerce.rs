//! `[store]`, `[tax]`, `[shipping]` and `[orders]`: what the shop sells in, charges and holds;
//! owned by `commerce`. The tax and shipping method types are still defined in
//! `commerce::pricing` (listed in tests/structure/exceptions.toml until they move here).

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};
use crate::commerce::pricing::{ShippingMethod, ShippingRate, TaxSettings};

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
        .map_err(|e| key_error(format!("tax.{}", e.field), e.problem))?;
    for (index, method) in shipping.methods.iter().enumerate() {
        method
            .validate()
            .map_err(|e| key_error(format!("shipping.methods[{index}].{}", e.field), e.problem))?;
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
