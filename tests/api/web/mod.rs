//! The HTTP surface: problems and probes, response headers, the embedded web UI and the
//! OpenAPI description.

mod headers;
mod openapi;
mod problems;
mod ui;
