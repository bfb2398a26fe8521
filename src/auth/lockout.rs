//! Account lockout after repeated failed logins: exponential back-off, pure rules.

use rusqlite::Connection;
use time::{Duration, OffsetDateTime};

use super::store;
use crate::audit;
use crate::clock::{parse_rfc3339, rfc3339};
use crate::config::RateLimitConfig;
use crate::http::AppError;

/// How long an account stays locked after its `failures`-th failure in a row: nothing
/// below the threshold, then `base * 2^(failures - threshold)`, capped at the maximum.
pub fn lock_duration(failures: u32, limits: &RateLimitConfig) -> Option<Duration> {
    if !limits.enabled || failures < limits.lockout_threshold {
        return None;
    }
    let exponent = failures - limits.lockout_threshold;
    let factor = 1u64.checked_shl(exponent.min(62)).unwrap_or(u64::MAX);
    let seconds = limits
        .lockout_base_seconds
        .saturating_mul(factor)
        .min(limits.lockout_max_seconds);
    Some(Duration::seconds(
        i64::try_from(seconds).unwrap_or(i64::MAX),
    ))
}

/// Whole seconds (at least 1) until `until`, when it is still in the future.
pub fn remaining(until: OffsetDateTime, now: OffsetDateTime) -> Option<u64> {
    let left = until - now;
    if left <= Duration::ZERO {
        return None;
    }
    let whole = left.whole_seconds() + i64::from(left.subsec_nanoseconds() > 0);
    Some(u64::try_from(whole.max(1)).unwrap_or(1))
}

/// Seconds the account is still locked for, if it is.
pub fn locked_for(
    conn: &Connection,
    user_id: &str,
    now: OffsetDateTime,
) -> rusqlite::Result<Option<u64>> {
    Ok(store::login_failures(conn, user_id)?
        .and_then(|f| f.locked_until)
        .and_then(|until| parse_rfc3339(&until))
        .and_then(|until| remaining(until, now)))
}

/// Counts a failed login (password or second factor) and locks the account once the
/// threshold is reached; returns the lock in seconds when one starts now.
pub fn record_failure(
    conn: &Connection,
    user_id: &str,
    now: OffsetDateTime,
    limits: &RateLimitConfig,
    ip: Option<&str>,
) -> rusqlite::Result<Option<u64>> {
    let now_text = rfc3339(now);
    let failures = store::add_login_failure(conn, user_id, &now_text)?;
    let Some(lock) = lock_duration(failures, limits) else {
        return Ok(None);
    };
    store::set_locked_until(conn, user_id, &rfc3339(now + lock))?;
    let seconds = u64::try_from(lock.whole_seconds()).unwrap_or(0);
    audit::store::record(
        conn,
        &now_text,
        &audit::Entry {
            actor_id: Some(user_id),
            action: "account.locked",
            target_type: Some("user"),
            target_id: Some(user_id),
            ip,
            detail: Some(serde_json::json!({ "failures": failures, "seconds": seconds })),
        },
    )?;
    Ok(Some(seconds))
}

/// A successful login forgets earlier failures.
pub fn record_success(conn: &Connection, user_id: &str) -> rusqlite::Result<()> {
    store::clear_login_failures(conn, user_id)
}

/// The answer while an account is locked (even to the right password).
pub fn locked_error(seconds: u64) -> AppError {
    AppError::TooManyRequests {
        detail: format!(
            "too many failed logins: this account is locked; try again in {seconds} seconds"
        ),
        retry_after_secs: seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> RateLimitConfig {
        RateLimitConfig {
            lockout_threshold: 5,
            lockout_base_seconds: 30,
            lockout_max_seconds: 600,
            ..RateLimitConfig::default()
        }
    }

    #[test]
    fn no_lock_below_the_threshold() {
        assert_eq!(lock_duration(4, &limits()), None);
    }

    #[test]
    fn the_lock_doubles_with_each_further_failure_up_to_the_cap() {
        let l = limits();
        assert_eq!(lock_duration(5, &l), Some(Duration::seconds(30)));
        assert_eq!(lock_duration(6, &l), Some(Duration::seconds(60)));
        assert_eq!(lock_duration(7, &l), Some(Duration::seconds(120)));
        assert_eq!(lock_duration(10, &l), Some(Duration::seconds(600)));
        assert_eq!(lock_duration(500, &l), Some(Duration::seconds(600)));
    }

    #[test]
    fn disabled_limits_never_lock() {
        let l = RateLimitConfig {
            enabled: false,
            ..limits()
        };
        assert_eq!(lock_duration(50, &l), None);
    }

    #[test]
    fn remaining_rounds_up_and_ends() {
        let now = OffsetDateTime::UNIX_EPOCH;
        assert_eq!(remaining(now + Duration::milliseconds(1500), now), Some(2));
        assert_eq!(remaining(now, now), None);
        assert_eq!(remaining(now - Duration::seconds(1), now), None);
    }
}
