//! Recording who was active on which day, cheaply: at most one database write per user and
//! UTC day per process, remembered in `AppState::activity`. The analytics reports read it.

use crate::state::AppState;

/// Notes an authenticated request by `user_id`; the write runs in the background so the
/// request never waits for it.
pub fn touch(state: &AppState, user_id: &str) {
    let day = crate::clock::day_text(state.now().to_offset(time::UtcOffset::UTC).date());
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
