//! Sign-in with outside providers: OpenID Connect (Google, Microsoft, any issuer) and Facebook.

pub mod callback;
pub mod client;
pub use crate::config::oidc as config;
pub mod facebook;
pub mod flow;
pub mod policy;
pub mod routes;
pub mod service;
pub mod store;
