//! Accounts and sign-in: registration, tokens and sessions, passwords, MFA, sign-in limits.

mod accounts;
pub mod mfa;
mod passwords;
mod session_cache;
mod sign_in_limits;
