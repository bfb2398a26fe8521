//! SQL of EU VAT: the evidence row of each order, the re-check queue, and what the tax
//! report reads (issued invoices and credit notes; sold orders and refunds from before
//! invoices existed).

use rusqlite::{Connection, OptionalExtension, params};

use super::report::{OrderTax, RefundTax, TaxLine};
use crate::commerce::invoices::content::SHIPPING_KEY;

/// The evidence an order was taxed on, as written at checkout.
#[derive(Debug, Clone, Default)]
pub struct EvidenceRow {
    pub order_id: String,
    pub billing_country: Option<String>,
    pub ip_address: Option<String>,
    pub ip_country: Option<String>,
    pub country: String,
    pub evidence_pieces: u8,
    pub vat_number: Option<String>,
    pub vies_status: Option<String>,
    pub vies_consultation: Option<String>,
    pub vies_name: Option<String>,
    pub vies_error: Option<String>,
    pub vies_checked_at: Option<String>,
    pub vies_rechecks: i64,
    pub reverse_charge: bool,
    pub scheme: String,
    pub created_at: String,
    /// The card's issuing country, asked of the gateway once a card payment succeeded.
    pub card_country: Option<String>,
    pub card_checked_at: Option<String>,
    /// Why the evidence no longer settles the country taxed (for the admin).
    pub evidence_conflict: Option<String>,
}

pub fn insert_evidence(conn: &Connection, e: &EvidenceRow) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_tax_evidence (order_id, billing_country, ip_address, ip_country,
            country, evidence_pieces, vat_number, vies_status, vies_consultation, vies_name,
            vies_error, vies_checked_at, reverse_charge, scheme, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        e.order_id,
        e.billing_country,
        e.ip_address,
        e.ip_country,
        e.country,
        e.evidence_pieces,
        e.vat_number,
        e.vies_status,
        e.vies_consultation,
        e.vies_name,
        e.vies_error,
        e.vies_checked_at,
        e.reverse_charge,
        e.scheme,
        e.created_at,
    ])?;
    Ok(())
}

const EVIDENCE_COLUMNS: &str = "order_id, billing_country, ip_address, ip_country, country,
    evidence_pieces, vat_number, vies_status, vies_consultation, vies_name, vies_error,
    vies_checked_at, vies_rechecks, reverse_charge, scheme, created_at, card_country,
    card_checked_at, evidence_conflict";

fn evidence_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<EvidenceRow> {
    Ok(EvidenceRow {
        order_id: r.get(0)?,
        billing_country: r.get(1)?,
        ip_address: r.get(2)?,
        ip_country: r.get(3)?,
        country: r.get(4)?,
        evidence_pieces: r.get(5)?,
        vat_number: r.get(6)?,
        vies_status: r.get(7)?,
        vies_consultation: r.get(8)?,
        vies_name: r.get(9)?,
        vies_error: r.get(10)?,
        vies_checked_at: r.get(11)?,
        vies_rechecks: r.get(12)?,
        reverse_charge: r.get(13)?,
        scheme: r.get(14)?,
        created_at: r.get(15)?,
        card_country: r.get(16)?,
        card_checked_at: r.get(17)?,
        evidence_conflict: r.get(18)?,
    })
}

pub fn evidence(conn: &Connection, order_id: &str) -> rusqlite::Result<Option<EvidenceRow>> {
    conn.prepare_cached(&format!(
        "SELECT {EVIDENCE_COLUMNS} FROM order_tax_evidence WHERE order_id = ?1"
    ))?
    .query_row([order_id], evidence_from)
    .optional()
}

/// Records what the card said, once: `false` when it was recorded before.
pub fn record_card(
    conn: &Connection,
    order_id: &str,
    card_country: Option<&str>,
    conflict: Option<&str>,
    at: &str,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE order_tax_evidence SET card_country = ?2, evidence_conflict = ?3,
                card_checked_at = ?4
             WHERE order_id = ?1 AND card_checked_at IS NULL",
        )?
        .execute(params![order_id, card_country, conflict, at])?;
    Ok(n == 1)
}

