//! `[auth]` and `[rate_limit]`: tokens, password hashing, recovery links and sign-in
//! throttling; owned by `auth` (read by `security`).

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// HMAC key for access tokens; generated into the data dir when empty.
    pub jwt_secret: String,
    /// 64 hex characters (256 bits) for encrypting secrets at rest; generated when empty.
    pub encryption_key: String,
    pub access_token_minutes: i64,
    pub refresh_token_days: i64,
    /// Seconds after a refresh during which its old token still trades for a new one in
    /// place of an unused successor (an answer lost to a reload); 0 turns it off.
    pub refresh_reuse_grace_seconds: i64,
    pub password_min_length: usize,
    pub argon2: Argon2Config,
    /// Lifetime of a password reset link, in minutes.
    pub password_reset_minutes: i64,
    /// When true, an admin without MFA can reach only MFA enrolment, `GET /api/users/me`
    /// and logout.
    pub require_mfa_for_admins: bool,
    /// Sign-in with OpenID Connect providers and Facebook (`[[auth.oidc.providers]]`).
    pub oidc: super::oidc::OidcConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Argon2Config {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            jwt_secret: String::new(),
            encryption_key: String::new(),
            access_token_minutes: 15,
            refresh_token_days: 30,
            refresh_reuse_grace_seconds: 30,
            password_min_length: 10,
            argon2: Argon2Config::default(),
            password_reset_minutes: 60,
            require_mfa_for_admins: false,
            oidc: Default::default(),
        }
    }
}

impl Default for Argon2Config {
    fn default() -> Self {
        // One of the argon2id settings OWASP's Password Storage Cheat Sheet lists as equally
        // strong (19 MiB x 2 passes, 12 MiB x 3, 9 MiB x 4, 7 MiB x 5): the one with the
        // least memory per login, at about the same CPU, so a login flood (one hash per core
        // at a time) holds 7 MiB per core.
        Argon2Config {
            memory_kib: 7_168,
            iterations: 5,
            parallelism: 1,
        }
    }
}

/// Sign-in throttling: a flood ceiling per client IP on `/api/auth/*` and `/api/setup`,
/// smaller per-IP budgets for registration and account recovery, and limits on failed
/// sign-ins per source (email + IP), per account and per IP. Successes are never counted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    pub enabled: bool,
    /// Every request to `/api/auth/*` and `/api/setup` per client IP per minute: only a
    /// ceiling against floods, far above what a school behind one address sends.
    pub auth_per_minute: u32,
    /// Registrations per client IP per hour.
    pub registrations_per_hour: u32,
    /// Password-reset requests, reset confirmations and login-link uses together, per
    /// client IP per hour.
    pub recovery_per_hour: u32,
    /// Reset mails one address gets per hour; more requests answer the same, unsent.
    pub reset_mails_per_address_per_hour: u32,
    /// Failed sign-ins (any email) per client IP per minute before that IP waits.
    pub failed_logins_per_ip_per_minute: u32,
    /// Failed sign-ins of one account (from anywhere) per hour before every failing source
    /// is locked after its first failure.
    pub failed_logins_per_account_per_hour: u32,
    /// Failures in a row of one email from one IP that lock that source (not the account).
    pub lockout_threshold: u32,
    pub lockout_base_seconds: u64,
    pub lockout_max_seconds: u64,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            enabled: true,
            auth_per_minute: 600,
            registrations_per_hour: 100,
            recovery_per_hour: 120,
            reset_mails_per_address_per_hour: 3,
            failed_logins_per_ip_per_minute: 100,
            failed_logins_per_account_per_hour: 20,
            lockout_threshold: 5,
            lockout_base_seconds: 30,
            lockout_max_seconds: 3600,
        }
    }
}

impl RateLimitConfig {
    /// The first out-of-range key, as (key, problem).
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        let counts = [
            ("rate_limit.auth_per_minute", self.auth_per_minute),
            (
                "rate_limit.registrations_per_hour",
                self.registrations_per_hour,
            ),
            ("rate_limit.recovery_per_hour", self.recovery_per_hour),
            (
                "rate_limit.reset_mails_per_address_per_hour",
                self.reset_mails_per_address_per_hour,
            ),
            (
                "rate_limit.failed_logins_per_ip_per_minute",
                self.failed_logins_per_ip_per_minute,
            ),
            (
                "rate_limit.failed_logins_per_account_per_hour",
                self.failed_logins_per_account_per_hour,
            ),
        ];
        if let Some((key, _)) = counts.iter().find(|(_, n)| !(1..=1_000_000).contains(n)) {
            return Err((key, "must be between 1 and 1000000"));
        }
        if !(1..=1000).contains(&self.lockout_threshold) {
            return Err(("rate_limit.lockout_threshold", "must be between 1 and 1000"));
        }
        if self.lockout_base_seconds == 0 || self.lockout_max_seconds < self.lockout_base_seconds {
            return Err((
                "rate_limit.lockout_base_seconds",
                "must be at least 1 and at most rate_limit.lockout_max_seconds",
            ));
        }
        Ok(())
    }
}

/// The `[auth]` rules (`[rate_limit]` checks itself: [`RateLimitConfig::validate`]).
pub(crate) fn validate(auth: &AuthConfig) -> Result<(), ConfigError> {
    auth.oidc.validate()?;
    if !auth.jwt_secret.is_empty() && auth.jwt_secret.len() < 32 {
        return Err(key_error(
            "auth.jwt_secret",
            "must be at least 32 characters (or empty to generate one)",
        ));
    }
    if !auth.encryption_key.is_empty()
        && (auth.encryption_key.len() != 64
            || !auth.encryption_key.chars().all(|c| c.is_ascii_hexdigit()))
    {
        return Err(key_error(
            "auth.encryption_key",
            "must be 64 hexadecimal characters (or empty to generate one)",
        ));
    }
    if !(1..=24 * 60).contains(&auth.access_token_minutes) {
        return Err(key_error(
            "auth.access_token_minutes",
            "must be between 1 and 1440",
        ));
    }
    if !(1..=365).contains(&auth.refresh_token_days) {
        return Err(key_error(
            "auth.refresh_token_days",
            "must be between 1 and 365",
        ));
    }
    if !(0..=300).contains(&auth.refresh_reuse_grace_seconds) {
        return Err(key_error(
            "auth.refresh_reuse_grace_seconds",
            "must be between 0 and 300",
        ));
    }
    if !(8..=128).contains(&auth.password_min_length) {
        return Err(key_error(
            "auth.password_min_length",
            "must be between 8 and 128",
        ));
    }
    if auth.argon2.memory_kib < 8 * auth.argon2.parallelism.max(1)
        || auth.argon2.iterations == 0
        || auth.argon2.parallelism == 0
    {
        return Err(key_error(
            "auth.argon2",
            "memory_kib must be at least 8 x parallelism, iterations and parallelism at least 1",
        ));
    }
    if !(5..=24 * 60).contains(&auth.password_reset_minutes) {
        return Err(key_error(
            "auth.password_reset_minutes",
            "must be between 5 and 1440",
        ));
    }
    Ok(())
}
