//! Coupons: definitions, validation, scope, and whether one applies to a cart.

use std::fmt;

use super::*;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

/// A discount code. In TOML/JSON the discount is written inline, e.g.
/// `code = "SPRING", percent = 10` or `code = "TENOFF", fixed_cents = 1000`;
/// dates are RFC 3339 strings (quoted in TOML).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coupon {
    /// Matched case-insensitively, ignoring surrounding whitespace.
    pub code: String,
    #[serde(flatten)]
    pub discount: CouponDiscount,
    /// Compared with the whole cart subtotal before any discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_subtotal_cents: Option<i64>,
    #[serde(default)]
    pub scope: CouponScope,
    /// Valid from this instant on (inclusive).
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub starts_at: Option<OffsetDateTime>,
    /// Valid until just before this instant (exclusive).
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_redemptions: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_redemptions_per_user: Option<u32>,
}

/// How much a coupon takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouponDiscount {
    /// Whole percent, `1..=100`, applied to each covered line.
    Percent(u32),
    /// A fixed amount shared across the covered lines.
    FixedCents(i64),
}

/// Which lines a coupon covers. `"all"`, `"products"`, `"courses"` or
/// `{ items = ["<item id>", ...] }`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouponScope {
    #[default]
    All,
    /// Physical and digital products, not courses.
    Products,
    Courses,
    /// Only lines whose item id is listed (ids are unique across kinds).
    Items(Vec<String>),
}

impl CouponScope {
    pub fn covers(&self, line: &CartLine) -> bool {
        match self {
            Self::All => true,
            Self::Products => line.kind.is_product(),
            Self::Courses => line.kind.is_course(),
            Self::Items(ids) => ids.contains(&line.item_id),
        }
    }
}

/// How often a coupon has been redeemed so far, counted by the caller: every order placed
/// with it that is not cancelled (pending orders hold their redemption).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CouponUsage {
    /// Redemptions by everyone.
    pub total_redemptions: u32,
    /// Redemptions by the buyer (0 for a guest).
    pub user_redemptions: u32,
}

/// Why a coupon cannot be used for this cart right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouponRejection {
    NotStarted,
    Expired,
    UsedUp,
    UsedUpForUser,
    BelowMinimum { min_subtotal_cents: i64 },
    NotApplicable,
}

impl CouponRejection {
    /// Stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::Expired => "expired",
            Self::UsedUp => "used_up",
            Self::UsedUpForUser => "used_up_for_user",
            Self::BelowMinimum { .. } => "below_minimum",
            Self::NotApplicable => "not_applicable",
        }
    }
}

impl CouponRejection {
    /// What the buyer reads, in any locale.
    pub fn message(&self) -> crate::http::Message {
        match self {
            Self::NotStarted => "this coupon is not valid yet".into(),
            Self::Expired => "this coupon has expired".into(),
            Self::UsedUp => "this coupon has been used up".into(),
            Self::UsedUpForUser => "you have already used this coupon as often as it allows \
                 (orders awaiting payment count until they are cancelled)"
                .into(),
            Self::BelowMinimum { min_subtotal_cents } => crate::msg!(
                "problem-coupon-minimum",
                amount = format_minor_units(*min_subtotal_cents)
            ),
            Self::NotApplicable => "this coupon does not apply to anything in the cart".into(),
        }
    }
}

impl fmt::Display for CouponRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for CouponRejection {}

/// `{"code": "...", "message": "..."}` plus `min_subtotal_cents` when relevant.
impl Serialize for CouponRejection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("message", &self.to_string())?;
        if let Self::BelowMinimum { min_subtotal_cents } = self {
            map.serialize_entry("min_subtotal_cents", min_subtotal_cents)?;
        }
        map.end()
    }
}

/// Cents as a plain decimal ("12.34"); messages only, the UI adds the currency.
fn format_minor_units(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let magnitude = cents.unsigned_abs();
    format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
}

impl Coupon {
    /// Whether `code` (as typed by a buyer) names this coupon.
    pub fn matches_code(&self, code: &str) -> bool {
        self.code.trim().to_lowercase() == code.trim().to_lowercase()
    }

    /// Checks the coupon's own settings, independent of any cart.
    pub fn validate(&self) -> Result<(), DefinitionError> {
        if self.code.trim().is_empty() {
            return Err(DefinitionError::new("code", "must not be empty"));
        }
        match self.discount {
            CouponDiscount::Percent(percent) if !(1..=100).contains(&percent) => {
                return Err(DefinitionError::new(
                    "percent",
                    crate::msg!("problem-between-got", min = 1, max = 100, got = percent),
                ));
            }
            CouponDiscount::FixedCents(cents) if cents <= 0 => {
                return Err(DefinitionError::new(
                    "fixed_cents",
                    crate::msg!("problem-positive-got", got = cents),
                ));
            }
            _ => {}
        }
        if let Some(min) = self.min_subtotal_cents
            && min < 0
        {
            return Err(DefinitionError::new(
                "min_subtotal_cents",
                crate::msg!("problem-not-negative-got", got = min),
            ));
        }
        if let CouponScope::Items(ids) = &self.scope
            && ids.is_empty()
        {
            return Err(DefinitionError::new(
                "scope",
                "items list must not be empty",
            ));
        }
        if let (Some(starts_at), Some(expires_at)) = (self.starts_at, self.expires_at)
            && starts_at >= expires_at
        {
            return Err(DefinitionError::new(
                "expires_at",
                "must be later than starts_at",
            ));
        }
        Ok(())
    }

