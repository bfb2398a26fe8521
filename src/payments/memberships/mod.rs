//! Memberships and payment plans billed through Stripe Billing (or recorded by hand): plans,
//! the membership state machine (`transition`), Stripe's subscription and invoice webhooks
//! (`events`), self-service and staff actions. Who may open which course is decided by
//! `crate::access` from what is stored here.
//!
//! In `payments` (not `commerce`): it bills through the Stripe client and webhook ledger that
//! live here, and grants enrolments through `learning`, which `payments` may call.

pub mod admin;
pub mod apply;
pub mod billing;
pub mod card;
pub mod events;
pub mod lapse;
pub mod mails;
pub mod model;
pub mod plans;
pub mod report;
pub mod routes;
pub mod service;
pub mod store;
pub mod transition;
