//! Checkout pricing in integer cents, shared by the cart view and order creation.
//!
//! # Order of operations
//!
//! 1. **Subtotal**: each line is `unit_price_cents × quantity`.
//! 2. **Coupon discount**, per line, on the lines the coupon's scope covers.
//! 3. **Tax**, per line, on the discounted line amount.
//! 4. **Shipping**, once per order and only when a physical item is in the
//!    cart. Shipping is not taxed: its price is charged as configured.
//!
//! # Rounding (the one place these rules are written down)
//!
//! Every amount is `i64` cents and every intermediate product is computed in
//! `i128`, so nothing is lost before the single rounding step. Every division
//! rounds **half-up** (all amounts here are non-negative, so `x.5` becomes
//! `x + 1` and anything below `.5` is dropped), and it rounds **per line**:
//!
//! - Percent coupon (`percent` is a whole percent, `1..=100`): each covered
//!   line's discount is `round_half_up(line_subtotal × percent / 100)`. Three
//!   lines of 333 at 10 % give 33 + 33 + 33 = 99, not 100.
//! - Fixed coupon: the amount is first capped at the covered subtotal, so a
//!   discount never exceeds what it applies to. It is then shared across the
//!   covered lines in proportion to their subtotals by the largest-remainder
//!   method: each line gets `floor(amount × line_subtotal / covered_subtotal)`
//!   and the cents still missing go one each to the lines with the largest
//!   remainders (ties go to the earlier line), so the shares sum exactly.
//! - Tax is computed on the discounted line amount `a` with the line's rate
//!   `r` in basis points (1 bp = 0.01 %):
//!   - prices exclude tax: `tax = round_half_up(a × r / 10000)`, added on top;
//!   - prices include tax: `tax = a − round_half_up(a × 10000 / (10000 + r))`,
//!     already contained in `a`, so it is reported but not added.
//!
//! Whatever the inputs, `total = subtotal − discount + tax (only when prices
//! exclude tax) + shipping`, the same holds for each line without shipping,
//! the order figures are the sums of the line figures, and no figure is
//! negative. Amounts too large for `i64` give [`PricingError::Overflow`].

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

mod coupon;
mod error;
mod shipping;
mod tax;
#[cfg(test)]
mod tests;

pub use coupon::*;
pub use error::*;
pub use shipping::*;
pub use tax::*;

const BASIS_POINTS_PER_UNIT: i128 = 10_000;
const PERCENT_PER_UNIT: i128 = 100;
/// Highest tax rate accepted (100 %); anything above is almost certainly a
/// typo such as 190000 for 19 %.
pub const MAX_TAX_RATE_BPS: u32 = 10_000;

/// What a cart line sells; decides coupon scope, tax class and shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    PhysicalProduct,
    DigitalProduct,
    Course,
    /// Several courses sold as one line: taxed and discounted like a course.
    Bundle,
}

impl ItemKind {
    /// Physical goods need shipping.
    pub fn is_physical(self) -> bool {
        matches!(self, Self::PhysicalProduct)
    }

    /// Products (physical or digital) as opposed to courses.
    pub fn is_product(self) -> bool {
        matches!(self, Self::PhysicalProduct | Self::DigitalProduct)
    }

    /// A course, or a bundle of them (coupons scoped to courses apply to both).
    pub fn is_course(self) -> bool {
        matches!(self, Self::Course | Self::Bundle)
    }

    /// Courses are delivered online, so they are taxed as digital goods.
    pub fn is_digital(self) -> bool {
        !self.is_physical()
    }
}

/// One line of a cart or order, priced at the current catalogue price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    pub kind: ItemKind,
    pub item_id: String,
    pub unit_price_cents: i64,
    pub quantity: u32,
    /// Physical units one unit of the line ships: 1 for a physical product, the physical
    /// products a bundle includes, else 0.
    pub shipped_units: u32,
}

impl CartLine {
    /// The line has something to ship.
    pub fn ships(&self) -> bool {
        self.shipped_units > 0
    }
}

/// A coupon the buyer entered, with what is needed to check it.
#[derive(Debug, Clone, Copy)]
pub struct CouponApplication<'a> {
    pub coupon: &'a Coupon,
    pub usage: CouponUsage,
    pub now: OffsetDateTime,
}

