//! The shipping methods a cart can choose from, each priced by checkout's own pricing so the
//! amount shown is the amount charged.

use rusqlite::Connection;

use super::model::ShippingOption;
use super::pricing::{CartLine, ShippingMethod, shipping_methods_for};
use super::service::{PriceChoice, price};
use crate::config::Config;
use crate::http::AppError;

/// The methods that ship `lines` to the chosen country (every method while the cart is
/// viewed without one), priced for this cart; empty when nothing physical is in it.
pub fn shipping_options(
    conn: &Connection,
    config: &Config,
    user_id: &str,
    lines: &[CartLine],
    choice: &PriceChoice<'_>,
    now: time::OffsetDateTime,
) -> Result<Vec<ShippingOption>, AppError> {
    if !lines.iter().any(super::pricing::CartLine::ships) {
        return Ok(Vec::new());
    }
    let methods: Vec<&ShippingMethod> = match choice.country.as_deref() {
        Some(country) => shipping_methods_for(&config.shipping.methods, country),
        None if choice.estimate => config.shipping.methods.iter().collect(),
        None => Vec::new(),
    };
    methods
        .into_iter()
        .map(|method| {
            let with_method = PriceChoice {
                coupon_code: choice.coupon_code,
                country: choice.country.clone(),
                country_field: choice.country_field,
                shipping_method: Some(&method.id),
                estimate: choice.estimate,
                tax: choice.tax,
            };
            let (priced, _) = price(conn, config, user_id, lines, &with_method, now)?;
            Ok(ShippingOption {
                id: method.id.clone(),
                name: method.name.clone(),
                cents: priced.shipping_cents,
            })
        })
        .collect()
}
