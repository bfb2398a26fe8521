//! The VAT facts of an order that invoices print: the buyer's VAT number, whether the
//! reverse charge applies, and the buyer's country (the one published interface of EU VAT).

use rusqlite::Connection;

use super::vat::store;

/// What an invoice needs to know about an order's VAT treatment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VatFacts {
    /// The VAT number the buyer gave at checkout (prefix included), checked or not.
    pub buyer_vat_number: Option<String>,
    /// 0 % with the mention "Reverse charge": a VIES-valid number from another member state.
    pub reverse_charge: bool,
    /// The country the order was taxed for (evidence), else its shipping or billing country.
    pub buyer_country: Option<String>,
}

/// The facts of the order `order_id`. An order placed while EU VAT was off has no evidence
/// row: no VAT number, no reverse charge, the order's own country.
pub fn vat_facts_for_order(conn: &Connection, order_id: &str) -> rusqlite::Result<VatFacts> {
    Ok(match store::evidence(conn, order_id)? {
        Some(e) => VatFacts {
            buyer_vat_number: e.vat_number,
            reverse_charge: e.reverse_charge,
            buyer_country: Some(e.country).filter(|c| !c.is_empty()),
        },
        None => VatFacts {
            buyer_country: store::order_country(conn, order_id)?,
            ..VatFacts::default()
        },
    })
}
