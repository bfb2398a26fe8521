//! Payments and refunds: gateways (Stripe, manual), signed webhooks, reconciliation and the
//! refund flow.

pub mod config;
pub mod eligibility;
pub mod gateway;
pub mod jobs;
pub mod manual;
pub mod model;
pub mod refunds;
pub mod routes;
pub mod service;
pub mod store;
pub mod stripe;
pub mod webhook;
