//! PayPal as an online gateway (REST API v2): orders approved by redirect and captured on
//! return, verified webhooks, refunds through the capture, reconciliation. See docs/paypal.md.

pub mod amounts;
pub mod client;
pub use crate::config::paypal as config;
pub mod events;
pub mod flow;
pub mod gateway;
pub mod money_back;
pub mod order;
pub mod reconcile;
pub mod routes;
pub mod store;
pub mod webhook;
