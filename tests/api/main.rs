//! Integration tests: each drives the real router over HTTP against its own SQLite file.

mod support;

mod auth;
mod commerce;
mod foundation;
mod install_script;
mod learning;
mod openapi;
mod payments;
mod web;
