//! Integration tests: each drives the real router over HTTP against its own SQLite file.

mod accounts_mail;
mod analytics;
mod audit_actions;
mod audit_log;
mod auth;
mod catalogue;
mod catalogue_content;
mod commerce;
mod demo;
mod foundation;
mod install_script;
mod learning;
mod mails;
mod openapi;
mod ops;
mod payments;
mod privacy;
mod query_plans;
mod refund_flows;
mod security;
mod security_admin;
mod session_cache;
mod support;
mod ui_gaps;
mod web;