/// `(order_id, PaymentIntent id)` of orders paid by card whose card country was not asked
/// for yet, oldest first.
pub fn awaiting_card_country(
    conn: &Connection,
    limit: i64,
) -> rusqlite::Result<Vec<(String, String)>> {
    conn.prepare_cached(
        "SELECT e.order_id, p.transaction_id FROM order_tax_evidence e
         JOIN payments p ON p.order_id = e.order_id
         WHERE e.card_checked_at IS NULL AND p.gateway = 'stripe'
           AND p.transaction_id IS NOT NULL AND p.completed_at IS NOT NULL
         ORDER BY p.completed_at LIMIT ?1",
    )?
    .query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

/// Evidence rows with a recorded conflict, newest first, with the order's number.
pub fn conflicts(conn: &Connection, limit: i64) -> rusqlite::Result<Vec<(String, EvidenceRow)>> {
    let columns = EVIDENCE_COLUMNS
        .split(',')
        .map(|c| format!("e.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    conn.prepare_cached(&format!(
        "SELECT {columns}, o.number FROM order_tax_evidence e JOIN orders o ON o.id = e.order_id
         WHERE e.evidence_conflict IS NOT NULL ORDER BY e.card_checked_at DESC LIMIT ?1"
    ))?
    .query_map([limit], |r| Ok((r.get(19)?, evidence_from(r)?)))?
    .collect()
}

/// The order's buyer country when no evidence row exists: the shipping address's, else the
/// billing country.
pub fn order_country(conn: &Connection, order_id: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT COALESCE(json_extract(shipping_address, '$.country'), billing_country)
         FROM orders WHERE id = ?1",
    )?
    .query_row([order_id], |r| r.get(0))
    .optional()
    .map(Option::flatten)
}

