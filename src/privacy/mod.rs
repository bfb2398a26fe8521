//! Personal data: export (ZIP), erasure by pseudonymisation, and re-encryption of secrets
//! under a new key (`schoolhouse keys rotate`).

pub mod export;
pub mod keys;
pub mod redact;
pub mod routes;
pub mod service;
pub mod store;

pub use routes::router;
