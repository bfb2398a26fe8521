//! Integration tests: each drives the real router over HTTP against its own SQLite file.

mod accounts_mail;
mod adversarial;
mod analytics;
mod audit_actions;
mod audit_log;
mod auth;
mod catalogue;
mod catalogue_cache;
mod catalogue_content;
mod commerce;
mod demo;
mod foundation;
mod install_script;
mod learning;
mod mails;
mod openapi;
mod ops;
mod ops_doctor;
mod ops_encryption;
mod ops_metrics;
mod payments;
#[path = "payments/paypal.rs"]
mod paypal;
#[path = "payments/paypal_money.rs"]
mod paypal_money;
#[path = "payments/paypal_peer.rs"]
mod paypal_peer;
mod privacy;
mod query_plans;
mod refund_flows;
mod restart;
mod restore_in_place;
mod security;
mod security_admin;
mod session_cache;
mod support;
mod ui_gaps;
mod upgrade_fixtures;
mod upgrades;
mod web;
