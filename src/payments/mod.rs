//! Payments and refunds: gateways (Stripe, PayPal, manual), signed webhooks, reconciliation, the
//! refund flow, and memberships billed through Stripe Billing.

pub use crate::config::payments as config;
pub mod card_country;
pub mod decisions;
pub mod eligibility;
pub mod gateway;
pub mod jobs;
pub mod lifecycle;
pub mod mails;
pub mod manual;
pub mod memberships;
pub mod model;
pub mod money_back;
pub mod office;
pub mod paypal;
pub mod recheck;
pub mod reconcile;
pub mod refund_outcome;
pub mod refundable;
pub mod refunds;
pub mod routes;
pub mod scope;
pub mod service;
pub mod store;
pub mod stray;
pub mod stripe;
pub mod webhook;
