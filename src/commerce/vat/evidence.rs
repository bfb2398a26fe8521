//! The buyer's country from location evidence: the billing country the buyer declares, the
//! country of the connecting IP address (from the optional local range file), and, once a
//! card payment succeeded, the card's issuing country.

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

/// What the card's country adds to an order's evidence once its payment succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardEvidence {
    /// Pieces naming the taxed country, the card included when it agrees.
    pub pieces: u8,
    /// Why the evidence no longer settles the country taxed; the order keeps its tax.
    pub conflict: Option<String>,
}

/// Rule: the card's country is a further piece of evidence, known only after payment, so it
/// never changes what was charged. It agrees (one more piece) or it contradicts the country
/// taxed; a contradiction is harmless while two other pieces agree (billing and IP country)
/// and under the reverse charge (the VAT number's member state decides), and otherwise is
/// recorded as a conflict for the admin: billing and card disagree with no third piece
/// agreeing. No card country (another payment method, the gateway did not say) adds nothing.
pub fn card_evidence(
    taxed_country: &str,
    checkout_pieces: u8,
    reverse_charge: bool,
    card_country: Option<&str>,
) -> CardEvidence {
    let card = card_country
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty());
    let Some(card) = card else {
        return CardEvidence {
            pieces: checkout_pieces,
            conflict: None,
        };
    };
    if card.eq_ignore_ascii_case(taxed_country) {
        return CardEvidence {
            pieces: checkout_pieces + 1,
            conflict: None,
        };
    }
    let conflict = (!reverse_charge && checkout_pieces < 2).then(|| {
        format!(
            "the card was issued in {card} but the order was taxed for {taxed_country} on \
             {checkout_pieces} piece(s) of evidence and no third piece agrees; the paid \
             order keeps its tax"
        )
    });
    CardEvidence {
        pieces: checkout_pieces,
        conflict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_from_the_taxed_country_is_one_more_piece_of_evidence() {
        assert_eq!(
            card_evidence("FR", 1, false, Some("fr")),
            CardEvidence {
                pieces: 2,
                conflict: None
            }
        );
    }

    #[test]
    fn a_card_contradicting_the_only_piece_is_a_conflict_for_the_admin() {
        let outcome = card_evidence("FR", 1, false, Some("DE"));
        assert_eq!(outcome.pieces, 1);
        let conflict = outcome.conflict.unwrap();
        assert!(
            conflict.contains("DE") && conflict.contains("FR"),
            "{conflict}"
        );
    }

    #[test]
    fn a_contradicting_card_is_outvoted_by_billing_and_ip_country_agreeing() {
        assert_eq!(
            card_evidence("FR", 2, false, Some("DE")),
            CardEvidence {
                pieces: 2,
                conflict: None
            }
        );
    }

    #[test]
    fn under_the_reverse_charge_the_card_country_decides_nothing() {
        assert_eq!(card_evidence("AT", 0, true, Some("US")).conflict, None);
    }

    #[test]
    fn no_card_country_adds_nothing() {
        assert_eq!(
            card_evidence("FR", 1, false, None),
            CardEvidence {
                pieces: 1,
                conflict: None
            }
        );
        assert_eq!(card_evidence("FR", 1, false, Some(" ")).conflict, None);
    }

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
