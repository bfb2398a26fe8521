//! EU VAT for digital goods and courses (`[tax.eu_vat]`, off by default): location
//! evidence, destination rates, VAT numbers checked through VIES, the reverse charge, the
//! tax report and the quarterly OSS return. See docs/tax.md.

pub mod card;
pub mod checkout;
pub mod evidence;
pub mod ip_country;
pub mod number;
pub mod rate;
pub mod recheck;
pub mod report;
pub mod routes;
pub mod store;
pub mod vies;
