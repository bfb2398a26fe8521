//! The VAT facts of an order that invoices print: the buyer's VAT number, whether the
//! reverse charge applies, and the buyer's country (the one published interface of EU VAT).

use rusqlite::{Connection, OptionalExtension};

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

/// The facts of the order whose `rowid` is `order_id` (orders are keyed by a UUID; the
/// invoices' contract names the SQLite row id). An order placed while EU VAT was off has
/// no evidence row: no VAT number, no reverse charge, the order's own country.
pub fn vat_facts_for_order(conn: &Connection, order_id: i64) -> rusqlite::Result<VatFacts> {
    let id: Option<String> = conn
        .prepare_cached("SELECT id FROM orders WHERE rowid = ?1")?
        .query_row([order_id], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => vat_facts_for_order_id(conn, &id),
        None => Ok(VatFacts::default()),
    }
}

/// The same facts by the order's id.
pub fn vat_facts_for_order_id(conn: &Connection, order_id: &str) -> rusqlite::Result<VatFacts> {
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
