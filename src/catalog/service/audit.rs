//! Audit rows for catalogue changes: who created, changed, deleted or archived which
//! product, course, category, tag, section, lesson or quiz, from where, before and after.

use rusqlite::Connection;
use serde_json::{Value, json};

use crate::auth::AuthUser;
use crate::http::AppError;

/// One catalogue change: `action` like `course.updated`, the target's type and id, and
/// short before/after summaries (`Value::Null` when there is none).
pub struct Change<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub before: Value,
    pub after: Value,
}

impl<'a> Change<'a> {
    /// A change with no summaries yet; add them with [`Change::before`] and [`Change::after`].
    pub fn new(action: &'a str, target_type: &'a str, target_id: &'a str) -> Self {
        Self {
            action,
            target_type,
            target_id,
            before: Value::Null,
            after: Value::Null,
        }
    }

    pub fn before(self, before: Value) -> Self {
        Self { before, ..self }
    }

    pub fn after(self, after: Value) -> Self {
        Self { after, ..self }
    }
}

/// Writes the change's audit row in the caller's transaction.
pub fn record(
    conn: &Connection,
    now: &str,
    user: &AuthUser,
    ip: Option<&str>,
    change: Change<'_>,
) -> Result<(), AppError> {
    let mut detail = serde_json::Map::new();
    for (key, value) in [("before", change.before), ("after", change.after)] {
        if !value.is_null() {
            detail.insert(key.into(), value);
        }
    }
    crate::audit::store::record(
        conn,
        now,
        &crate::audit::Entry {
            actor_id: Some(&user.user_id),
            action: change.action,
            target_type: Some(change.target_type),
            target_id: Some(change.target_id),
            ip,
            detail: Some(json!(detail)),
        },
    )?;
    Ok(())
}
