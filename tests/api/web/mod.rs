//! The HTTP surface: the embedded web UI and the OpenAPI description.

mod openapi;
mod ui;
