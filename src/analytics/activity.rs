//! Recording who was active on which day, cheaply: at most one database write per user and
//! UTC day per process, remembered in memory.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::state::AppState;

/// The users already recorded today.
#[derive(Debug, Default)]
pub struct Seen {
    inner: Mutex<(String, HashSet<String>)>,
}

impl Seen {
    /// True the first time `user_id` is seen on `day`; a new day starts a fresh set.
    pub fn first_today(&self, day: &str, user_id: &str) -> bool {
        let Ok(mut guard) = self.inner.lock() else {
            return false;
        };
        let (current, users) = &mut *guard;
        if current.as_str() != day {
            *current = day.to_string();
            users.clear();
        }
        users.insert(user_id.to_string())
    }
}

/// Notes an authenticated request by `user_id`; the write runs in the background so the
/// request never waits for it.
pub fn touch(state: &AppState, user_id: &str) {
    let day = super::period::day_text(state.now().to_offset(time::UtcOffset::UTC).date());
    if !state.activity.first_today(&day, user_id) {
        return;
    }
    let (state, user_id) = (state.clone(), user_id.to_string());
    tokio::spawn(async move {
        let result = state
            .db
            .write(move |conn| Ok(super::store::record_activity(conn, &user_id, &day)?))
            .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not record user activity");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_is_recorded_once_per_day() {
        let seen = Seen::default();
        assert!(seen.first_today("2026-01-01", "u1"));
        assert!(!seen.first_today("2026-01-01", "u1"));
        assert!(seen.first_today("2026-01-01", "u2"));
        assert!(seen.first_today("2026-01-02", "u1"));
        assert!(!seen.first_today("2026-01-02", "u1"));
    }
}
