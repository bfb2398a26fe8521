//! EU VAT at checkout: what is gathered before the write (VIES, the IP's country), and what
//! the write decides from it (country, rate, reverse charge) and keeps as evidence.

use super::super::model::{CreateOrder, normalize_country};
use super::super::pricing::TaxSettings;
use super::evidence::{EvidenceProblem, decide_country};
use super::number::{VatNumber, parse_vat_number};
use super::rate::{ViesStatus, digital_rate_bps, effective_tax, reverse_charge, scheme};
use super::store::EvidenceRow;
use super::vies::{ViesCheck, check};
use crate::config::Config;
use crate::http::AppError;
use crate::state::AppState;

/// What checkout learned outside the database, for the write to decide on.
#[derive(Debug, Clone, Default)]
pub struct VatInput {
    pub vat_number: Option<VatNumber>,
    pub vies: Option<ViesCheck>,
    pub ip: Option<String>,
    pub ip_country: Option<String>,
    pub checked_at: String,
}

/// Before the checkout's write (EU VAT on): checks the VAT number's shape and asks VIES
/// about it, and looks the client's IP up in the optional range file. A number VIES calls
/// invalid refuses the checkout (422 on `vat_number`); VIES being down does not.
pub async fn prepare(
    state: &AppState,
    body: &CreateOrder,
    ip: Option<&str>,
) -> Result<Option<VatInput>, AppError> {
    let eu = &state.config.tax.eu_vat;
    if !eu.enabled {
        return Ok(None);
    }
    let raw = body
        .vat_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let vat_number = match raw {
        Some(raw) => Some(parse_vat_number(raw).map_err(|e| AppError::field("vat_number", e))?),
        None => None,
    };
    let vies = match &vat_number {
        Some(number) => {
            let answer = check(eu, number).await;
            if answer.status == ViesStatus::Invalid {
                return Err(AppError::field(
                    "vat_number",
                    crate::msg!("problem-vies-unknown", number = number.full()),
                ));
            }
            Some(answer)
        }
        None => None,
    };
    let ip_country = match (&eu.ip_country_file, ip.and_then(|i| i.parse().ok())) {
        (Some(path), Some(addr)) => {
            let path = path.clone();
            tokio::task::spawn_blocking(move || {
                super::ip_country::table(&path)
                    .country_of(addr)
                    .map(str::to_string)
            })
            .await
            .ok()
            .flatten()
        }
        _ => None,
    };
    Ok(Some(VatInput {
        vat_number,
        vies,
        ip: ip.map(str::to_string),
        ip_country,
        checked_at: crate::clock::rfc3339(state.now()),
    }))
}

/// What the write prices with and keeps.
#[derive(Debug, Clone)]
pub struct VatDecision {
    /// `[tax]` with the pricing country's digital rate set; `None` keeps `[tax]`.
    pub tax: Option<TaxSettings>,
    /// The country to price with when the order names none (a VAT number's state).
    pub country: String,
    /// The evidence row, its `order_id` filled in once the order exists.
    pub evidence: EvidenceRow,
}

/// Rule: the declared country is the billing country, else the shipping address's, else
/// the VAT number's member state; a VAT number must belong to it (422 otherwise). A valid
/// number from another member state gets the reverse charge, whatever the IP says; every
/// other buyer needs evidence that does not contradict itself (see `decide_country`).
/// `pricing_country` is the country the cart is priced with (shipping address first).
pub fn decide(
    config: &Config,
    body: &CreateOrder,
    pricing_country: Option<&str>,
    input: &VatInput,
) -> Result<VatDecision, AppError> {
    let eu = &config.tax.eu_vat;
    let billing = body.billing_country.as_deref().and_then(normalize_country);
    let shipping = body
        .shipping_address
        .as_ref()
        .and_then(|a| normalize_country(&a.country));
    let vat_country = input.vat_number.as_ref().map(|n| n.country.clone());
    let declared = billing.clone().or(shipping).or(vat_country.clone());
    if let (Some(number), Some(declared)) = (&input.vat_number, &declared)
        && number.country != *declared
    {
        return Err(AppError::field(
            "vat_number",
            crate::msg!(
                "problem-vat-country",
                registered = number.country.to_string(),
                declared = declared.to_string()
            ),
        ));
    }
    let vies_status = input.vies.as_ref().map(|v| v.status);
    let rc = reverse_charge(eu, vat_country.as_deref(), vies_status);
    let evidence = decide_country(declared.as_deref(), input.ip_country.as_deref());
    let (country, pieces) = match (rc, evidence) {
        (_, Ok(found)) => (found.country, found.pieces),
        (true, Err(_)) => (vat_country.clone().unwrap_or_default(), 0),
        (false, Err(EvidenceProblem::Missing)) => {
            return Err(AppError::field(
                "billing_country",
                "is required: EU VAT is charged at the rate of the country you live in",
            ));
        }
        (false, Err(EvidenceProblem::Contradicts { billing, ip })) => {
            return Err(AppError::field(
                "billing_country",
                crate::msg!(
                    "problem-billing-country-ip",
                    billing = billing.to_string(),
                    ip = ip.to_string()
                ),
            ));
        }
    };
    let tax = digital_rate_bps(eu, &country, rc)
        .map(|rate| effective_tax(&config.tax, pricing_country.unwrap_or(&country), rate));
    let vies = input.vies.clone();
    let evidence = EvidenceRow {
        billing_country: billing,
        ip_address: input.ip.clone(),
        ip_country: input.ip_country.clone(),
        country: country.clone(),
        evidence_pieces: pieces,
        vat_number: input.vat_number.as_ref().map(VatNumber::full),
        vies_status: vies_status.map(|s| s.as_str().to_string()),
        vies_consultation: vies.as_ref().and_then(|v| v.consultation_number.clone()),
        vies_name: vies.as_ref().and_then(|v| v.name.clone()),
        vies_error: vies.as_ref().and_then(|v| v.error.clone()),
        vies_checked_at: vies.as_ref().map(|_| input.checked_at.clone()),
        reverse_charge: rc,
        scheme: scheme(eu, &country, rc).as_str().to_string(),
        created_at: input.checked_at.clone(),
        ..EvidenceRow::default()
    };
    Ok(VatDecision {
        tax,
        country,
        evidence,
    })
}
