//! Authentication: sign-in, sessions, MFA, recovery, role guards and the `/api/auth`
//! endpoints. The primitives (keys, tokens, hashing, throttling) live in `crate::security`
//! and are re-exported here under their old paths.

pub mod activity;
pub mod extract;
pub mod mfa;
pub mod oidc;
pub mod rate_limit;
pub mod reauth;
pub mod recovery;
pub mod routes;
pub mod service;
pub mod store;

pub use crate::security::{
    client_ip, crypto, keys, lockout, password, session_cache, throttle, tokens,
};
pub use extract::{AuthUser, MaybeUser, require_roles};
