//! Sign-in budgets as pure rules: when a failing source is locked, fixed counting windows,
//! and how many reset mails one address may get.

use time::{Duration, OffsetDateTime};

use crate::config::RateLimitConfig;
use crate::http::AppError;

/// The window over which failures of one account are added up across all sources.
pub const ACCOUNT_WINDOW: Duration = Duration::HOUR;
/// The window of the per-IP failure budget.
pub const IP_WINDOW: Duration = Duration::MINUTE;
/// The window of the per-address reset mail budget.
pub const MAIL_WINDOW: Duration = Duration::HOUR;
/// A source's run of failures is forgotten after this long without a new one.
pub const SOURCE_MEMORY: Duration = Duration::DAY;

/// How long a source (one email from one client IP) is locked after its `source_failures`-th
/// failure in a row: nothing below the threshold, then `base * 2^(failures - threshold)`,
/// capped. Once the account has had `failed_logins_per_account_per_hour` failures from
/// anywhere, the threshold drops to one: a guesser spread over many addresses gets one try
/// per address before the back-off starts, while the owner (no failures of their own) is
/// still let in at once.
pub fn source_lock(
    source_failures: u32,
    account_failures: u32,
    limits: &RateLimitConfig,
) -> Option<Duration> {
    let threshold = if account_failures >= limits.failed_logins_per_account_per_hour {
        1
    } else {
        limits.lockout_threshold
    };
    if !limits.enabled || source_failures < threshold {
        return None;
    }
    let exponent = source_failures - threshold;
    let factor = 1u64.checked_shl(exponent.min(62)).unwrap_or(u64::MAX);
    let seconds = limits
        .lockout_base_seconds
        .saturating_mul(factor)
        .min(limits.lockout_max_seconds);
    Some(Duration::seconds(
        i64::try_from(seconds).unwrap_or(i64::MAX),
    ))
}

/// Whether one more failed sign-in may be tried from an address that already has `failures`
/// in the current minute.
pub fn ip_may_try(failures: u32, limits: &RateLimitConfig) -> bool {
    !limits.enabled || failures < limits.failed_logins_per_ip_per_minute
}

/// Whether a reset mail may go to an address that got `sent` of them in the last hour.
pub fn reset_mail_allowed(sent: u32, limits: &RateLimitConfig) -> bool {
    !limits.enabled || sent < limits.reset_mails_per_address_per_hour
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

/// A count in a fixed window that starts with its first event and lasts `length`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: OffsetDateTime,
    pub count: u32,
}

impl Window {
    /// The count that still applies at `now` (0 once the window is over).
    pub fn current(&self, now: OffsetDateTime, length: Duration) -> u32 {
        if now - self.start < length {
            self.count
        } else {
            0
        }
    }

    /// Adds one event at `now`, opening a new window when the old one is over.
    pub fn add(&mut self, now: OffsetDateTime, length: Duration) {
        if now - self.start >= length {
            *self = Window {
                start: now,
                count: 0,
            };
        }
        self.count = self.count.saturating_add(1);
    }

    /// Takes back one event counted at `counted_in` (a window start), if still current.
    pub fn undo(&mut self, counted_in: OffsetDateTime) {
        if self.start == counted_in {
            self.count = self.count.saturating_sub(1);
        }
    }

    /// Seconds until the window ends.
    pub fn retry_after(&self, now: OffsetDateTime, length: Duration) -> u64 {
        remaining(self.start + length, now).unwrap_or(1)
    }
}

/// The answer to a source that is locked: the same for every email, known or not.
pub fn source_locked_error(seconds: u64) -> AppError {
    AppError::TooManyRequests {
        detail: crate::msg!("problem-locked-email", seconds = seconds),
        retry_after_secs: seconds,
    }
}

/// The answer to an address that used up its failed sign-in budget.
pub fn address_over_budget_error(seconds: u64) -> AppError {
    AppError::TooManyRequests {
        detail: crate::msg!("problem-locked-address", seconds = seconds),
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
            failed_logins_per_account_per_hour: 20,
            failed_logins_per_ip_per_minute: 100,
            reset_mails_per_address_per_hour: 3,
            ..RateLimitConfig::default()
        }
    }

    #[test]
    fn a_source_is_not_locked_below_the_threshold() {
        assert_eq!(source_lock(4, 4, &limits()), None);
    }

    #[test]
    fn the_source_lock_doubles_with_each_further_failure_up_to_the_cap() {
        let l = limits();
        assert_eq!(source_lock(5, 5, &l), Some(Duration::seconds(30)));
        assert_eq!(source_lock(6, 6, &l), Some(Duration::seconds(60)));
        assert_eq!(source_lock(7, 7, &l), Some(Duration::seconds(120)));
        assert_eq!(source_lock(10, 10, &l), Some(Duration::seconds(600)));
        assert_eq!(source_lock(500, 0, &l), Some(Duration::seconds(600)));
    }

    #[test]
    fn an_account_guessed_at_from_many_addresses_locks_each_source_after_one_failure() {
        let l = limits();
        assert_eq!(source_lock(1, 19, &l), None);
        assert_eq!(source_lock(1, 20, &l), Some(Duration::seconds(30)));
        assert_eq!(source_lock(2, 21, &l), Some(Duration::seconds(60)));
        // A source with no failure of its own (the owner) is never locked by the others.
        assert_eq!(source_lock(0, 1000, &l), None);
    }

    #[test]
    fn disabled_limits_never_lock_nor_refuse() {
        let l = RateLimitConfig {
            enabled: false,
            ..limits()
        };
        assert_eq!(source_lock(50, 50, &l), None);
        assert!(ip_may_try(1_000_000, &l));
        assert!(reset_mail_allowed(1_000_000, &l));
    }

    #[test]
    fn an_address_may_fail_its_budget_per_minute_and_no_more() {
        assert!(ip_may_try(99, &limits()));
        assert!(!ip_may_try(100, &limits()));
    }

    #[test]
    fn one_address_gets_at_most_three_reset_mails_an_hour() {
        assert!(reset_mail_allowed(2, &limits()));
        assert!(!reset_mail_allowed(3, &limits()));
    }

    #[test]
    fn a_window_counts_until_it_ends_and_then_starts_again() {
        let t0 = OffsetDateTime::UNIX_EPOCH;
        let mut w = Window {
            start: t0,
            count: 0,
        };
        w.add(t0, IP_WINDOW);
        w.add(t0 + Duration::seconds(30), IP_WINDOW);
        assert_eq!(w.current(t0 + Duration::seconds(59), IP_WINDOW), 2);
        assert_eq!(w.retry_after(t0 + Duration::seconds(30), IP_WINDOW), 30);
        assert_eq!(w.current(t0 + Duration::seconds(60), IP_WINDOW), 0);
        w.add(t0 + Duration::seconds(61), IP_WINDOW);
        assert_eq!(w.count, 1);
        // Taking back an event of an earlier window changes nothing.
        w.undo(t0);
        assert_eq!(w.count, 1);
        w.undo(t0 + Duration::seconds(61));
        assert_eq!(w.count, 0);
    }

    #[test]
    fn remaining_rounds_up_and_ends() {
        let now = OffsetDateTime::UNIX_EPOCH;
        assert_eq!(remaining(now + Duration::milliseconds(1500), now), Some(2));
        assert_eq!(remaining(now, now), None);
        assert_eq!(remaining(now - Duration::seconds(1), now), None);
    }
}
