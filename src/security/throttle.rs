//! Failed sign-in counters kept in memory: per source (email + client IP), per account
//! email, and per client IP. Keyed by the email as typed (normalised), so an unknown email
//! is counted, locked and answered exactly like a known one.

use std::collections::HashMap;
use std::sync::Mutex;

use time::OffsetDateTime;

use super::lockout::{
    self, ACCOUNT_WINDOW, IP_WINDOW, SOURCE_MEMORY, Window, address_over_budget_error,
    source_locked_error,
};
use crate::config::RateLimitConfig;
use crate::http::AppError;

/// Above this many tracked keys per table, old entries are dropped first; it bounds the
/// memory a spray of invented emails from many addresses can take (about 100 bytes a key).
const MAX_KEYS: usize = 200_000;

#[derive(Debug, Clone, Copy)]
struct Source {
    failures: u32,
    locked_until: Option<OffsetDateTime>,
    last: OffsetDateTime,
}

#[derive(Default)]
struct Tables {
    sources: HashMap<(String, String), Source>,
    accounts: HashMap<String, Window>,
    ips: HashMap<String, Window>,
}

/// The counters; one per running server (in [`crate::state::AppState`]).
#[derive(Default)]
pub struct LoginThrottle {
    tables: Mutex<Tables>,
}

/// An admitted sign-in attempt. It is counted as a failure from the start, so parallel
/// guesses cannot all pass the check before the first one fails; success takes it back.
#[derive(Debug, Clone)]
pub struct Attempt {
    email: String,
    ip: String,
    account_window: Option<OffsetDateTime>,
    /// The lock (seconds) this attempt starts if it fails.
    pub locks_for: Option<u64>,
}

fn ip_key(ip: Option<&str>) -> String {
    ip.unwrap_or("unknown").to_string()
}

impl LoginThrottle {
    fn tables(&self) -> std::sync::MutexGuard<'_, Tables> {
        // The counters stay usable after a panic elsewhere: worst case one count is off.
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Admits a sign-in attempt for `email` from `ip`, or refuses it (429) while the source
    /// is locked or the address has used up its failures for this minute.
    pub fn begin(
        &self,
        email: &str,
        ip: Option<&str>,
        now: OffsetDateTime,
        limits: &RateLimitConfig,
    ) -> Result<Attempt, AppError> {
        let (email, ip) = (email.to_string(), ip_key(ip));
        if !limits.enabled {
            return Ok(Attempt {
                email,
                ip,
                account_window: None,
                locks_for: None,
            });
        }
        let mut t = self.tables();
        if let Some(w) = t.ips.get(&ip)
            && !lockout::ip_may_try(w.current(now, IP_WINDOW), limits)
        {
            return Err(address_over_budget_error(w.retry_after(now, IP_WINDOW)));
        }
        let key = (email.clone(), ip.clone());
        if let Some(seconds) = t
            .sources
            .get(&key)
            .and_then(|s| s.locked_until)
            .and_then(|until| lockout::remaining(until, now))
        {
            return Err(source_locked_error(seconds));
        }
        prune(&mut t, now);
        let account = t.accounts.entry(email.clone()).or_insert(Window {
            start: now,
            count: 0,
        });
        account.add(now, ACCOUNT_WINDOW);
        let (account_failures, account_window) = (account.count, account.start);
        let source = t.sources.entry(key).or_insert(Source {
            failures: 0,
            locked_until: None,
            last: now,
        });
        if now - source.last >= SOURCE_MEMORY {
            source.failures = 0;
        }
        source.failures = source.failures.saturating_add(1);
        source.last = now;
        let lock = lockout::source_lock(source.failures, account_failures, limits);
        source.locked_until = lock.map(|d| now + d);
        Ok(Attempt {
            email,
            ip,
            account_window: Some(account_window),
            locks_for: lock.map(|d| u64::try_from(d.whole_seconds()).unwrap_or(0)),
        })
    }

