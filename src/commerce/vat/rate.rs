//! Which VAT rate a digital line carries: the destination's rate for EU consumers, 0 % under
//! the reverse charge, and the `[tax]` rules everywhere else.

use serde::Serialize;

use super::super::pricing::{CountryTaxRate, ItemKind, TaxSettings};
use crate::config::commerce::EuVatConfig;

/// What VIES said about a VAT number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ViesStatus {
    Valid,
    Invalid,
    /// VIES did not answer (down, busy or too slow): the order is taxed and the number
    /// re-checked later.
    Unavailable,
}

impl ViesStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ViesStatus::Valid => "valid",
            ViesStatus::Invalid => "invalid",
            ViesStatus::Unavailable => "unavailable",
        }
    }

    pub fn parse(text: &str) -> Option<ViesStatus> {
        match text {
            "valid" => Some(ViesStatus::Valid),
            "invalid" => Some(ViesStatus::Invalid),
            "unavailable" => Some(ViesStatus::Unavailable),
            _ => None,
        }
    }
}

/// Rule: the reverse charge applies only to a VAT number VIES confirmed as valid at
/// checkout, registered in a member state other than the seller's home. A number VIES could
/// not check, or one from the home state, is taxed.
pub fn reverse_charge(
    eu: &EuVatConfig,
    vat_country: Option<&str>,
    vies: Option<ViesStatus>,
) -> bool {
    eu.enabled
        && vies == Some(ViesStatus::Valid)
        && vat_country.is_some_and(|c| EuVatConfig::is_member_state(c) && c != eu.home_country)
}

/// Rule: with EU VAT on, a digital line (course or digital product) sold to `country` is
/// taxed at 0 % under the reverse charge, else at the member state's standard rate when
/// `country` is in the EU (destination principle, also for the home state). `None` leaves
/// the line to the `[tax]` rules: EU VAT off, physical goods, or a buyer outside the EU.
pub fn digital_rate_bps(eu: &EuVatConfig, country: &str, reverse_charge: bool) -> Option<u32> {
    if !eu.enabled {
        return None;
    }
    if reverse_charge {
        return Some(0);
    }
    eu.rate_bps(country)
}

/// The `[tax]` settings with `country`'s digital rate replaced by `digital_rate_bps`; its
/// physical rate stays what `[tax]` says, so goods lines price exactly as before.
pub fn effective_tax(tax: &TaxSettings, country: &str, digital_rate_bps: u32) -> TaxSettings {
    let physical = tax.rate_bps_for(Some(country), ItemKind::PhysicalProduct);
    let mut effective = tax.clone();
    effective
        .countries
        .retain(|listed, _| !listed.eq_ignore_ascii_case(country));
    effective.countries.insert(
        country.to_string(),
        CountryTaxRate {
            rate_bps: physical,
            digital_rate_bps: Some(digital_rate_bps),
        },
    );
    effective
}

/// How a sale is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// Sold in the seller's home member state (or EU VAT off): the domestic return.
    Domestic,
    /// To a consumer in another member state: the OSS return.
    Oss,
    /// To a business with a valid VAT number in another member state: 0 %, buyer accounts.
    ReverseCharge,
    /// To a buyer outside the EU.
    OutsideEu,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Domestic => "domestic",
            Scheme::Oss => "oss",
            Scheme::ReverseCharge => "reverse_charge",
            Scheme::OutsideEu => "outside_eu",
        }
    }
}

/// Rule: which return a sale to `country` belongs in.
pub fn scheme(eu: &EuVatConfig, country: &str, reverse_charge: bool) -> Scheme {
    if !eu.enabled {
        return Scheme::Domestic;
    }
    if reverse_charge {
        Scheme::ReverseCharge
    } else if country == eu.home_country {
        Scheme::Domestic
    } else if EuVatConfig::is_member_state(country) {
        Scheme::Oss
    } else {
        Scheme::OutsideEu
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eu() -> EuVatConfig {
        EuVatConfig {
            enabled: true,
            home_country: "DE".into(),
            ..EuVatConfig::default()
        }
    }

    #[test]
    fn an_eu_consumer_pays_the_rate_of_their_own_member_state() {
        assert_eq!(digital_rate_bps(&eu(), "FR", false), Some(2000));
        assert_eq!(digital_rate_bps(&eu(), "HU", false), Some(2700));
        assert_eq!(digital_rate_bps(&eu(), "DE", false), Some(1900));
    }

    #[test]
    fn a_configured_rate_overrides_the_built_in_table() {
        let mut eu = eu();
        eu.rates.insert("FR".into(), 2100);
        assert_eq!(digital_rate_bps(&eu, "FR", false), Some(2100));
    }

    #[test]
    fn buyers_outside_the_eu_and_eu_vat_off_are_left_to_the_tax_table() {
        assert_eq!(digital_rate_bps(&eu(), "US", false), None);
        assert_eq!(digital_rate_bps(&EuVatConfig::default(), "FR", false), None);
    }

    #[test]
    fn the_reverse_charge_needs_a_valid_number_from_another_member_state() {
        let eu = eu();
        assert!(reverse_charge(&eu, Some("FR"), Some(ViesStatus::Valid)));
        assert!(!reverse_charge(&eu, Some("DE"), Some(ViesStatus::Valid)));
        assert!(!reverse_charge(&eu, Some("FR"), Some(ViesStatus::Invalid)));
        assert!(!reverse_charge(
            &eu,
            Some("FR"),
            Some(ViesStatus::Unavailable)
        ));
        assert!(!reverse_charge(&eu, None, None));
        assert!(!reverse_charge(
            &EuVatConfig::default(),
            Some("FR"),
            Some(ViesStatus::Valid)
        ));
    }

    #[test]
    fn the_reverse_charge_taxes_digital_lines_at_zero() {
        assert_eq!(digital_rate_bps(&eu(), "FR", true), Some(0));
    }

    #[test]
    fn the_effective_tax_changes_only_the_digital_rate_of_the_buyers_country() {
        let mut tax = TaxSettings {
            default_rate_bps: 700,
            ..TaxSettings::default()
        };
        tax.countries.insert(
            "fr".into(),
            CountryTaxRate {
                rate_bps: 550,
                digital_rate_bps: Some(100),
            },
        );
        let effective = effective_tax(&tax, "FR", 2000);
        assert_eq!(effective.rate_bps_for(Some("FR"), ItemKind::Course), 2000);
        assert_eq!(
            effective.rate_bps_for(Some("FR"), ItemKind::DigitalProduct),
            2000
        );
        assert_eq!(
            effective.rate_bps_for(Some("FR"), ItemKind::PhysicalProduct),
            550
        );
        assert_eq!(effective.rate_bps_for(Some("US"), ItemKind::Course), 700);
    }

    #[test]
    fn each_sale_lands_in_the_return_its_country_and_buyer_call_for() {
        let eu = eu();
        assert_eq!(scheme(&eu, "DE", false), Scheme::Domestic);
        assert_eq!(scheme(&eu, "FR", false), Scheme::Oss);
        assert_eq!(scheme(&eu, "FR", true), Scheme::ReverseCharge);
        assert_eq!(scheme(&eu, "US", false), Scheme::OutsideEu);
        assert_eq!(
            scheme(&EuVatConfig::default(), "FR", false),
            Scheme::Domestic
        );
    }
}