/// `(order_id, vat_number)` of numbers VIES could not answer, last checked before `before`.
pub fn unchecked_numbers(
    conn: &Connection,
    before: &str,
    limit: i64,
) -> rusqlite::Result<Vec<(String, String)>> {
    conn.prepare_cached(
        "SELECT order_id, vat_number FROM order_tax_evidence
         WHERE vies_status = 'unavailable' AND vat_number IS NOT NULL
           AND COALESCE(vies_checked_at, '') < ?1
         ORDER BY vies_checked_at LIMIT ?2",
    )?
    .query_map(params![before, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

/// Records a re-check's answer; the order's tax and reverse-charge flag never change.
#[allow(clippy::too_many_arguments)]
pub fn record_recheck(
    conn: &Connection,
    order_id: &str,
    status: &str,
    consultation: Option<&str>,
    name: Option<&str>,
    error: Option<&str>,
    at: &str,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE order_tax_evidence SET vies_status = ?2, vies_consultation = ?3,
            vies_name = ?4, vies_error = ?5, vies_checked_at = ?6,
            vies_rechecks = vies_rechecks + 1
         WHERE order_id = ?1 AND vies_status = 'unavailable'",
    )?
    .execute(params![order_id, status, consultation, name, error, at])
}

/// Order statuses that count as sold, as the sales analytics count them.
const SOLD: &str =
    "('paid', 'fulfilled', 'shipped', 'delivered', 'partially_refunded', 'refunded')";

/// Country, reverse charge and scheme of an order, with its lines.
const ORDER_TAX: &str = "SELECT o.id,
        COALESCE(e.country, json_extract(o.shipping_address, '$.country'), o.billing_country, ''),
        COALESCE(e.reverse_charge, 0), e.scheme, o.shipping_cents
     FROM orders o LEFT JOIN order_tax_evidence e ON e.order_id = o.id";

fn order_tax_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<OrderTax> {
    Ok(OrderTax {
        order_id: r.get(0)?,
        country: r.get(1)?,
        reverse_charge: r.get(2)?,
        scheme: r.get(3)?,
        shipping_cents: r.get(4)?,
        lines: Vec::new(),
    })
}

fn with_lines(conn: &Connection, mut order: OrderTax) -> rusqlite::Result<OrderTax> {
    order.lines = conn
        .prepare_cached(
            "SELECT id, tax_rate_bps, total_cents, tax_cents FROM order_items
             WHERE order_id = ?1 ORDER BY position",
        )?
        .query_map([&order.order_id], |r| {
            Ok(TaxLine {
                item_id: r.get(0)?,
                rate_bps: r.get(1)?,
                total_cents: r.get(2)?,
                tax_cents: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(order)
}

/// Sold orders paid in `[start, end)` that have no invoice (paid before invoices existed),
/// the way the sales analytics select them (cancelled after payment included); invoiced
/// orders count through their invoice.
pub fn uninvoiced_sold_orders(
    conn: &Connection,
    start: &str,
    end: &str,
) -> rusqlite::Result<Vec<OrderTax>> {
    let orders: Vec<OrderTax> = conn
        .prepare_cached(&format!(
            "{ORDER_TAX} WHERE (o.status IN {SOLD} OR o.status = 'cancelled')
               AND o.paid_at >= ?1 AND o.paid_at < ?2
               AND NOT EXISTS (SELECT 1 FROM invoices iv
                               WHERE iv.order_id = o.id AND iv.kind = 'invoice')
             ORDER BY o.paid_at, o.id"
        ))?
        .query_map([start, end], order_tax_from)?
        .collect::<rusqlite::Result<_>>()?;
    orders.into_iter().map(|o| with_lines(conn, o)).collect()
}

/// Refunds processed in `[start, end)` (as the sales analytics date them) of orders that
/// have no invoice (paid before invoices existed, so no credit note either), each with the
/// order it refunds and the order lines it names. Money sent back automatically
/// (`unpayable_order`) was never sold.
pub fn uninvoiced_refunds(
    conn: &Connection,
    start: &str,
    end: &str,
) -> rusqlite::Result<Vec<RefundTax>> {
    let at = "COALESCE(r.processed_at, r.updated_at)";
    let refunds: Vec<(String, String, i64)> = conn
        .prepare_cached(&format!(
            "SELECT r.id, r.order_id, r.amount_cents FROM refunds r
             WHERE r.status = 'processed' AND {at} >= ?1 AND {at} < ?2
               AND r.kind = 'request'
               AND NOT EXISTS (SELECT 1 FROM invoices iv
                               WHERE iv.order_id = r.order_id AND iv.kind = 'invoice')
             ORDER BY {at}, r.id"
        ))?
        .query_map([start, end], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(refunds.len());
    for (refund_id, order_id, amount_cents) in refunds {
        let order = conn
            .prepare_cached(&format!("{ORDER_TAX} WHERE o.id = ?1"))?
            .query_row([&order_id], order_tax_from)?;
        let item_ids = conn
            .prepare_cached("SELECT order_item_id FROM refund_items WHERE refund_id = ?1")?
            .query_map([&refund_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.push(RefundTax {
            amount_cents,
            item_ids,
            order: with_lines(conn, order)?,
        });
    }
    Ok(out)
}

/// Invoices (`kind = "invoice"`) or credit notes (`"credit_note"`) issued in `[start, end)`,
/// in series order, each with its order's country and scheme and its lines as printed (the
/// shipping line as `shipping_cents`), so the report is the sum of the documents.
pub fn issued_documents(
    conn: &Connection,
    kind: &str,
    start: &str,
    end: &str,
) -> rusqlite::Result<Vec<OrderTax>> {
    let docs: Vec<(String, OrderTax)> = conn
        .prepare_cached(
            "SELECT i.id, o.id,
                COALESCE(e.country, json_extract(o.shipping_address, '$.country'),
                         o.billing_country, ''),
                COALESCE(e.reverse_charge, 0), e.scheme
             FROM invoices i JOIN orders o ON o.id = i.order_id
             LEFT JOIN order_tax_evidence e ON e.order_id = o.id
             WHERE i.kind = ?1 AND i.issued_at >= ?2 AND i.issued_at < ?3 ORDER BY i.seq",
        )?
        .query_map([kind, start, end], |r| {
            Ok((
                r.get(0)?,
                OrderTax {
                    order_id: r.get(1)?,
                    country: r.get(2)?,
                    reverse_charge: r.get(3)?,
                    scheme: r.get(4)?,
                    shipping_cents: 0,
                    lines: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut lines = conn.prepare_cached(
        "SELECT json_extract(l.value, '$.key'), json_extract(l.value, '$.tax_rate_bps'),
            json_extract(l.value, '$.total_cents'), json_extract(l.value, '$.tax_cents')
         FROM invoices i, json_each(i.content, '$.lines') l WHERE i.id = ?1 ORDER BY l.key",
    )?;
    let mut out = Vec::with_capacity(docs.len());
    for (doc_id, mut doc) in docs {
        let printed = lines
            .query_map([&doc_id], |r| {
                Ok(TaxLine {
                    item_id: r.get(0)?,
                    rate_bps: r.get(1)?,
                    total_cents: r.get(2)?,
                    tax_cents: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for line in printed {
            if line.item_id == SHIPPING_KEY {
                doc.shipping_cents += line.total_cents;
            } else {
                doc.lines.push(line);
            }
        }
        out.push(doc);
    }
    Ok(out)
}
