//! The tax report, pure: issued invoices and credit notes become rows per country, scheme
//! and rate, and the quarterly OSS layout. Amounts are never re-rounded on a total: a row's
//! tax is the sum of its lines' tax as each document printed it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::rate::{Scheme, scheme};
use crate::config::commerce::EuVatConfig;

/// One order line's stored figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxLine {
    pub item_id: String,
    pub rate_bps: i64,
    /// What the buyer paid for the line (tax included).
    pub total_cents: i64,
    pub tax_cents: i64,
}

/// A sold order as the report needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderTax {
    pub order_id: String,
    pub country: String,
    pub reverse_charge: bool,
    /// The scheme stored at checkout (EU VAT on), else decided from the country now.
    pub scheme: Option<String>,
    pub shipping_cents: i64,
    pub lines: Vec<TaxLine>,
}

/// A processed refund with the order it gave money back for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundTax {
    pub amount_cents: i64,
    /// The order lines it names; none means the whole order, shipping included.
    pub item_ids: Vec<String>,
    pub order: OrderTax,
}

/// One row of the report. `kind` is `goods` (order lines) or `shipping` (charged untaxed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TaxRow {
    pub country: String,
    pub scheme: String,
    pub kind: String,
    pub rate_bps: i64,
    pub sales_cents: i64,
    pub sales_taxable_cents: i64,
    pub sales_tax_cents: i64,
    pub refunds_cents: i64,
    pub refunds_taxable_cents: i64,
    pub refunds_tax_cents: i64,
    /// Taxable amount after refunds.
    pub net_taxable_cents: i64,
    /// Sales tax minus the tax given back with refunds.
    pub tax_due_cents: i64,
}

type Key = (String, String, String, i64);

fn scheme_of(eu: &EuVatConfig, order: &OrderTax) -> String {
    match &order.scheme {
        Some(stored) => stored.clone(),
        None if order.country.is_empty() => Scheme::Domestic.as_str().to_string(),
        None => scheme(eu, &order.country, order.reverse_charge)
            .as_str()
            .to_string(),
    }
}

fn key(eu: &EuVatConfig, order: &OrderTax, kind: &str, rate_bps: i64) -> Key {
    (
        order.country.clone(),
        scheme_of(eu, order),
        kind.to_string(),
        rate_bps,
    )
}

/// `numerator / denominator` rounded half-up (non-negative numerator, positive denominator).
fn div_half_up(numerator: i128, denominator: i128) -> i64 {
    ((numerator * 2 + denominator) / (denominator * 2)) as i64
}

