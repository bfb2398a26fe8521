//! Accounts and sign-in: registration, tokens and sessions, passwords, MFA, sign-in limits.

mod accounts;
mod cli_accounts;
pub mod mfa;
pub mod oidc;
mod passwords;
mod session_cache;
mod setup;
mod sign_in_limits;
