//! Integration tests: each drives the real router over HTTP against its own SQLite file.

mod accounts_mail;
mod auth;
mod catalogue;
mod catalogue_content;
mod commerce;
mod foundation;
mod install_script;
mod learning;
mod openapi;
mod ops;
mod query_plans;
mod security;
mod security_admin;
mod session_cache;
mod support;
mod web;
