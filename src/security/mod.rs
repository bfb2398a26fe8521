//! Security primitives every layer may use: data-dir secrets, token keys, password hashing,
//! encryption at rest, the session cache, sign-in throttling and client-address resolution.

pub mod client_ip;
pub mod crypto;
pub mod keys;
pub mod lockout;
pub mod password;
pub mod session_cache;
pub mod throttle;
pub mod tokens;
