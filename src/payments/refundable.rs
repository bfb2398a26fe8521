//! The refundable amount: what the chosen items of an order paid, never more than is left.
//!
//! Rules (the one place they are written down):
//!
//! - **An item's paid share** is its line as priced at checkout: `subtotal − its share of the
//!   order discount + its tax` (tax only when prices exclude it; included tax is already in
//!   the subtotal). These per-line figures are stored on the order items, so nothing is
//!   re-priced here.
//! - **Shipping** goes back with the last physical item: a refund that covers a physical item
//!   and leaves no physical item unrefunded also returns the shipping.
//! - **Never more than was captured**: when the lines and shipping add up to more than the
//!   payment captured (a payment for less than the order's total), the capture is shared in
//!   proportion to them by the largest-remainder method (ties go to the earlier line, then
//!   to shipping), so the shares always sum exactly to the capture. The result is further
//!   capped at what the capture still holds after the refunds already promised.
//! - **Which items**: a request naming items may ask for at most their shares; one naming no
//!   items covers the eligible items not yet refunded (`Ask::Eligible`); a cancellation covers
//!   every item not yet refunded (`Ask::Everything`). An item can be in one refund only.

/// One order line with its stored pricing figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidLine {
    pub id: String,
    pub physical: bool,
    /// Unit price × quantity.
    pub subtotal_cents: i64,
    /// This line's share of the order discount, as priced at checkout.
    pub discount_cents: i64,
    pub tax_cents: i64,
    /// Already covered by another refund that was not rejected.
    pub taken: bool,
    /// Passes the refund eligibility rules now.
    pub eligible: bool,
}

/// An order as paid, with what was captured and what is already promised back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidOrder {
    pub lines: Vec<PaidLine>,
    pub prices_include_tax: bool,
    pub shipping_cents: i64,
    /// What the payment captured.
    pub captured_cents: i64,
    /// Promised back by refunds that were not rejected.
    pub committed_cents: i64,
}

/// Which items a refund covers.
#[derive(Debug, Clone, Copy)]
pub enum Ask<'a> {
    /// The items named (order item ids; repeats count once).
    Items(&'a [String]),
    /// Every item not yet refunded that is eligible.
    Eligible,
    /// Every item not yet refunded (a cancellation).
    Everything,
}

/// What a refund may cover and pay back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refundable {
    /// The order item ids covered, in order position.
    pub item_ids: Vec<String>,
    /// The items' paid shares.
    pub items_cents: i64,
    /// The shipping share, when the last physical item goes back.
    pub shipping_cents: i64,
    /// What may be paid back: the shares, capped at what the capture still holds.
    pub cents: i64,
}

/// Why the items asked for cannot be refunded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRefundable {
    /// An id that is not an item of this order.
    UnknownItem(String),
    /// An item already covered by another refund.
    AlreadyRefunded(String),
    /// `Ask::Items` with an empty list.
    NoItems,
}

/// Each line's and the shipping's share of what was captured: the stored figures themselves
/// when they fit in the capture, scaled down by largest remainder when they do not.
pub fn paid_shares(order: &PaidOrder) -> (Vec<i64>, i64) {
    let mut weights: Vec<i64> = order
        .lines
        .iter()
        .map(|line| {
            let tax = if order.prices_include_tax {
                0
            } else {
                line.tax_cents.max(0)
            };
            (line.subtotal_cents - line.discount_cents)
                .max(0)
                .saturating_add(tax)
        })
        .collect();
    weights.push(order.shipping_cents.max(0));
    let total: i128 = weights.iter().map(|&w| i128::from(w)).sum();
    let captured = i128::from(order.captured_cents.max(0));
    if total > captured {
        weights = largest_remainder(captured, &weights, total);
    }
    let shipping = weights.pop().unwrap_or(0);
    (weights, shipping)
}

/// Shares `amount` (less than `total`, the sum of `weights`) in proportion to `weights`.
fn largest_remainder(amount: i128, weights: &[i64], total: i128) -> Vec<i64> {
    if total == 0 {
        return vec![0; weights.len()];
    }
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
    // Each share is at most its weight, so it fits in i64.
    shares.into_iter().map(|s| s as i64).collect()
}

/// The refundable amount of the items `ask` covers (see the module rules).
pub fn refundable_cents(order: &PaidOrder, ask: Ask<'_>) -> Result<Refundable, NotRefundable> {
    let chosen: Vec<usize> = match ask {
        Ask::Items([]) => return Err(NotRefundable::NoItems),
        Ask::Items(ids) => {
            let mut chosen = Vec::new();
            for id in ids {
                let index = order
                    .lines
                    .iter()
                    .position(|line| &line.id == id)
                    .ok_or_else(|| NotRefundable::UnknownItem(id.clone()))?;
                if order.lines[index].taken {
                    return Err(NotRefundable::AlreadyRefunded(id.clone()));
                }
                if !chosen.contains(&index) {
                    chosen.push(index);
                }
            }
            chosen.sort_unstable();
            chosen
        }
        Ask::Eligible => open(order).filter(|&i| order.lines[i].eligible).collect(),
        Ask::Everything => open(order).collect(),
    };
    let (shares, shipping_share) = paid_shares(order);
    let items_cents: i64 = chosen.iter().map(|&i| shares[i]).sum();
    let covers_physical = chosen.iter().any(|&i| order.lines[i].physical);
    let physical_left = open(order).any(|i| order.lines[i].physical && !chosen.contains(&i));
    let shipping_cents = if covers_physical && !physical_left {
        shipping_share
    } else {
        0
    };
    let left = (order.captured_cents - order.committed_cents).max(0);
    Ok(Refundable {
        item_ids: chosen.iter().map(|&i| order.lines[i].id.clone()).collect(),
        items_cents,
        shipping_cents,
        cents: (items_cents + shipping_cents).min(left),
    })
}

/// Indexes of the lines no refund covers yet.
fn open(order: &PaidOrder) -> impl Iterator<Item = usize> + '_ {
    (0..order.lines.len()).filter(|&i| !order.lines[i].taken)
}

#[cfg(test)]
#[path = "refundable_tests.rs"]
mod tests;
