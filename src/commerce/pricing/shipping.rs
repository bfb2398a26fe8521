//! Shipping methods: where they ship to, how they are charged, and their validation.

use serde::{Deserialize, Serialize};

use super::*;

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

impl ShippingMethod {
    pub fn ships_to(&self, country: &str) -> bool {
        let country = country.trim();
        self.countries.is_empty()
            || self
                .countries
                .iter()
                .any(|listed| listed.eq_ignore_ascii_case(country))
    }

    pub fn validate(&self) -> Result<(), DefinitionError> {
        if self.id.trim().is_empty() {
            return Err(DefinitionError::new("id", "must not be empty"));
        }
        let amounts: &[(&'static str, i64)] = match &self.rate {
            ShippingRate::Flat { cents } | ShippingRate::PerItem { cents } => &[("cents", *cents)],
            ShippingRate::FreeOver {
                threshold_cents,
                otherwise_cents,
            } => &[
                ("threshold_cents", *threshold_cents),
                ("otherwise_cents", *otherwise_cents),
            ],
        };
        for (field, cents) in amounts {
            if *cents < 0 {
                return Err(DefinitionError::new(
                    field,
                    format!("must not be negative, got {cents}"),
                ));
            }
        }
        if let Some(bad) = self.countries.iter().find(|code| !is_country_code(code)) {
            return Err(DefinitionError::new(
                "countries",
                format!("{bad:?} is not a two-letter country code"),
            ));
        }
        Ok(())
    }

    pub(super) fn cost(&self, physical_units: u64, goods_amount_cents: i64) -> Option<i64> {
        match self.rate {
            ShippingRate::Flat { cents } => Some(cents),
            ShippingRate::PerItem { cents } => {
                i64::try_from(i128::from(cents) * i128::from(physical_units)).ok()
            }
            ShippingRate::FreeOver {
                threshold_cents,
                otherwise_cents,
            } => Some(if goods_amount_cents >= threshold_cents {
                0
            } else {
                otherwise_cents
            }),
        }
    }
}

/// The methods a buyer in `country` can choose from, in configured order.
pub fn shipping_methods_for<'a>(
    methods: &'a [ShippingMethod],
    country: &str,
) -> Vec<&'a ShippingMethod> {
    methods
        .iter()
        .filter(|method| method.ships_to(country))
        .collect()
}