/// Everything checkout pricing depends on.
#[derive(Debug, Clone, Copy)]
pub struct PricingInput<'a> {
    pub lines: &'a [CartLine],
    pub coupon: Option<CouponApplication<'a>>,
    pub tax: &'a TaxSettings,
    /// Buyer's (shipping or billing) country, ISO 3166-1 alpha-2.
    pub country: Option<&'a str>,
    pub shipping_methods: &'a [ShippingMethod],
    /// Ignored when the cart has no physical items.
    pub shipping_method_id: Option<&'a str>,
}

/// One priced line. `total_cents = subtotal − discount + tax` when prices
/// exclude tax, `subtotal − discount` when they include it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PricedLine {
    pub kind: ItemKind,
    pub item_id: String,
    pub unit_price_cents: i64,
    pub quantity: u32,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub tax_rate_bps: u32,
    pub total_cents: i64,
}

/// The priced cart: what the cart shows and what an order stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PricedCart {
    pub lines: Vec<PricedLine>,
    pub prices_include_tax: bool,
    /// The coupon's canonical code, when one was applied.
    pub coupon_code: Option<String>,
    /// The chosen method, when shipping applies.
    pub shipping_method_id: Option<String>,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub shipping_cents: i64,
    pub total_cents: i64,
}

/// Prices a cart: subtotal → coupon discount → tax → shipping (see the
/// module documentation for the rounding rules).
pub fn price_cart(input: &PricingInput<'_>) -> Result<PricedCart, PricingError> {
    let line_subtotals = input
        .lines
        .iter()
        .map(line_subtotal)
        .collect::<Result<Vec<i64>, PricingError>>()?;
    let subtotal = checked_sum(&line_subtotals)?;

    let line_discounts = match &input.coupon {
        Some(application) => discounts_for(application, input.lines, &line_subtotals, subtotal)?,
        None => vec![0; input.lines.len()],
    };
    let discount = checked_sum(&line_discounts)?;

    input.tax.validate()?;
    let prices_include_tax = input.tax.prices_include_tax;
    let mut lines = Vec::with_capacity(input.lines.len());
    for ((line, &line_subtotal), &line_discount) in
        input.lines.iter().zip(&line_subtotals).zip(&line_discounts)
    {
        let discounted = line_subtotal - line_discount;
        let tax_rate_bps = input.tax.rate_bps_for(input.country, line.kind);
        let tax = to_cents(line_tax(
            i128::from(discounted),
            tax_rate_bps,
            prices_include_tax,
        ))?;
        let total = if prices_include_tax {
            discounted
        } else {
            discounted.checked_add(tax).ok_or(PricingError::Overflow)?
        };
        lines.push(PricedLine {
            kind: line.kind,
            item_id: line.item_id.clone(),
            unit_price_cents: line.unit_price_cents,
            quantity: line.quantity,
            subtotal_cents: line_subtotal,
            discount_cents: line_discount,
            tax_cents: tax,
            tax_rate_bps,
            total_cents: total,
        });
    }
    let tax = checked_sum(&lines.iter().map(|line| line.tax_cents).collect::<Vec<_>>())?;
    let lines_total = checked_sum(
        &lines
            .iter()
            .map(|line| line.total_cents)
            .collect::<Vec<_>>(),
    )?;

    let (shipping_method_id, shipping) = shipping_for(input, subtotal - discount)?;
    let total = lines_total
        .checked_add(shipping)
        .ok_or(PricingError::Overflow)?;

    Ok(PricedCart {
        lines,
        prices_include_tax,
        coupon_code: input
            .coupon
            .map(|application| application.coupon.code.trim().to_owned()),
        shipping_method_id,
        subtotal_cents: subtotal,
        discount_cents: discount,
        tax_cents: tax,
        shipping_cents: shipping,
        total_cents: total,
    })
}

fn line_subtotal(line: &CartLine) -> Result<i64, PricingError> {
    if line.quantity == 0 {
        return Err(PricingError::InvalidQuantity {
            item_id: line.item_id.clone(),
        });
    }
    if line.unit_price_cents < 0 {
        return Err(PricingError::NegativeUnitPrice {
            item_id: line.item_id.clone(),
        });
    }
    to_cents(i128::from(line.unit_price_cents) * i128::from(line.quantity))
}

