//! Mail: templates, the transactional outbox and the background sender.

pub mod config;
pub mod context;
pub mod events;
pub mod membership_events;
pub mod refund_events;
pub mod render;
pub mod smtp_pool;
pub mod store;
pub mod templates;
pub mod transport;
pub mod worker;

use crate::state::AppState;

/// Tells the sender that mail was just committed to the outbox, so it goes out at once.
pub fn wake(state: &AppState) {
    state.mail_wakeup.notify_one();
}