/// Shares `amount` over `weights` by the largest remainder, so the shares sum exactly to
/// `min(amount, sum)`; earlier entries win ties.
fn allocate(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total: i128 = weights.iter().map(|&w| i128::from(w.max(0))).sum();
    let amount = i128::from(amount.max(0)).min(total);
    if total == 0 || amount == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<i128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (index, &w) in weights.iter().enumerate() {
        let exact = amount * i128::from(w.max(0));
        shares.push(exact / total);
        remainders.push((exact % total, index));
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let missing = (amount - shares.iter().sum::<i128>()) as usize;
    for &(_, index) in remainders.iter().take(missing) {
        shares[index] += 1;
    }
    shares.into_iter().map(|s| s as i64).collect()
}

/// Rule: a refund is shared over the lines it names (over every line and the shipping when
/// it names none) in proportion to what each cost, by the largest remainder so the shares
/// sum to the refund; a line's share gives back `share × line tax / line total` of tax,
/// rounded half-up, so a full refund gives back exactly the tax charged. Any cent beyond
/// what the named lines cost counts as shipping, so refunds reconcile to the cent.
/// Returns `(line index or None for shipping, gross, tax)`.
pub fn split_refund(refund: &RefundTax) -> Vec<(Option<usize>, i64, i64)> {
    let lines = &refund.order.lines;
    let named: Vec<usize> = if refund.item_ids.is_empty() {
        (0..lines.len()).collect()
    } else {
        (0..lines.len())
            .filter(|&i| refund.item_ids.contains(&lines[i].item_id))
            .collect()
    };
    let mut weights: Vec<i64> = named.iter().map(|&i| lines[i].total_cents).collect();
    let with_shipping = refund.item_ids.is_empty();
    if with_shipping {
        weights.push(refund.order.shipping_cents);
    }
    let shares = allocate(refund.amount_cents, &weights);
    let mut out = Vec::new();
    for (&index, &share) in named.iter().zip(&shares) {
        let line = &lines[index];
        let tax = if line.total_cents > 0 {
            div_half_up(
                i128::from(share) * i128::from(line.tax_cents),
                i128::from(line.total_cents),
            )
        } else {
            0
        };
        out.push((Some(index), share, tax));
    }
    let to_lines: i64 = out.iter().map(|(_, gross, _)| gross).sum();
    let shipping = refund.amount_cents - to_lines;
    if shipping != 0 {
        out.push((None, shipping, 0));
    }
    out
}

/// The report rows, sorted by country, scheme, kind and rate. `sales` are the issued
/// invoices (and orders sold before invoices existed), `credit_notes` the issued credit
/// notes, each counted line by line as printed; `refunds` only those processed before
/// credit notes existed, shared over the order's lines by [`split_refund`]. So every figure
/// is a sum of document figures: the report is the invoices minus the credit notes, to the
/// cent.
pub fn build_rows(
    eu: &EuVatConfig,
    sales: &[OrderTax],
    credit_notes: &[OrderTax],
    refunds: &[RefundTax],
) -> Vec<TaxRow> {
    let mut rows: BTreeMap<Key, TaxRow> = BTreeMap::new();
    for order in sales {
        for line in &order.lines {
            let r = entry(&mut rows, key(eu, order, "goods", line.rate_bps));
            r.sales_cents += line.total_cents;
            r.sales_tax_cents += line.tax_cents;
        }
        if order.shipping_cents > 0 {
            entry(&mut rows, key(eu, order, "shipping", 0)).sales_cents += order.shipping_cents;
        }
    }
    for note in credit_notes {
        for line in &note.lines {
            let r = entry(&mut rows, key(eu, note, "goods", line.rate_bps));
            r.refunds_cents += line.total_cents;
            r.refunds_tax_cents += line.tax_cents;
        }
        if note.shipping_cents > 0 {
            entry(&mut rows, key(eu, note, "shipping", 0)).refunds_cents += note.shipping_cents;
        }
    }
    for refund in refunds {
        for (index, gross, tax) in split_refund(refund) {
            let k = match index {
                Some(i) => key(eu, &refund.order, "goods", refund.order.lines[i].rate_bps),
                None => key(eu, &refund.order, "shipping", 0),
            };
            let r = entry(&mut rows, k);
            r.refunds_cents += gross;
            r.refunds_tax_cents += tax;
        }
    }
    rows.into_values()
        .map(|mut r| {
            r.sales_taxable_cents = r.sales_cents - r.sales_tax_cents;
            r.refunds_taxable_cents = r.refunds_cents - r.refunds_tax_cents;
            r.net_taxable_cents = r.sales_taxable_cents - r.refunds_taxable_cents;
            r.tax_due_cents = r.sales_tax_cents - r.refunds_tax_cents;
            r
        })
        .collect()
}

fn entry(rows: &mut BTreeMap<Key, TaxRow>, key: Key) -> &mut TaxRow {
    rows.entry(key.clone()).or_insert_with(|| TaxRow {
        country: key.0,
        scheme: key.1,
        kind: key.2,
        rate_bps: key.3,
        ..TaxRow::default()
    })
}

/// The OSS return's figures for one member state of consumption and one rate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OssLine {
    pub country: String,
    pub rate_bps: i64,
    /// Net of refunds processed in the quarter.
    pub taxable_cents: i64,
    pub vat_cents: i64,
}

/// Rule: the OSS return lists, per member state of consumption and rate, the taxable amount
/// and VAT of `oss` goods rows (consumers in other member states), refunds processed in the
/// quarter deducted. Domestic, reverse-charge, non-EU and shipping rows are not in it, nor a
/// country and rate whose figures come to zero (sales cancelled in the same quarter).
pub fn oss_lines(rows: &[TaxRow]) -> Vec<OssLine> {
    let mut lines: BTreeMap<(String, i64), OssLine> = BTreeMap::new();
    for row in rows
        .iter()
        .filter(|r| r.scheme == Scheme::Oss.as_str() && r.kind == "goods")
    {
        let line = lines
            .entry((row.country.clone(), row.rate_bps))
            .or_insert_with(|| OssLine {
                country: row.country.clone(),
                rate_bps: row.rate_bps,
                ..OssLine::default()
            });
        line.taxable_cents += row.net_taxable_cents;
        line.vat_cents += row.tax_due_cents;
    }
    // A country and rate whose sales were all credited in the quarter owe nothing there.
    lines
        .into_values()
        .filter(|l| l.taxable_cents != 0 || l.vat_cents != 0)
        .collect()
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