fn discounts_for(
    application: &CouponApplication<'_>,
    lines: &[CartLine],
    line_subtotals: &[i64],
    subtotal: i64,
) -> Result<Vec<i64>, PricingError> {
    let coupon = application.coupon;
    coupon.validate()?;
    // Lines outside the scope weigh nothing, so they get no share.
    let covered: Vec<i64> = lines
        .iter()
        .zip(line_subtotals)
        .map(|(line, &amount)| if coupon.scope.covers(line) { amount } else { 0 })
        .collect();
    let covers_a_paid_line = covered.iter().any(|&amount| amount > 0);
    coupon.check_cart(
        application.usage,
        application.now,
        i128::from(subtotal),
        covers_a_paid_line,
    )?;
    Ok(match coupon.discount {
        CouponDiscount::Percent(percent) => covered
            .iter()
            .map(|&amount| {
                // percent <= 100, so the result never exceeds `amount`.
                div_round_half_up(i128::from(amount) * i128::from(percent), PERCENT_PER_UNIT) as i64
            })
            .collect(),
        CouponDiscount::FixedCents(cents) => {
            let covered_total = checked_sum(&covered)?;
            allocate_largest_remainder(cents.min(covered_total), &covered)
        }
    })
}

/// Splits `amount` (at most the sum of `weights`, all non-negative) in
/// proportion to `weights` so the shares sum exactly to `amount`.
fn allocate_largest_remainder(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total_weight: i128 = weights.iter().map(|&weight| i128::from(weight)).sum();
    if amount <= 0 || total_weight == 0 {
        return vec![0; weights.len()];
    }
    let amount = i128::from(amount);
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (index, &weight) in weights.iter().enumerate() {
        let exact = amount * i128::from(weight);
        shares.push(exact / total_weight);
        remainders.push((exact % total_weight, index));
    }
    let allocated: i128 = shares.iter().sum();
    // Largest remainder first; on a tie the earlier line wins.
    remainders.sort_by(|(left, left_index), (right, right_index)| {
        right.cmp(left).then(left_index.cmp(right_index))
    });
    let missing = usize::try_from(amount - allocated).unwrap_or(0);
    for &(_, index) in remainders.iter().take(missing) {
        shares[index] += 1;
    }
    // Each share is at most its weight (amount <= total weight), so it fits.
    shares.into_iter().map(|share| share as i64).collect()
}

fn shipping_for(
    input: &PricingInput<'_>,
    goods_amount_cents: i64,
) -> Result<(Option<String>, i64), PricingError> {
    let physical_units: u64 = input
        .lines
        .iter()
        .map(|line| u64::from(line.quantity) * u64::from(line.shipped_units))
        .sum();
    if physical_units == 0 {
        return Ok((None, 0));
    }
    let method_id = input
        .shipping_method_id
        .ok_or(PricingError::ShippingMethodRequired)?;
    let method = input
        .shipping_methods
        .iter()
        .find(|method| method.id == method_id)
        .ok_or_else(|| PricingError::UnknownShippingMethod {
            method_id: method_id.to_owned(),
        })?;
    method.validate()?;
    let country = input
        .country
        .map(str::trim)
        .filter(|country| !country.is_empty())
        .ok_or(PricingError::ShippingCountryRequired)?;
    if !method.ships_to(country) {
        return Err(PricingError::ShippingNotAvailableForCountry {
            method_id: method.id.clone(),
            country: country.to_ascii_uppercase(),
        });
    }
    let cost = method
        .cost(physical_units, goods_amount_cents)
        .ok_or(PricingError::Overflow)?;
    Ok((Some(method.id.clone()), cost))
}

/// `numerator / denominator` rounded half-up; both must be non-negative and
/// the denominator positive.
fn div_round_half_up(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder * 2 >= denominator {
        quotient + 1
    } else {
        quotient
    }
}

fn to_cents(amount: i128) -> Result<i64, PricingError> {
    i64::try_from(amount).map_err(|_| PricingError::Overflow)
}

fn checked_sum(amounts: &[i64]) -> Result<i64, PricingError> {
    amounts
        .iter()
        .try_fold(0i64, |sum, &amount| sum.checked_add(amount))
        .ok_or(PricingError::Overflow)
}
