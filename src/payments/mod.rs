//! Payments and refunds: gateways (Stripe, manual), signed webhooks, reconciliation and the
//! refund flow.

pub mod config;
pub mod eligibility;
pub mod gateway;
pub mod manual;
pub mod model;
pub mod store;
pub mod stripe;
