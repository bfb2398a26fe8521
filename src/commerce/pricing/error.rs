//! Why a cart cannot be priced: refused quantities and coupons, unusable configuration, overflow.

use std::fmt;

use super::CouponRejection;

/// A configuration value that cannot be used (coupon, tax or shipping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub field: &'static str,
    pub problem: crate::http::Message,
}

impl DefinitionError {
    pub(super) fn new(field: &'static str, problem: impl Into<crate::http::Message>) -> Self {
        Self {
            field,
            problem: problem.into(),
        }
    }
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for DefinitionError {}

/// Why a cart cannot be priced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PricingError {
    InvalidQuantity {
        item_id: String,
    },
    NegativeUnitPrice {
        item_id: String,
    },
    CouponRejected(CouponRejection),
    /// A coupon, tax setting or shipping method is misconfigured.
    InvalidDefinition(DefinitionError),
    ShippingMethodRequired,
    ShippingCountryRequired,
    UnknownShippingMethod {
        method_id: String,
    },
    ShippingNotAvailableForCountry {
        method_id: String,
        country: String,
    },
    Overflow,
}

impl PricingError {
    /// Stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidQuantity { .. } => "invalid_quantity",
            Self::NegativeUnitPrice { .. } => "negative_unit_price",
            Self::CouponRejected(_) => "coupon_rejected",
            Self::InvalidDefinition(_) => "invalid_definition",
            Self::ShippingMethodRequired => "shipping_method_required",
            Self::ShippingCountryRequired => "shipping_country_required",
            Self::UnknownShippingMethod { .. } => "unknown_shipping_method",
            Self::ShippingNotAvailableForCountry { .. } => "shipping_not_available_for_country",
            Self::Overflow => "overflow",
        }
    }
}

impl PricingError {
    /// What the buyer reads, in any locale.
    pub fn message(&self) -> crate::http::Message {
        use crate::msg;
        match self {
            Self::InvalidQuantity { item_id } => msg!("problem-quantity-min", id = item_id),
            Self::NegativeUnitPrice { item_id } => msg!("problem-negative-price", id = item_id),
            Self::CouponRejected(reason) => reason.message(),
            Self::InvalidDefinition(problem) => msg!(
                "problem-bad-setting",
                field = problem.field,
                problem = problem.problem.clone()
            ),
            Self::ShippingMethodRequired => {
                "choose a shipping method for the physical items".into()
            }
            Self::ShippingCountryRequired => {
                "a shipping country is needed for the physical items".into()
            }
            Self::UnknownShippingMethod { method_id } => {
                msg!("problem-no-shipping-method", id = format!("{method_id:?}"))
            }
            Self::ShippingNotAvailableForCountry { method_id, country } => msg!(
                "problem-method-not-to",
                id = format!("{method_id:?}"),
                country = country
            ),
            Self::Overflow => "the amounts in this cart are too large to process".into(),
        }
    }
}

impl fmt::Display for PricingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for PricingError {}

impl From<CouponRejection> for PricingError {
    fn from(reason: CouponRejection) -> Self {
        Self::CouponRejected(reason)
    }
}

impl From<DefinitionError> for PricingError {
    fn from(problem: DefinitionError) -> Self {
        Self::InvalidDefinition(problem)
    }
}
