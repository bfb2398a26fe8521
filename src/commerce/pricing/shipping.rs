//! Shipping methods: where they ship to, how they are charged, and their validation.

use super::*;
pub use crate::config::commerce::{ShippingMethod, ShippingRate};

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
                    crate::msg!("problem-not-negative-got", got = *cents),
                ));
            }
        }
        if let Some(bad) = self.countries.iter().find(|code| !is_country_code(code)) {
            return Err(DefinitionError::new(
                "countries",
                crate::msg!("problem-country-code", code = format!("{bad:?}")),
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
