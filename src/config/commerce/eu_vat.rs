//! `[tax.eu_vat]`: EU VAT for digital goods and courses (destination rates, VIES, evidence).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::super::{ConfigError, key_error};

/// The EU's VIES REST service; `{vies_url}/check-vat-number` is called.
pub const DEFAULT_VIES_URL: &str = "https://ec.europa.eu/taxation_customs/vies/rest-api";

/// Standard VAT rates (basis points) of the 27 member states as of 2026, keyed by ISO 3166-1
/// code (Greece is `GR` here, `EL` in VAT numbers). Digital services and e-learning are
/// taxed at the standard rate; `rates` in the config overrides single entries.
pub const STANDARD_RATES_BPS: [(&str, u32); 27] = [
    ("AT", 2000),
    ("BE", 2100),
    ("BG", 2000),
    ("CY", 1900),
    ("CZ", 2100),
    ("DE", 1900),
    ("DK", 2500),
    ("EE", 2400),
    ("ES", 2100),
    ("FI", 2550),
    ("FR", 2000),
    ("GR", 2400),
    ("HR", 2500),
    ("HU", 2700),
    ("IE", 2300),
    ("IT", 2200),
    ("LT", 2100),
    ("LU", 1700),
    ("LV", 2100),
    ("MT", 1800),
    ("NL", 2100),
    ("PL", 2300),
    ("PT", 2300),
    ("RO", 2100),
    ("SE", 2500),
    ("SI", 2200),
    ("SK", 2300),
];

/// `[tax.eu_vat]`. Off unless `enabled`; then digital lines sold to EU consumers are taxed
/// at the destination's rate, VAT numbers are checked through VIES and a valid one from
/// another member state gets the reverse charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EuVatConfig {
    pub enabled: bool,
    /// The seller's member state (ISO 3166-1 alpha-2); required when enabled.
    pub home_country: String,
    /// Overrides of [`STANDARD_RATES_BPS`], basis points keyed by member state.
    pub rates: BTreeMap<String, u32>,
    /// Base URL of the VIES REST API.
    pub vies_url: String,
    /// How long one VIES call may take before the number counts as unchecked.
    pub vies_timeout_ms: u64,
    /// The seller's own VAT number (with its prefix); sent as requester so that VIES
    /// answers a consultation number.
    pub requester_vat_number: Option<String>,
    /// Optional CSV of IP ranges (`first_ip,last_ip,country` per line) giving the second
    /// piece of location evidence.
    pub ip_country_file: Option<PathBuf>,
    /// Minutes between re-checks of VAT numbers VIES could not answer.
    pub recheck_interval_minutes: u32,
}

impl Default for EuVatConfig {
    fn default() -> Self {
        EuVatConfig {
            enabled: false,
            home_country: String::new(),
            rates: BTreeMap::new(),
            vies_url: DEFAULT_VIES_URL.into(),
            vies_timeout_ms: 5_000,
            requester_vat_number: None,
            ip_country_file: None,
            recheck_interval_minutes: 60,
        }
    }
}

impl EuVatConfig {
    /// Whether `country` (ISO code, upper case) is an EU member state.
    pub fn is_member_state(country: &str) -> bool {
        STANDARD_RATES_BPS.iter().any(|(code, _)| *code == country)
    }

    /// The standard rate of member state `country`, the configured override first.
    pub fn rate_bps(&self, country: &str) -> Option<u32> {
        if !Self::is_member_state(country) {
            return None;
        }
        self.rates.get(country).copied().or_else(|| {
            STANDARD_RATES_BPS
                .iter()
                .find(|(code, _)| *code == country)
                .map(|(_, rate)| *rate)
        })
    }

    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        for (country, rate) in &self.rates {
            if !Self::is_member_state(country) {
                return Err(key_error(
                    format!("tax.eu_vat.rates.{country}"),
                    "is not an EU member state (ISO 3166-1 code in upper case, GR for Greece)",
                ));
            }
            if *rate > 10_000 {
                return Err(key_error(
                    format!("tax.eu_vat.rates.{country}"),
                    "must be at most 10000 basis points (100 %)",
                ));
            }
        }
        if !self.enabled {
            return Ok(());
        }
        if !Self::is_member_state(&self.home_country) {
            return Err(key_error(
                "tax.eu_vat.home_country",
                "must be the seller's EU member state, such as DE",
            ));
        }
        let url = self.vies_url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(key_error("tax.eu_vat.vies_url", "must be an http(s) URL"));
        }
        if !(100..=60_000).contains(&self.vies_timeout_ms) {
            return Err(key_error(
                "tax.eu_vat.vies_timeout_ms",
                "must be between 100 and 60000",
            ));
        }
        if !(1..=7 * 24 * 60).contains(&self.recheck_interval_minutes) {
            return Err(key_error(
                "tax.eu_vat.recheck_interval_minutes",
                "must be between 1 and 10080 (a week)",
            ));
        }
        Ok(())
    }
}
