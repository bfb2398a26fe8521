//! Coupon definitions as the admin API sends and shows them, converted to pricing's `Coupon`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::pricing::{Coupon, CouponDiscount, CouponScope};
use crate::http::{AppError, FieldError};

/// `POST`/`PUT /api/admin/coupons`: exactly one of `percent` and `fixed_cents`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CouponInput {
    pub code: String,
    /// Whole percent, 1..=100.
    pub percent: Option<u32>,
    pub fixed_cents: Option<i64>,
    pub min_subtotal_cents: Option<i64>,
    /// `all` (default), `products`, `courses` or `items` (then `item_ids` lists them).
    pub scope: Option<String>,
    #[serde(default)]
    pub item_ids: Vec<String>,
    /// RFC 3339.
    pub starts_at: Option<String>,
    /// RFC 3339; the coupon stops working at this instant.
    pub expires_at: Option<String>,
    pub max_redemptions: Option<u32>,
    pub max_redemptions_per_user: Option<u32>,
}

/// A stored coupon.
#[derive(Debug, Clone)]
pub struct CouponRecord {
    pub id: String,
    pub coupon: Coupon,
    pub redemptions: i64,
    pub pending_redemptions: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CouponView {
    pub id: String,
    pub code: String,
    pub percent: Option<u32>,
    pub fixed_cents: Option<i64>,
    pub min_subtotal_cents: Option<i64>,
    pub scope: String,
    pub item_ids: Vec<String>,
    pub starts_at: Option<String>,
    pub expires_at: Option<String>,
    pub max_redemptions: Option<u32>,
    pub max_redemptions_per_user: Option<u32>,
    /// Redemptions counted against the limits: orders placed with the coupon and not
    /// cancelled (paid, or still awaiting payment).
    pub redemptions: i64,
    /// Of `redemptions`, those held by orders still awaiting payment (released if the
    /// order is cancelled or its reservation runs out).
    pub pending_redemptions: i64,
    pub created_at: String,
    pub updated_at: String,
}

pub fn scope_name(scope: &CouponScope) -> &'static str {
    match scope {
        CouponScope::All => "all",
        CouponScope::Products => "products",
        CouponScope::Courses => "courses",
        CouponScope::Items(_) => "items",
    }
}

impl From<&CouponRecord> for CouponView {
    fn from(record: &CouponRecord) -> CouponView {
        let c = &record.coupon;
        let (percent, fixed_cents) = match c.discount {
            CouponDiscount::Percent(p) => (Some(p), None),
            CouponDiscount::FixedCents(f) => (None, Some(f)),
        };
        CouponView {
            id: record.id.clone(),
            code: c.code.clone(),
            percent,
            fixed_cents,
            min_subtotal_cents: c.min_subtotal_cents,
            scope: scope_name(&c.scope).into(),
            item_ids: match &c.scope {
                CouponScope::Items(ids) => ids.clone(),
                _ => Vec::new(),
            },
            starts_at: c.starts_at.map(crate::clock::rfc3339),
            expires_at: c.expires_at.map(crate::clock::rfc3339),
            max_redemptions: c.max_redemptions,
            max_redemptions_per_user: c.max_redemptions_per_user,
            redemptions: record.redemptions,
            pending_redemptions: record.pending_redemptions,
            created_at: record.created_at.clone(),
            updated_at: record.updated_at.clone(),
        }
    }
}

/// The canonical stored form of a code: trimmed and upper-cased.
pub fn canonical_code(code: &str) -> String {
    code.trim().to_uppercase()
}

fn parse_time(field: &str, value: Option<&str>) -> Result<Option<OffsetDateTime>, FieldError> {
    value
        .map(|text| {
            crate::clock::parse_rfc3339(text.trim())
                .ok_or_else(|| FieldError::new(field, "must be an RFC 3339 time"))
        })
        .transpose()
}

impl CouponInput {
    /// Checks the definition and builds the pricing coupon; every problem names its field.
    pub fn to_coupon(&self) -> Result<Coupon, AppError> {
        let mut errors = Vec::new();
        let code = canonical_code(&self.code);
        if code.is_empty() || code.chars().count() > 64 {
            errors.push(FieldError::new("code", "must be 1 to 64 characters"));
        } else if !code
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            errors.push(FieldError::new(
                "code",
                "may hold only letters, digits, '-' and '_'",
            ));
        }
        let discount = match (self.percent, self.fixed_cents) {
            (Some(p), None) => Some(CouponDiscount::Percent(p)),
            (None, Some(f)) => Some(CouponDiscount::FixedCents(f)),
            _ => {
                errors.push(FieldError::new(
                    "percent",
                    "give exactly one of percent and fixed_cents",
                ));
                None
            }
        };
        let scope = match self.scope.as_deref().unwrap_or("all") {
            "all" => CouponScope::All,
            "products" => CouponScope::Products,
            "courses" => CouponScope::Courses,
            "items" => CouponScope::Items(self.item_ids.clone()),
            _ => {
                errors.push(FieldError::new(
                    "scope",
                    "must be all, products, courses or items",
                ));
                CouponScope::All
            }
        };
        if !matches!(scope, CouponScope::Items(_)) && !self.item_ids.is_empty() {
            errors.push(FieldError::new("item_ids", "needs scope = \"items\""));
        }
        let starts_at = parse_time("starts_at", self.starts_at.as_deref()).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let expires_at = parse_time("expires_at", self.expires_at.as_deref()).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        for (field, value) in [
            ("max_redemptions", self.max_redemptions),
            ("max_redemptions_per_user", self.max_redemptions_per_user),
        ] {
            if value == Some(0) {
                errors.push(FieldError::new(field, "must be at least 1"));
            }
        }
        let (Some(discount), true) = (discount, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let coupon = Coupon {
            code,
            discount,
            min_subtotal_cents: self.min_subtotal_cents,
            scope,
            starts_at,
            expires_at,
            max_redemptions: self.max_redemptions,
            max_redemptions_per_user: self.max_redemptions_per_user,
        };
        coupon
            .validate()
            .map_err(|e| AppError::field(e.field, e.problem))?;
        Ok(coupon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CouponInput {
        CouponInput {
            code: " spring-10 ".into(),
            percent: Some(10),
            fixed_cents: None,
            min_subtotal_cents: None,
            scope: None,
            item_ids: Vec::new(),
            starts_at: None,
            expires_at: None,
            max_redemptions: None,
            max_redemptions_per_user: None,
        }
    }

    #[test]
    fn codes_are_stored_upper_case() {
        assert_eq!(input().to_coupon().unwrap().code, "SPRING-10");
    }

    #[test]
    fn both_or_neither_discount_is_refused() {
        let both = CouponInput {
            fixed_cents: Some(100),
            ..input()
        };
        assert!(both.to_coupon().is_err());
        let neither = CouponInput {
            percent: None,
            ..input()
        };
        assert!(neither.to_coupon().is_err());
    }

    #[test]
    fn pricing_rules_name_the_field() {
        let too_much = CouponInput {
            percent: Some(150),
            ..input()
        };
        let problem = too_much.to_coupon().unwrap_err().to_problem();
        assert_eq!(problem.errors[0].field, "percent");
        let backwards = CouponInput {
            starts_at: Some("2030-01-02T00:00:00Z".into()),
            expires_at: Some("2030-01-01T00:00:00Z".into()),
            ..input()
        };
        let problem = backwards.to_coupon().unwrap_err().to_problem();
        assert_eq!(problem.errors[0].field, "expires_at");
    }
}
