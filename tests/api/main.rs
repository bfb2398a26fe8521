//! Integration tests: each drives the real router over HTTP against its own SQLite file.

mod support;

mod auth;
mod catalogue;
mod catalogue_content;
mod foundation;
mod install_script;
