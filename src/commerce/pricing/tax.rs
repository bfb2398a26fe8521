//! Tax settings: rates per country and goods class, and the per-line tax rule.

use super::*;
pub use crate::config::commerce::{CountryTaxRate, TaxSettings};

impl TaxSettings {
    /// The rate for an item of `kind` sold to `country` (`None` or an unlisted
    /// country falls back to the defaults).
    pub fn rate_bps_for(&self, country: Option<&str>, kind: ItemKind) -> u32 {
        let country_rate = country.and_then(|code| {
            let code = code.trim();
            self.countries
                .iter()
                .find(|(listed, _)| listed.eq_ignore_ascii_case(code))
                .map(|(_, rate)| *rate)
        });
        match (country_rate, kind.is_digital()) {
            (Some(rate), true) => rate.digital_rate_bps.unwrap_or(rate.rate_bps),
            (Some(rate), false) => rate.rate_bps,
            (None, true) => self
                .default_digital_rate_bps
                .unwrap_or(self.default_rate_bps),
            (None, false) => self.default_rate_bps,
        }
    }

    pub fn validate(&self) -> Result<(), DefinitionError> {
        check_tax_rate("default_rate_bps", self.default_rate_bps)?;
        if let Some(rate) = self.default_digital_rate_bps {
            check_tax_rate("default_digital_rate_bps", rate)?;
        }
        for (country, rate) in &self.countries {
            if !is_country_code(country) {
                return Err(DefinitionError::new(
                    "countries",
                    crate::msg!("problem-country-code", code = format!("{country:?}")),
                ));
            }
            check_tax_rate("rate_bps", rate.rate_bps)?;
            if let Some(digital) = rate.digital_rate_bps {
                check_tax_rate("digital_rate_bps", digital)?;
            }
        }
        Ok(())
    }
}

fn check_tax_rate(field: &'static str, rate_bps: u32) -> Result<(), DefinitionError> {
    if rate_bps > MAX_TAX_RATE_BPS {
        return Err(DefinitionError::new(
            field,
            crate::msg!("problem-rate-bps", bps = rate_bps),
        ));
    }
    Ok(())
}

pub(super) fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|byte| byte.is_ascii_alphabetic())
}

/// Tax contained in or added to `amount`, per the module's rounding rule.
pub(super) fn line_tax(amount: i128, rate_bps: u32, prices_include_tax: bool) -> i128 {
    let rate = i128::from(rate_bps);
    if prices_include_tax {
        amount - div_round_half_up(amount * BASIS_POINTS_PER_UNIT, BASIS_POINTS_PER_UNIT + rate)
    } else {
        div_round_half_up(amount * rate, BASIS_POINTS_PER_UNIT)
    }
}