    /// Whether the coupon may be used on `lines` at `now`, given how often it
    /// has been redeemed. Dates are checked first, then limits, then the cart.
    pub fn check(
        &self,
        lines: &[CartLine],
        usage: CouponUsage,
        now: OffsetDateTime,
    ) -> Result<(), CouponRejection> {
        // Saturating is exact for any real cart and only used for comparisons;
        // `price_cart` reports true overflow separately.
        let subtotal = lines.iter().fold(0i128, |sum, line| {
            sum.saturating_add(i128::from(line.unit_price_cents) * i128::from(line.quantity))
        });
        let covers_something = lines
            .iter()
            .any(|line| self.scope.covers(line) && line.unit_price_cents > 0 && line.quantity > 0);
        self.check_cart(usage, now, subtotal, covers_something)
    }

    /// The one coupon-limit rule: one more redemption is allowed only while those already
    /// counted (orders placed with the coupon and not cancelled, paid or not) stay below
    /// `max_redemptions` in total and below `max_redemptions_per_user` for the buyer.
    /// Checkout counts and reserves in the same write, so the limit holds under concurrency.
    pub fn check_limits(&self, usage: CouponUsage) -> Result<(), CouponRejection> {
        if self
            .max_redemptions
            .is_some_and(|max| usage.total_redemptions >= max)
        {
            return Err(CouponRejection::UsedUp);
        }
        if self
            .max_redemptions_per_user
            .is_some_and(|max| usage.user_redemptions >= max)
        {
            return Err(CouponRejection::UsedUpForUser);
        }
        Ok(())
    }

    pub(super) fn check_cart(
        &self,
        usage: CouponUsage,
        now: OffsetDateTime,
        cart_subtotal_cents: i128,
        covers_a_paid_line: bool,
    ) -> Result<(), CouponRejection> {
        if self.starts_at.is_some_and(|starts_at| now < starts_at) {
            return Err(CouponRejection::NotStarted);
        }
        if self.expires_at.is_some_and(|expires_at| now >= expires_at) {
            return Err(CouponRejection::Expired);
        }
        self.check_limits(usage)?;
        // A coupon that would take nothing off is refused rather than
        // silently consuming one of its limited redemptions.
        if !covers_a_paid_line {
            return Err(CouponRejection::NotApplicable);
        }
        if let Some(min_subtotal_cents) = self.min_subtotal_cents
            && cart_subtotal_cents < i128::from(min_subtotal_cents)
        {
            return Err(CouponRejection::BelowMinimum { min_subtotal_cents });
        }
        Ok(())
    }
}

/// The coupon whose code matches `code`, ignoring case and outer whitespace.
pub fn find_coupon<'a>(coupons: &'a [Coupon], code: &str) -> Option<&'a Coupon> {
    coupons.iter().find(|coupon| coupon.matches_code(code))
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    fn limited(total: Option<u32>, per_user: Option<u32>) -> Coupon {
        Coupon {
            code: "ONCE".into(),
            discount: CouponDiscount::Percent(10),
            min_subtotal_cents: None,
            scope: CouponScope::All,
            starts_at: None,
            expires_at: None,
            max_redemptions: total,
            max_redemptions_per_user: per_user,
        }
    }

    fn used(total: u32, by_user: u32) -> CouponUsage {
        CouponUsage {
            total_redemptions: total,
            user_redemptions: by_user,
        }
    }

    #[test]
    fn a_single_use_coupon_allows_exactly_one_redemption() {
        let once = limited(Some(1), None);
        assert_eq!(once.check_limits(used(0, 0)), Ok(()));
        assert_eq!(once.check_limits(used(1, 0)), Err(CouponRejection::UsedUp));
    }

    #[test]
    fn the_per_user_limit_counts_only_the_buyers_own_redemptions() {
        let once_each = limited(None, Some(1));
        assert_eq!(once_each.check_limits(used(40, 0)), Ok(()));
        assert_eq!(
            once_each.check_limits(used(40, 1)),
            Err(CouponRejection::UsedUpForUser)
        );
    }

    #[test]
    fn a_coupon_without_limits_never_runs_out() {
        assert_eq!(
            limited(None, None).check_limits(used(u32::MAX, u32::MAX)),
            Ok(())
        );
    }
}