    /// The attempt failed: it also counts against its address's budget for this minute.
    pub fn failed(&self, attempt: &Attempt, now: OffsetDateTime) {
        if attempt.account_window.is_none() {
            return;
        }
        let mut t = self.tables();
        t.ips
            .entry(attempt.ip.clone())
            .or_insert(Window {
                start: now,
                count: 0,
            })
            .add(now, IP_WINDOW);
    }

    /// The attempt proved the password: the source's run of failures ends (a lock it
    /// started is lifted) and the account's count is given back.
    pub fn succeeded(&self, attempt: &Attempt) {
        let Some(window) = attempt.account_window else {
            return;
        };
        let mut t = self.tables();
        t.sources
            .remove(&(attempt.email.clone(), attempt.ip.clone()));
        if let Some(account) = t.accounts.get_mut(&attempt.email) {
            account.undo(window);
        }
    }
}

/// Drops entries that no longer count; when a table is still too big, the oldest go.
fn prune(t: &mut Tables, now: OffsetDateTime) {
    let full = |len: usize| len >= MAX_KEYS;
    if full(t.sources.len()) {
        t.sources
            .retain(|_, s| s.locked_until.is_some_and(|u| u > now) || now - s.last < SOURCE_MEMORY);
        if full(t.sources.len()) {
            let mut lasts: Vec<OffsetDateTime> = t.sources.values().map(|s| s.last).collect();
            lasts.sort_unstable();
            let cut = lasts[lasts.len() / 2];
            t.sources.retain(|_, s| s.last > cut);
        }
    }
    if full(t.accounts.len()) {
        t.accounts.retain(|_, w| w.current(now, ACCOUNT_WINDOW) > 0);
        if full(t.accounts.len()) {
            t.accounts.clear();
        }
    }
    if full(t.ips.len()) {
        t.ips.retain(|_, w| w.current(now, IP_WINDOW) > 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn limits() -> RateLimitConfig {
        RateLimitConfig::default()
    }

    fn status(result: &Result<Attempt, AppError>) -> u16 {
        result
            .as_ref()
            .map_or_else(|e| e.status().as_u16(), |_| 200)
    }

    #[test]
    fn a_locked_source_does_not_lock_the_same_email_from_another_address() {
        let (t, now, l) = (
            LoginThrottle::default(),
            OffsetDateTime::UNIX_EPOCH,
            limits(),
        );
        for _ in 0..5 {
            let a = t.begin("a@x", Some("1.1.1.1"), now, &l).unwrap();
            t.failed(&a, now);
        }
        assert_eq!(status(&t.begin("a@x", Some("1.1.1.1"), now, &l)), 429);
        assert_eq!(status(&t.begin("a@x", Some("2.2.2.2"), now, &l)), 200);
    }

    #[test]
    fn a_success_ends_the_run_of_failures_of_its_source() {
        let (t, now, l) = (
            LoginThrottle::default(),
            OffsetDateTime::UNIX_EPOCH,
            limits(),
        );
        for _ in 0..4 {
            let a = t.begin("a@x", Some("1.1.1.1"), now, &l).unwrap();
            t.failed(&a, now);
        }
        let fifth = t.begin("a@x", Some("1.1.1.1"), now, &l).unwrap();
        assert!(fifth.locks_for.is_some());
        t.succeeded(&fifth);
        assert_eq!(status(&t.begin("a@x", Some("1.1.1.1"), now, &l)), 200);
    }

    #[test]
    fn an_address_over_its_failure_budget_is_refused_until_the_minute_ends() {
        let (t, now, l) = (
            LoginThrottle::default(),
            OffsetDateTime::UNIX_EPOCH,
            limits(),
        );
        for i in 0..l.failed_logins_per_ip_per_minute {
            let a = t
                .begin(&format!("{i}@x"), Some("1.1.1.1"), now, &l)
                .unwrap();
            t.failed(&a, now);
        }
        assert_eq!(status(&t.begin("new@x", Some("1.1.1.1"), now, &l)), 429);
        assert_eq!(status(&t.begin("new@x", Some("2.2.2.2"), now, &l)), 200);
        let later = now + Duration::seconds(60);
        assert_eq!(status(&t.begin("new@x", Some("1.1.1.1"), later, &l)), 200);
    }
}
