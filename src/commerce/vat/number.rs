//! VAT numbers as buyers type them: prefix, member state, and the part VIES checks.

use super::super::model::normalize_country;
use crate::config::commerce::EuVatConfig;

/// A VAT number split for VIES: `prefix` as VIES writes it (`EL` for Greece), `country` the
/// ISO code the rest of the shop uses, `number` without prefix, spaces, dots or dashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatNumber {
    pub prefix: String,
    pub country: String,
    pub number: String,
}

impl VatNumber {
    /// The number as stored and printed, prefix included (`DE123456789`).
    pub fn full(&self) -> String {
        format!("{}{}", self.prefix, self.number)
    }
}

/// Rule: a VAT number starts with an EU member state's prefix (`EL` for Greece) followed by
/// 2 to 12 letters or digits; spaces, dots and dashes are dropped. Anything else is refused
/// before VIES is asked.
pub fn parse_vat_number(raw: &str) -> Result<VatNumber, &'static str> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect::<String>()
        .to_ascii_uppercase();
    if cleaned.len() < 4 || !cleaned.is_ascii() {
        return Err(
            "must be an EU VAT number starting with its country prefix, such as DE123456789",
        );
    }
    let (prefix, number) = cleaned.split_at(2);
    let country = if prefix == "EL" {
        "GR".to_string()
    } else {
        normalize_country(prefix).unwrap_or_default()
    };
    if prefix == "GR" || !EuVatConfig::is_member_state(&country) {
        return Err("must start with the prefix of an EU member state (EL for Greece)");
    }
    if !(2..=12).contains(&number.len()) || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("must have 2 to 12 letters or digits after the country prefix");
    }
    Ok(VatNumber {
        prefix: prefix.to_string(),
        country,
        number: number.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vat_number_typed_with_spaces_and_dots_is_cleaned() {
        let parsed = parse_vat_number(" de 123.456-789 ").unwrap();
        assert_eq!(parsed.prefix, "DE");
        assert_eq!(parsed.country, "DE");
        assert_eq!(parsed.number, "123456789");
        assert_eq!(parsed.full(), "DE123456789");
    }

    #[test]
    fn greek_vat_numbers_use_el_and_mean_greece() {
        let parsed = parse_vat_number("EL094014201").unwrap();
        assert_eq!(parsed.country, "GR");
        assert!(parse_vat_number("GR094014201").is_err());
    }

    #[test]
    fn numbers_outside_the_eu_or_malformed_are_refused() {
        for raw in [
            "US123456789",
            "GB123456789",
            "DE",
            "DE1",
            "DE12345678901234",
            "DE12?45",
        ] {
            assert!(parse_vat_number(raw).is_err(), "{raw}");
        }
    }
}
