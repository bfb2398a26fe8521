//! Integration tests: each drives the real router over HTTP against its own SQLite file.
//! One folder per domain; each folder's mod.rs lists its files.

mod admin;
mod adversarial;
mod analytics;
mod audit;
mod auth;
mod catalog;
mod commerce;
mod i18n;
mod learning;
mod mail;
mod ops;
mod payments;
mod privacy;
mod support;
mod web;
