//! The buyer's country from location evidence: the billing country the buyer declares and
//! the country of the connecting IP address (from the optional local range file).

use serde::Serialize;

/// What the evidence settles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryEvidence {
    pub country: String,
    /// How many independent pieces name that country (1 or 2).
    pub pieces: u8,
}

/// Why the evidence does not settle a country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceProblem {
    /// No billing country was given.
    Missing,
    /// The IP address points to another country than the billing country.
    Contradicts { billing: String, ip: String },
}

/// Rule: the billing country is required; the IP country, when the range file knows the
/// address, must agree with it (two non-contradicting pieces). An unknown IP leaves one
/// piece, which the order records as such; a contradiction refuses the checkout so the
/// buyer can correct the country (nothing is written).
pub fn decide_country(
    billing: Option<&str>,
    ip_country: Option<&str>,
) -> Result<CountryEvidence, EvidenceProblem> {
    let billing = billing
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .ok_or(EvidenceProblem::Missing)?;
    match ip_country.map(|c| c.trim().to_ascii_uppercase()) {
        Some(ip) if ip == billing => Ok(CountryEvidence {
            country: billing,
            pieces: 2,
        }),
        Some(ip) if !ip.is_empty() => Err(EvidenceProblem::Contradicts { billing, ip }),
        _ => Ok(CountryEvidence {
            country: billing,
            pieces: 1,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billing_and_ip_country_that_agree_are_two_pieces_of_evidence() {
        assert_eq!(
            decide_country(Some("fr"), Some("FR")),
            Ok(CountryEvidence {
                country: "FR".into(),
                pieces: 2
            })
        );
    }

    #[test]
    fn an_ip_country_that_contradicts_the_billing_country_refuses() {
        assert_eq!(
            decide_country(Some("FR"), Some("de")),
            Err(EvidenceProblem::Contradicts {
                billing: "FR".into(),
                ip: "DE".into()
            })
        );
    }

    #[test]
    fn an_unknown_ip_leaves_the_billing_country_as_the_only_piece() {
        assert_eq!(
            decide_country(Some("AT"), None),
            Ok(CountryEvidence {
                country: "AT".into(),
                pieces: 1
            })
        );
    }

    #[test]
    fn a_missing_billing_country_is_not_guessed_from_the_ip() {
        assert_eq!(
            decide_country(None, Some("DE")),
            Err(EvidenceProblem::Missing)
        );
        assert_eq!(
            decide_country(Some("  "), None),
            Err(EvidenceProblem::Missing)
        );
    }
}
