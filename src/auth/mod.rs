//! Authentication: passwords, tokens, sessions, role guards and the `/api/auth` endpoints.

pub mod client_ip;
pub mod crypto;
pub mod extract;
pub mod keys;
pub mod lockout;
pub mod mfa;
pub mod oidc;
pub mod password;
pub mod rate_limit;
pub mod reauth;
pub mod recovery;
pub mod routes;
pub mod service;
pub mod session_cache;
pub mod store;
pub mod throttle;
pub mod tokens;

pub use extract::{AuthUser, MaybeUser, require_roles};
