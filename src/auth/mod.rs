//! Authentication: passwords, tokens, sessions, role guards and the `/api/auth` endpoints.

pub mod extract;
pub mod keys;
pub mod password;
pub mod recovery;
pub mod routes;
pub mod service;
pub mod store;
pub mod tokens;

pub use extract::{AuthUser, MaybeUser, require_roles};
