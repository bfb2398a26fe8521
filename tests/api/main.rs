//! Integration tests: each drives the real router over HTTP against its own SQLite file.

mod support;
mod accounts_mail;
mod auth;
mod commerce;
mod foundation;
mod install_script;
mod learning;
mod openapi;
mod web;

