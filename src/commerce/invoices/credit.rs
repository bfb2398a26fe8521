//! What a credit note credits: the rule that spreads a refunded amount over the invoice's
//! lines and backs the tax out of each, never crediting more than the invoice still holds.
//!
//! Rules (the one place they are written down):
//!
//! - **Ceiling**: a credit note credits at most what the invoice's lines still hold after the
//!   credit notes before it (each line's `total` minus what was credited on it); a larger
//!   refund is capped there, so the credit notes of an invoice never sum past it.
//! - **Which lines**: first the lines the refund names (its order items), in proportion to
//!   what each still holds, by the largest-remainder method (ties to the earlier line); what
//!   is left goes to the shipping line, then to every other line in the same way.
//! - **Tax per line** is taken from the line's cumulative credit, so the tax credited on a
//!   line over all its credit notes is `round_half_up(line_tax × credited / line_total)` and
//!   equals the line's tax exactly once the line is fully credited:
//!   `tax = round(tax × (before + now) / total) − round(tax × before / total)`, `net = now − tax`.

use super::content::{DocumentLine, SHIPPING_KEY};

/// A credit note's lines and whether the refund was larger than the invoice still held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit {
    pub lines: Vec<DocumentLine>,
    /// The refund asked for more than was left on the invoice; the credit stops there.
    pub capped: bool,
}

/// The credit for `amount_cents` refunded on `named` lines of an invoice whose lines already
/// had `credited` (per line, same order as `invoice`) taken by earlier credit notes.
pub fn credit_for(
    invoice: &[DocumentLine],
    credited: &[i64],
    named: &[String],
    amount_cents: i64,
) -> Credit {
    let left: Vec<i64> = invoice
        .iter()
        .enumerate()
        .map(|(i, line)| (line.total_cents - credited.get(i).copied().unwrap_or(0)).max(0))
        .collect();
    let holds: i64 = left.iter().sum();
    let amount = amount_cents.clamp(0, holds);
    let is_named = |i: usize| named.iter().any(|k| *k == invoice[i].key);
    let is_shipping = |i: usize| invoice[i].key == SHIPPING_KEY;
    let tiers: [Vec<usize>; 3] = [
        (0..invoice.len()).filter(|&i| is_named(i)).collect(),
        (0..invoice.len())
            .filter(|&i| !is_named(i) && is_shipping(i))
            .collect(),
        (0..invoice.len())
            .filter(|&i| !is_named(i) && !is_shipping(i))
            .collect(),
    ];
    let mut now = vec![0i64; invoice.len()];
    let mut rest = amount;
    for tier in &tiers {
        let room: i64 = tier.iter().map(|&i| left[i]).sum();
        let take = rest.min(room);
        let weights: Vec<i64> = tier.iter().map(|&i| left[i]).collect();
        for (&i, share) in tier.iter().zip(largest_remainder(take, &weights)) {
            now[i] = share;
        }
        rest -= take;
    }
    let lines = invoice
        .iter()
        .enumerate()
        // A named line that cost nothing is still listed, so cancelling a free order
        // documents what it takes back.
        .filter(|&(i, line)| now[i] > 0 || (is_named(i) && line.total_cents == 0))
        .map(|(i, line)| credit_line(line, credited.get(i).copied().unwrap_or(0), now[i]))
        .collect();
    Credit {
        lines,
        capped: amount_cents > holds,
    }
}

fn credit_line(line: &DocumentLine, before: i64, now: i64) -> DocumentLine {
    let tax_to = |credited: i64| div_round_half_up(line.tax_cents, credited, line.total_cents);
    let tax = tax_to(before + now) - tax_to(before);
    DocumentLine {
        net_cents: now - tax,
        tax_cents: tax,
        total_cents: now,
        discount_cents: 0,
        ..line.clone()
    }
}

/// `round_half_up(a × b / c)` for non-negative figures (0 when `c` is 0).
fn div_round_half_up(a: i64, b: i64, c: i64) -> i64 {
    if c <= 0 {
        return 0;
    }
    let (a, b, c) = (i128::from(a), i128::from(b), i128::from(c));
    ((2 * a * b + c) / (2 * c)) as i64
}

/// Shares `amount` (at most the sum of `weights`) in proportion to `weights`; the shares sum
/// to `amount` exactly and none exceeds its weight.
fn largest_remainder(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total: i128 = weights.iter().map(|&w| i128::from(w)).sum();
    if total == 0 || amount <= 0 {
        return vec![0; weights.len()];
    }
    let amount = i128::from(amount);
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (index, &weight) in weights.iter().enumerate() {
        let exact = amount * i128::from(weight);
        shares.push(exact / total);
        remainders.push((exact % total, index));
    }
    let missing = amount - shares.iter().sum::<i128>();
    remainders.sort_by(|(a, ai), (b, bi)| b.cmp(a).then(ai.cmp(bi)));
    for &(_, index) in remainders
        .iter()
        .take(usize::try_from(missing).unwrap_or(0))
    {
        shares[index] += 1;
    }
    shares.into_iter().map(|s| s as i64).collect()
}
