//! Payments and refunds.

pub mod eligibility;
