//! Integration tests: each drives the real router over HTTP against its own SQLite file.

mod accounts_mail;
mod auth;
mod commerce;
mod support;
mod catalogue;
mod catalogue_content;
mod foundation;
mod install_script;
mod learning;
mod openapi;
mod web;
mod security;
mod security_admin;
