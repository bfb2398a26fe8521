//! Why a cart cannot be priced: refused quantities and coupons, unusable configuration, overflow.

use std::fmt;

use super::CouponRejection;

/// A configuration value that cannot be used (coupon, tax or shipping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub field: &'static str,
    pub problem: String,
}

impl DefinitionError {
    pub(super) fn new(field: &'static str, problem: impl Into<String>) -> Self {
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

impl fmt::Display for PricingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidQuantity { item_id } => {
                write!(f, "the quantity of item {item_id} must be at least 1")
            }
            Self::NegativeUnitPrice { item_id } => {
                write!(f, "item {item_id} has a negative price")
            }
            Self::CouponRejected(reason) => reason.fmt(f),
            Self::InvalidDefinition(problem) => write!(f, "invalid store setting: {problem}"),
            Self::ShippingMethodRequired => {
                f.write_str("choose a shipping method for the physical items")
            }
            Self::ShippingCountryRequired => {
                f.write_str("a shipping country is needed for the physical items")
            }
            Self::UnknownShippingMethod { method_id } => {
                write!(f, "there is no shipping method {method_id:?}")
            }
            Self::ShippingNotAvailableForCountry { method_id, country } => {
                write!(
                    f,
                    "shipping method {method_id:?} does not ship to {country}"
                )
            }
            Self::Overflow => f.write_str("the amounts in this cart are too large to process"),
        }
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
