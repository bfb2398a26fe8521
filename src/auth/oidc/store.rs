//! SQL for linked sign-in identities: (provider, subject) rows pointing at an account.

use rusqlite::{Connection, OptionalExtension, params};

/// A password hash that never verifies: accounts created by a provider have no password
/// until their owner sets one through a reset link.
pub const NO_PASSWORD: &str = "!provider-only";

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Identity {
    pub id: String,
    /// The provider's `id` from the config.
    pub provider: String,
    /// The provider's stable subject identifier.
    pub subject: String,
    #[serde(skip)]
    pub user_id: String,
    /// The email the provider asserted when the identity was linked.
    pub email: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

const COLUMNS: &str = "id, provider, subject, user_id, email, created_at, last_used_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Identity> {
    Ok(Identity {
        id: r.get(0)?,
        provider: r.get(1)?,
        subject: r.get(2)?,
        user_id: r.get(3)?,
        email: r.get(4)?,
        created_at: r.get(5)?,
        last_used_at: r.get(6)?,
    })
}

pub fn find(
    conn: &Connection,
    provider: &str,
    subject: &str,
) -> rusqlite::Result<Option<Identity>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM identities WHERE provider = ?1 AND subject = ?2"
    ))?
    .query_row(params![provider, subject], from_row)
    .optional()
}

pub fn of_user(conn: &Connection, user_id: &str) -> rusqlite::Result<Vec<Identity>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM identities WHERE user_id = ?1 ORDER BY created_at, id"
    ))?
    .query_map(params![user_id], from_row)?
    .collect()
}

pub fn insert(conn: &Connection, identity: &Identity) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO identities (id, provider, subject, user_id, email, created_at, last_used_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        identity.id,
        identity.provider,
        identity.subject,
        identity.user_id,
        identity.email,
        identity.created_at,
        identity.last_used_at,
    ])?;
    Ok(())
}

pub fn touch(conn: &Connection, id: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE identities SET last_used_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// Deletes one of the user's identities; false when they have none with this id.
pub fn delete(conn: &Connection, user_id: &str, id: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM identities WHERE id = ?1 AND user_id = ?2")?
        .execute(params![id, user_id])?;
    Ok(n == 1)
}

/// When a mailed link (reset or login link) last used by this account was issued.
pub fn last_used_mail_link_issued(
    conn: &Connection,
    user_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT max(created_at) FROM account_tokens WHERE user_id = ?1 AND used_at IS NOT NULL",
    )?
    .query_row(params![user_id], |r| r.get(0))
}

/// When the account's email last changed (audited by the profile update).
pub fn email_changed_at(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT max(at) FROM audit_log WHERE target_id = ?1 AND action = 'user.email_changed'",
    )?
    .query_row(params![user_id], |r| r.get(0))
}
